#include "runtime/kernels/internal/activation.h"

#include <cmath>
#include <limits>

#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"

namespace mote {
namespace kernels {
namespace {

Status check_zero_point_range(const OpContext& ctx, const Tensor& t, const char* role) {
  int32_t qmin, qmax;
  integer_type_range(t.type, &qmin, &qmax);
  if (t.zero_point() < qmin || t.zero_point() > qmax) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has zero point %d outside %s", role,
                    t.index, t.name, t.zero_point(), tensor_type_name(t.type));
  }
  return Status::kOk;
}

template <typename T>
void relu_quantized(const ReluOpData& d, const T* input, T* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t rescaled =
        d.output_offset +
        multiply_by_quantized_multiplier(input[i] - d.input_offset, d.multiplier, d.shift);
    output[i] = static_cast<T>(clamp(rescaled, d.act_min, d.act_max));
  }
}

}  // namespace

Status plan_unary_activation(PlanContext& ctx, const TensorType* types, int num_types,
                             const char* type_names) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  bool supported = false;
  for (int i = 0; i < num_types; ++i) supported = supported || input.type == types[i];
  if (!supported) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported (%s)",
                    tensor_type_name(input.type), type_names);
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.elements != output.elements) {
    return ctx.fail(Status::kInvalidModel,
                    "input tensor %d has %u elements but output tensor %d has %u", input.index,
                    input.elements, output.index, output.elements);
  }
  if (input.type != TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
    MOTE_RETURN_IF_ERROR(check_zero_point_range(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_zero_point_range(ctx, output, "output"));
  }
  // Every kernel using this reads element i before writing element i.
  ctx.allow_in_place(0);
  return Status::kOk;
}

Status check_rescale(const OpContext& ctx, double ratio, const char* what) {
  if (!std::isfinite(ratio)) return ctx.fail(Status::kInvalidModel, "%s is not finite", what);
  int32_t multiplier;
  int shift;
  quantize_multiplier(ratio, &multiplier, &shift);
  if (shift > 30) {
    return ctx.fail(Status::kUnsupported, "%s is %g, beyond 32-bit rescaling (below 2^30)", what,
                    ratio);
  }
  return Status::kOk;
}

int32_t quantize_clamped(float real, float scale, int32_t zero_point, int32_t qmin, int32_t qmax) {
  float q = std::round(real / scale);
  // TFLite converts to int32 directly; clamping first keeps a tiny scale from overflowing and
  // changes nothing else.
  q = q < -2147483648.0f ? -2147483648.0f : (q > 2147483520.0f ? 2147483520.0f : q);
  const int64_t value = int64_t{zero_point} + static_cast<int64_t>(q);
  return static_cast<int32_t>(value < qmin ? qmin : (value > qmax ? qmax : value));
}

Status plan_relu(PlanContext& ctx) {
  static constexpr TensorType kTypes[] = {TensorType::FLOAT32, TensorType::INT8, TensorType::INT16};
  MOTE_RETURN_IF_ERROR(plan_unary_activation(ctx, kTypes, 3, "float32, int8, int16"));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  if (input.type == TensorType::INT16 && (input.zero_point() != 0 || output.zero_point() != 0)) {
    return ctx.fail(Status::kUnsupported, "int16 input and output need zero point 0 (got %d, %d)",
                    input.zero_point(), output.zero_point());
  }
  if (input.type != TensorType::FLOAT32) {
    // The float ratio (RELU_N1_TO_1, RELU_0_TO_1) rounds to within one ulp of the double one.
    MOTE_RETURN_IF_ERROR(
        check_rescale(ctx, static_cast<double>(input.scale()) / static_cast<double>(output.scale()),
                      "input scale / output scale"));
  }
  ctx.set_op_data_bytes(sizeof(ReluOpData));
  return Status::kOk;
}

Status init_relu(InitContext& ctx, float low, float high, ScaleRatio ratio) {
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<ReluOpData>();
  d->float_min = low;
  d->float_max = high;
  if (input.type == TensorType::FLOAT32) return Status::kOk;
  const double real_ratio =
      ratio == ScaleRatio::kDouble
          ? static_cast<double>(input.scale()) / static_cast<double>(output.scale())
          : static_cast<double>(input.scale() / output.scale());
  int shift;
  quantize_multiplier(real_ratio, &d->multiplier, &shift);
  d->shift = shift;
  d->input_offset = input.zero_point();
  d->output_offset = output.zero_point();
  int32_t qmin, qmax;
  integer_type_range(output.type, &qmin, &qmax);
  d->act_min = quantize_clamped(low, output.scale(), output.zero_point(), qmin, qmax);
  d->act_max = high == std::numeric_limits<float>::infinity()
                   ? qmax
                   : quantize_clamped(high, output.scale(), output.zero_point(), qmin, qmax);
  return Status::kOk;
}

Status eval_relu(EvalContext& ctx) {
  const ReluOpData& d = *ctx.op_data<ReluOpData>();
  const Tensor input = ctx.input(0);
  const uint32_t n = input.elements;
  switch (input.type) {
    case TensorType::FLOAT32: {
      const float* in = ctx.input_data<float>(0);
      float* out = ctx.output_data<float>(0);
      for (uint32_t i = 0; i < n; ++i) {
        const float v = in[i];
        out[i] = v > d.float_max ? d.float_max : (v < d.float_min ? d.float_min : v);
      }
      break;
    }
    case TensorType::INT8:
      relu_quantized(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0), n);
      break;
    case TensorType::INT16:
      relu_quantized(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0), n);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace kernels
}  // namespace mote
