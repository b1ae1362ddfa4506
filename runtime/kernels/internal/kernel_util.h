// Checks that most kernels run in plan(), with messages that name the op, the tensor and what
// was expected.
#pragma once

#include <cstdint>

#include "runtime/interpreter/op_context.h"

namespace mote {
namespace kernels {

// Refuses the op unless it has between `min_inputs` and `max_inputs` inputs and exactly
// `outputs` outputs.
Status check_io_count(const OpContext& ctx, int min_inputs, int max_inputs, int outputs);

// Refuses the op unless input `i` is present.
Status check_present(const OpContext& ctx, const Tensor& t, const char* role);

// Refuses the op unless `t` has type `type`.
Status check_type(const OpContext& ctx, const Tensor& t, TensorType type, const char* role);

// Refuses the op unless `t` has rank `rank`.
Status check_rank(const OpContext& ctx, const Tensor& t, int rank, const char* role);

// Refuses the op unless `t` is quantized per tensor with a positive scale.
Status check_per_tensor_quantized(const OpContext& ctx, const Tensor& t, const char* role);

// Refuses the op unless the zero point of quantized tensor `t` lies inside its type's range.
Status check_zero_point_in_range(const OpContext& ctx, const Tensor& t, const char* role);

// Refuses the op unless `a` and `b` have the same shape.
Status check_same_shape(const OpContext& ctx, const Tensor& a, const Tensor& b, const char* role_a,
                        const char* role_b);

// Refuses an unsupported fused activation.
Status check_activation(const OpContext& ctx, tflite::ActivationFunctionType activation);

// Refuses the op unless `t` is a constant tensor (weights, shapes, paddings).
Status check_constant(const OpContext& ctx, const Tensor& t, const char* role);

}  // namespace kernels
}  // namespace mote
