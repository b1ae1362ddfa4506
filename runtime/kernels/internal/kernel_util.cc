#include "runtime/kernels/internal/kernel_util.h"

#include "runtime/kernels/internal/quantization.h"

namespace mote {
namespace kernels {

Status check_io_count(const OpContext& ctx, int min_inputs, int max_inputs, int outputs) {
  if (ctx.num_inputs() < min_inputs || ctx.num_inputs() > max_inputs) {
    if (min_inputs == max_inputs) {
      return ctx.fail(Status::kInvalidModel, "has %d inputs, expected %d", ctx.num_inputs(),
                      min_inputs);
    }
    return ctx.fail(Status::kInvalidModel, "has %d inputs, expected %d to %d", ctx.num_inputs(),
                    min_inputs, max_inputs);
  }
  if (ctx.num_outputs() != outputs) {
    return ctx.fail(Status::kInvalidModel, "has %d outputs, expected %d", ctx.num_outputs(),
                    outputs);
  }
  return Status::kOk;
}

Status check_present(const OpContext& ctx, const Tensor& t, const char* role) {
  if (!t.present()) return ctx.fail(Status::kInvalidModel, "has no %s tensor", role);
  return Status::kOk;
}

Status check_type(const OpContext& ctx, const Tensor& t, TensorType type, const char* role) {
  if (t.type != type) {
    return ctx.fail(Status::kUnsupported, "%s tensor %d '%s' is %s, expected %s", role, t.index,
                    t.name, tensor_type_name(t.type), tensor_type_name(type));
  }
  return Status::kOk;
}

Status check_rank(const OpContext& ctx, const Tensor& t, int rank, const char* role) {
  if (t.rank != rank) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has rank %d, expected %d", role,
                    t.index, t.name, t.rank, rank);
  }
  return Status::kOk;
}

Status check_per_tensor_quantized(const OpContext& ctx, const Tensor& t, const char* role) {
  if (t.num_scales != 1) {
    return ctx.fail(Status::kInvalidModel,
                    "%s tensor %d '%s' has %u quantization scales, expected one (per tensor)", role,
                    t.index, t.name, t.num_scales);
  }
  if (!(t.scales[0] > 0.0f)) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has quantization scale %g", role,
                    t.index, t.name, static_cast<double>(t.scales[0]));
  }
  return Status::kOk;
}

Status check_zero_point_in_range(const OpContext& ctx, const Tensor& t, const char* role) {
  int32_t low, high;
  integer_type_range(t.type, &low, &high);
  const int64_t zero_point = t.num_scales > 0 ? t.zero_points[0] : 0;
  if (zero_point < low || zero_point > high) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has zero point %lld outside %s", role,
                    t.index, t.name, static_cast<long long>(zero_point), tensor_type_name(t.type));
  }
  return Status::kOk;
}

Status check_same_shape(const OpContext& ctx, const Tensor& a, const Tensor& b, const char* role_a,
                        const char* role_b) {
  if (!same_shape(a, b)) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d and %s tensor %d differ in shape", role_a,
                    a.index, role_b, b.index);
  }
  return Status::kOk;
}

Status check_activation(const OpContext& ctx, tflite::ActivationFunctionType activation) {
  if (!is_supported_activation(activation)) {
    return ctx.fail(Status::kUnsupported, "fused activation %s is not supported",
                    tflite::EnumNameActivationFunctionType(activation));
  }
  return Status::kOk;
}

Status check_constant(const OpContext& ctx, const Tensor& t, const char* role) {
  if (!t.is_constant) {
    return ctx.fail(Status::kUnsupported,
                    "%s tensor %d '%s' is computed at run time; mote needs it constant", role,
                    t.index, t.name);
  }
  return Status::kOk;
}

}  // namespace kernels
}  // namespace mote
