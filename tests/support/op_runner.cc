#include "tests/support/op_runner.h"

#include <stdexcept>

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
  try {
    const auto bytes = b.build();
    const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
    tools::HostInterpreter host(*model);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace mote::testing
