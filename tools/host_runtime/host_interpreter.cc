#include "tools/host_runtime/host_interpreter.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace mote::tools {
namespace {

// Enough for small models at the first attempt; larger ones learn their size from the refusal.
constexpr std::size_t kFirstGuess = 1 << 20;

}  // namespace

ArenaReport measure_arena(const Model& model, const InterpreterOptions& options) {
  AllOpsResolver resolver;
  std::size_t size = kFirstGuess;
  // A refusal names the bytes needed (or, when even planning does not fit, a lower bound), so
  // this converges in a few rounds.
  for (int attempt = 0; attempt < 8; ++attempt) {
    ErrorCollector errors;
    AlignedBuffer arena(size);
    Interpreter interpreter(model, resolver, arena.data(), arena.size(), errors.reporter(),
                            options);
    const Status status = interpreter.allocate();
    if (status == Status::kOk) return interpreter.arena_report();
    if (status != Status::kArenaTooSmall)
      throw std::runtime_error(errors.last(status_name(status)));
    size = std::max<std::size_t>(size * 2, interpreter.arena_report().total);
  }
  throw std::runtime_error("could not find an arena size that the planner accepts");
}

HostInterpreter::HostInterpreter(const LoadedModel& model, const InterpreterOptions& options) {
  const ArenaReport report = measure_arena(model.model(), options);
  arena_ = AlignedBuffer(report.total);
  interpreter_ = std::make_unique<Interpreter>(model.model(), resolver_, arena_.data(),
                                               arena_.size(), errors_.reporter(), options);
  const Status status = interpreter_->allocate();
  if (status != Status::kOk) {
    throw std::runtime_error(model.name() + ": " + errors_.last(status_name(status)));
  }
}

void HostInterpreter::set_input(std::uint32_t i, std::span<const std::uint8_t> bytes) {
  const Tensor t = interpreter_->input(i);
  if (!t.present()) throw std::runtime_error("the model has no input " + std::to_string(i));
  if (bytes.size() != t.bytes) {
    throw std::runtime_error("input " + std::to_string(i) + " needs " + std::to_string(t.bytes) +
                             " bytes, got " + std::to_string(bytes.size()));
  }
  std::memcpy(t.data, bytes.data(), bytes.size());
}

void HostInterpreter::invoke() {
  const Status status = interpreter_->invoke();
  if (status != Status::kOk) throw std::runtime_error(errors_.last(status_name(status)));
}

std::span<const std::uint8_t> HostInterpreter::output_bytes(std::uint32_t i) const {
  const Tensor t = interpreter_->output(i);
  if (!t.present()) throw std::runtime_error("the model has no output " + std::to_string(i));
  return {static_cast<const std::uint8_t*>(t.data), t.bytes};
}

}  // namespace mote::tools
