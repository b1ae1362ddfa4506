// tools/host_runtime (LoadedModel, measure_arena, HostInterpreter) on the device, for unit tests
// that use them directly: the same contracts as tools/host_runtime/*.cc, where every "throws"
// ends the current test as a failure with the same message (tests/device/gtest). Host files
// (LoadedModel::from_file) do not exist here.
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {
namespace {

constexpr std::size_t kFirstGuess = 4096;  // the host's 1 MB would not fit the board's heap

[[noreturn]] void fail(const std::string& what) {
  ::testing::internal::abort_current_test(what.c_str());
}

}  // namespace

std::unique_ptr<LoadedModel> LoadedModel::from_file(const std::filesystem::path&) {
  fail("LoadedModel::from_file: device tests have no host files (use from_bytes)");
}

std::unique_ptr<LoadedModel> LoadedModel::from_bytes(std::span<const std::uint8_t> bytes,
                                                     const std::string& what) {
  std::unique_ptr<LoadedModel> loaded(new LoadedModel());
  loaded->bytes_ = AlignedBuffer(bytes);
  loaded->name_ = what;
  ErrorCollector errors;
  const Status status =
      Model::load(loaded->bytes_.data(), loaded->bytes_.size(), errors.reporter(), &loaded->model_);
  if (status != Status::kOk) fail(what + ": " + errors.last(status_name(status)));
  return loaded;
}

ArenaReport measure_arena(const Model& model, const InterpreterOptions& options) {
  AllOpsResolver resolver;
  std::size_t size = kFirstGuess;
  for (int attempt = 0; attempt < 12; ++attempt) {
    ErrorCollector errors;
    AlignedBuffer arena(size);
    Interpreter interpreter(model, resolver, arena.data(), arena.size(), errors.reporter(),
                            options);
    const Status status = interpreter.allocate();
    if (status == Status::kOk) return interpreter.arena_report();
    if (status != Status::kArenaTooSmall) fail(errors.last(status_name(status)));
    size = std::max<std::size_t>(size * 2, interpreter.arena_report().total);
  }
  fail("could not find an arena size that the planner accepts");
}

HostInterpreter::HostInterpreter(const LoadedModel& model, const InterpreterOptions& options) {
  const ArenaReport report = measure_arena(model.model(), options);
  arena_ = AlignedBuffer(report.total);
  interpreter_ = std::make_unique<Interpreter>(model.model(), resolver_, arena_.data(),
                                               arena_.size(), errors_.reporter(), options);
  const Status status = interpreter_->allocate();
  if (status != Status::kOk) fail(model.name() + ": " + errors_.last(status_name(status)));
}

void HostInterpreter::set_input(std::uint32_t i, std::span<const std::uint8_t> bytes) {
  const Tensor t = interpreter_->input(i);
  if (!t.present()) fail("the model has no input " + std::to_string(i));
  if (bytes.size() != t.bytes) {
    fail("input " + std::to_string(i) + " needs " + std::to_string(t.bytes) + " bytes, got " +
         std::to_string(bytes.size()));
  }
  std::memcpy(t.data, bytes.data(), bytes.size());
}

void HostInterpreter::invoke() {
  const Status status = interpreter_->invoke();
  if (status != Status::kOk) fail(errors_.last(status_name(status)));
}

std::span<const std::uint8_t> HostInterpreter::output_bytes(std::uint32_t i) const {
  const Tensor t = interpreter_->output(i);
  if (!t.present()) fail("the model has no output " + std::to_string(i));
  return {static_cast<const std::uint8_t*>(t.data), t.bytes};
}

}  // namespace mote::tools
