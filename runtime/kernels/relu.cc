// RELU: max(0, x). Quantized, as TFLM: the output is the input requantized (input and output scales
// may differ), clamped below at the output's zero point. float32, int8, int16 (zero points 0); the
// output may overwrite the input.
#include <limits>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

Status init(InitContext& ctx) {
  return init_relu(ctx, 0.0f, std::numeric_limits<float>::infinity(), ScaleRatio::kDouble);
}

}  // namespace

const KernelRegistration& relu() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::RELU, nullptr, 3, plan_relu, init, eval_relu};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
