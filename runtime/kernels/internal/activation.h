// What element-wise activation kernels share: the checks of plan() (one input, one output of the
// same type and size, per-tensor quantization, in-place permission) and the requantizing clamp of
// RELU, RELU_N1_TO_1 and RELU_0_TO_1: out = clamp(zo + (x - zi) · si/so, low, high).
#pragma once

#include <cstdint>

#include "runtime/interpreter/op_context.h"

namespace mote {
namespace kernels {

// Checks an element-wise activation: one input and one output of the same type, which is one of
// the `num_types` `types` (`type_names` lists them for the message), with as many elements; for
// integer types, per-tensor quantization with zero points inside the type's range. Lets the
// output take over the input's bytes.
Status plan_unary_activation(PlanContext& ctx, const TensorType* types, int num_types,
                             const char* type_names);

// Refuses a real rescaling multiplier `ratio` (named `what` in the message) that is not finite or
// whose magnitude is beyond what multiply_by_quantized_multiplier() applies (2^30 or more).
Status check_rescale(const OpContext& ctx, double ratio, const char* what);

// The quantized value of `real` on a tensor of `scale` and `zero_point` (float division, roundf),
// clamped to [qmin, qmax].
int32_t quantize_clamped(float real, float scale, int32_t zero_point, int32_t qmin, int32_t qmax);

struct ReluOpData {
  int32_t input_offset;
  int32_t output_offset;
  int32_t multiplier;
  int32_t shift;
  int32_t act_min;
  int32_t act_max;
  float float_min;
  float float_max;
};

// How the input-to-output scale ratio is formed: TFLM's RELU divides in double; TFLite's
// RELU_N1_TO_1 and RELU_0_TO_1 (which TFLM lacks) divide in float.
enum class ScaleRatio { kDouble, kFloat };

// plan() of a requantizing clamp (RELU, RELU_N1_TO_1, RELU_0_TO_1): float32, int8, int16 (zero
// points 0).
Status plan_relu(PlanContext& ctx);

// Fills the ReluOpData for the real range [low, high] (high may be +infinity).
Status init_relu(InitContext& ctx, float low, float high, ScaleRatio ratio);

// eval() of a requantizing clamp.
Status eval_relu(EvalContext& ctx);

}  // namespace kernels
}  // namespace mote
