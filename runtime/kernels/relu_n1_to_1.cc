// RELU_N1_TO_1: clamp(x, -1, 1). TFLM has no kernel for it; this follows TFLite's (requantize, then
// clamp to the output's quantized [-1, 1]). float32, int8, int16 (zero points 0); the output may
// overwrite the input.
#include <limits>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

Status init(InitContext& ctx) { return init_relu(ctx, -1.0f, 1.0f, ScaleRatio::kFloat); }

}  // namespace

const KernelRegistration& relu_n1_to_1() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::RELU_N1_TO_1, nullptr, 1, plan_relu, init, eval_relu};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
