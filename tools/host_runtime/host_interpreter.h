// The runtime's interpreter on the host with an arena of exactly the size the model needs, so
// every host run also checks that the planned size is the size used.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {

// Bytes of arena `model` needs with `options`; throws with the runtime's message when the model
// cannot be allocated at all (unsupported op, invalid tensor).
ArenaReport measure_arena(const Model& model, const InterpreterOptions& options = {});

class HostInterpreter {
 public:
  // Allocates `model` in an arena of exactly the measured size; throws on refusal.
  explicit HostInterpreter(const LoadedModel& model, const InterpreterOptions& options = {});

  Interpreter& interpreter() { return *interpreter_; }
  const ErrorCollector& errors() const { return errors_; }
  std::size_t arena_bytes() const { return arena_.size(); }

  // Copies `bytes` into model input `i`; throws when the size differs.
  void set_input(std::uint32_t i, std::span<const std::uint8_t> bytes);
  // Runs the model; throws with the runtime's message on failure.
  void invoke();
  // The bytes of model output `i`.
  std::span<const std::uint8_t> output_bytes(std::uint32_t i) const;

 private:
  AllOpsResolver resolver_;
  ErrorCollector errors_;
  AlignedBuffer arena_;
  std::unique_ptr<Interpreter> interpreter_;
};

}  // namespace mote::tools
