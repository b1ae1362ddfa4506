// tests/support/op_runner.h on the device. run_model is the host's (tests/support/op_runner.cc)
// over the device's tools::HostInterpreter (host_runtime_device.cc), where a refusal ends the
// test as the host's exception does. refusal() cannot catch that, so it follows the host's steps
// without failing and returns the message the host would have thrown ("" when none).
#include <string>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {

std::vector<Bytes> run_model(ModelBuilder& b, const std::vector<Bytes>& inputs) {
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  for (std::uint32_t i = 0; i < inputs.size(); ++i) host.set_input(i, inputs[i]);
  host.invoke();
  std::vector<Bytes> outputs;
  for (std::uint32_t o = 0; o < host.interpreter().outputs_size(); ++o) {
    const auto out = host.output_bytes(o);
    outputs.emplace_back(out.begin(), out.end());
  }
  return outputs;
}

std::string refusal(ModelBuilder& b) {
  const tools::AlignedBuffer bytes = b.build();
  Model model;
  tools::ErrorCollector errors;
  const Status loaded = Model::load(bytes.data(), bytes.size(), errors.reporter(), &model);
  if (loaded != Status::kOk) return "test model: " + errors.last(status_name(loaded));
  // tools::measure_arena's loop, then HostInterpreter's allocation in exactly that size.
  AllOpsResolver resolver;
  std::size_t size = 4096;
  for (int attempt = 0; attempt < 12; ++attempt) {
    errors.clear();
    tools::AlignedBuffer arena(size);
    Interpreter interpreter(model, resolver, arena.data(), arena.size(), errors.reporter());
    const Status status = interpreter.allocate();
    if (status == Status::kOk) {
      errors.clear();
      tools::AlignedBuffer exact(interpreter.arena_used_bytes());
      Interpreter again(model, resolver, exact.data(), exact.size(), errors.reporter());
      const Status second = again.allocate();
      return second == Status::kOk ? "" : "test model: " + errors.last(status_name(second));
    }
    if (status != Status::kArenaTooSmall) return errors.last(status_name(status));
    const std::size_t needed = interpreter.arena_report().total;
    size = needed > 2 * size ? needed : 2 * size;
  }
  return "could not find an arena size that the planner accepts";
}

}  // namespace mote::testing
