// How a kernel presents itself to the interpreter. A kernel is three plain functions:
//
//   plan  — checks the op's tensors and options and states the memory it needs (bytes of
//           persistent op data, scratch buffers, whether its output may reuse an input's bytes).
//           It must be a pure function of the model: the interpreter calls it twice, and the
//           host tools call it to compute the arena before a device ever runs.
//   init  — fills the op data (quantization multipliers, tables) once, after planning.
//   eval  — computes the outputs; it reads op data and tensor data, and allocates nothing.
#pragma once

#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {

class PlanContext;
class InitContext;
class EvalContext;

struct KernelRegistration {
  tflite::BuiltinOperator op;
  // For custom ops (op == CUSTOM): the custom code the model uses; nullptr for builtin ops.
  const char* custom_code;
  // The highest operator version this kernel implements; newer models are refused by name.
  int max_version;
  Status (*plan)(PlanContext& ctx);
  Status (*init)(InitContext& ctx);  // may be null
  Status (*eval)(EvalContext& ctx);
};

}  // namespace mote
