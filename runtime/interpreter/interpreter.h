// Runs one model in one caller-owned arena, as TFLM's MicroInterpreter does:
//
//   mote::Model model;
//   mote::Model::load(model_data, model_size, &reporter, &model);
//   mote::AllOpsResolver resolver;
//   alignas(16) static uint8_t arena[kArenaBytes];
//   mote::Interpreter interpreter(model, resolver, arena, sizeof(arena), &reporter);
//   interpreter.allocate();                 // plans memory; nothing is allocated later
//   write interpreter.input(0).data ...; interpreter.invoke(); read interpreter.output(0).data
//
// The arena holds everything the model needs beyond the model itself: a table of tensor
// locations, a table of ops, op data, scratch buffers, variable tensors and the activation region
// whose offsets the memory planner computed. It holds 32-bit offsets only, so the same model
// needs the same number of bytes on every target; arena_used_bytes() is exactly that number
// (for a 16-byte aligned arena), and allocate() refuses a smaller arena with a message naming it.
//
// An input tensor's bytes may be reused once the last op that reads it has run, as in TFLM:
// write the inputs before every invoke(), or set InterpreterOptions::preserve_inputs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/interpreter/graph_state.h"
#include "runtime/interpreter/op_resolver.h"
#include "runtime/interpreter/profiler.h"
#include "runtime/interpreter/tensor.h"
#include "runtime/memory/memory_planner.h"
#include "runtime/model/model.h"

namespace mote {

struct InterpreterOptions {
  // Keep input tensors intact through invoke() (they stay alive to the end of the plan).
  bool preserve_inputs = false;
  // Let element-wise ops write their output over an input that no later op reads.
  bool in_place_ops = true;
};

// Where the arena's bytes go; every field is in bytes.
struct ArenaReport {
  uint32_t alignment_padding = 0;  // skipped to reach a 16-byte boundary in the given arena
  uint32_t tensor_table = 0;       // one 32-bit location per tensor
  uint32_t op_table = 0;           // one 8-byte record per op
  uint32_t scratch_table = 0;      // one 32-bit location per scratch buffer
  uint32_t op_data = 0;            // kernels' persistent data
  uint32_t variables = 0;          // variable tensors (recurrent state)
  uint32_t head = 0;               // everything above, before the planned region
  uint32_t planned = 0;            // activations and scratch buffers, as planned
  uint32_t lower_bound = 0;        // most activation + scratch bytes alive at one op
  uint32_t activations_sum = 0;    // all activation and scratch buffers side by side
  uint32_t workspace = 0;          // what planning itself needs (at the arena's end, then freed)
  // alignment_padding + the larger of head + planned and tables + workspace (the workspace may
  // overlap op data, variables and the planned region, which are written only after planning).
  uint32_t total = 0;
  PlanOrder order = PlanOrder::kLargestFirst;
};

// Called after each op of invoke(); lets a tool read intermediate tensors.
using OpObserver = void (*)(void* user, uint32_t op_index);

class Interpreter {
 public:
  // `model` and `resolver` must outlive the interpreter; `arena` is used only by it.
  Interpreter(const Model& model, const OpResolver& resolver, void* arena, size_t arena_bytes,
              const ErrorReporter* reporter = nullptr, const InterpreterOptions& options = {});

  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Resolves kernels, checks every op, plans memory and initialises op data and variables.
  Status allocate();
  // Runs every op once.
  Status invoke();
  // Sets variable tensors back to zero (the zero point for int8), as after allocate().
  Status reset_variables();

  uint32_t inputs_size() const { return model_.num_inputs(); }
  uint32_t outputs_size() const { return model_.num_outputs(); }
  // The i-th model input / output; data is null before allocate() or for an index out of range.
  Tensor input(uint32_t i) const;
  Tensor output(uint32_t i) const;
  // Any tensor of the model by index. Intermediate tensors share bytes with others; read them
  // from an OpObserver right after the op that writes them.
  Tensor tensor(uint32_t index) const;

  // Bytes of the arena the interpreter uses (0 before a successful allocate()).
  size_t arena_used_bytes() const { return allocated_ ? report_.total : 0; }
  // The breakdown of arena_used_bytes(); after a refused allocate() it holds what was computed.
  const ArenaReport& arena_report() const { return report_; }
  // Offset of tensor `index` in the arena, kConstantBit-tagged model offset for constants, or
  // kNoLocation; for reports and tests.
  uint32_t tensor_location(uint32_t index) const;

  void set_profiler(Profiler* profiler) { profiler_ = profiler; }
  void set_op_observer(OpObserver observer, void* user) {
    observer_ = observer;
    observer_user_ = user;
  }

  const Model& model() const { return model_; }
  const OpResolver& resolver() const { return resolver_; }
  // The kernel chosen for op `op_index` (valid after allocate()).
  const KernelRegistration& kernel(uint32_t op_index) const;

 private:
  struct Layout;
  Status resolve_and_measure(Layout* layout);
  Status plan_memory(const Layout& layout, uint8_t* workspace);
  Status initialise_ops();
  void zero_variables();

  const Model& model_;
  const OpResolver& resolver_;
  uint8_t* arena_start_;
  size_t arena_bytes_;
  InterpreterOptions options_;
  GraphState state_;
  ArenaReport report_;
  bool allocated_ = false;
  Profiler* profiler_ = nullptr;
  OpObserver observer_ = nullptr;
  void* observer_user_ = nullptr;
};

}  // namespace mote
