// QUANTIZE: float32 → int8/int16 by affine quantization, and requantization between integer
// types — exactly the pairs TFLM's QUANTIZE runs:
//   float32 → int8, int16          int32 → int8, int16
//   int16 → int8, int16, int32     int8 → int8, uint8, int16, int32     uint8 → int8
// Affine quantization (TFLite's AffineQuantize) divides in single precision, rounds half away
// from zero, adds the zero point and clamps. Requantization (TFLite's Requantize) subtracts the
// input zero point, multiplies by input_scale / output_scale as a fixed-point multiplier (which
// may exceed one), adds the output zero point and clamps.
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  float output_scale;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int32_t shift;
};

bool is_supported_pair(TensorType in, TensorType out) {
  using T = TensorType;
  switch (in) {
    case T::FLOAT32:
    case T::INT32:
      return out == T::INT8 || out == T::INT16;
    case T::INT16:
      return out == T::INT8 || out == T::INT16 || out == T::INT32;
    case T::INT8:
      return out == T::INT8 || out == T::UINT8 || out == T::INT16 || out == T::INT32;
    case T::UINT8:
      return out == T::INT8;
    default:
      return false;
  }
}

double effective_scale(const Tensor& input, const Tensor& output) {
  return static_cast<double>(input.scale()) / static_cast<double>(output.scale());
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (!is_supported_pair(input.type, output.type)) {
    return ctx.fail(Status::kUnsupported, "quantizing %s to %s is not supported",
                    tensor_type_name(input.type), tensor_type_name(output.type));
  }
  if (input.elements != output.elements) {
    return ctx.fail(Status::kInvalidModel, "input has %u elements but output has %u",
                    input.elements, output.elements);
  }
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
  MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, output, "output"));
  if (input.type != TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input, "input"));
    int32_t multiplier;
    int shift;
    const double scale = effective_scale(input, output);
    quantize_multiplier(scale, &multiplier, &shift);
    if (shift > 30) {
      return ctx.fail(Status::kUnsupported,
                      "input/output scale ratio %f is beyond 32-bit fixed point", scale);
    }
  }
  // Element k of the input is read before element k of the output is written; the interpreter
  // shares the bytes only when both have the same size.
  ctx.allow_in_place(0);
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  d->output_scale = output.scale();
  d->output_zero_point = output.zero_point();
  d->input_zero_point = input.zero_point();
  d->multiplier = 0;
  d->shift = 0;
  if (input.type != TensorType::FLOAT32) {
    int shift;
    quantize_multiplier(effective_scale(input, output), &d->multiplier, &shift);
    d->shift = shift;
  }
  return Status::kOk;
}

// round(value) as an int32. TFLite converts with a plain cast, undefined outside the int32 range;
// mote saturates there (as Arm's conversion instruction does) and maps NaN to 0.
int32_t saturating_round(float value) {
  const float rounded = std::round(value);
  if (!(rounded == rounded)) return 0;
  if (rounded >= 2147483648.0f) return std::numeric_limits<int32_t>::max();
  if (rounded < -2147483648.0f) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(rounded);
}

template <typename Out>
void affine_quantize(const OpData& d, const float* input, Out* output, uint32_t n) {
  constexpr int64_t kLow = std::numeric_limits<Out>::min();
  constexpr int64_t kHigh = std::numeric_limits<Out>::max();
  for (uint32_t i = 0; i < n; ++i) {
    const int64_t value =
        int64_t{saturating_round(input[i] / d.output_scale)} + d.output_zero_point;
    output[i] = static_cast<Out>(clamp(value, kLow, kHigh));
  }
}

template <typename In, typename Out>
void requantize(const OpData& d, const In* input, Out* output, uint32_t n) {
  constexpr int32_t kLow = std::numeric_limits<Out>::min();
  constexpr int32_t kHigh = std::numeric_limits<Out>::max();
  for (uint32_t i = 0; i < n; ++i) {
    // TFLite computes in int32 and relies on wrap-around; unsigned arithmetic keeps it defined.
    const auto offset = static_cast<int32_t>(static_cast<uint32_t>(int32_t{input[i]}) -
                                             static_cast<uint32_t>(d.input_zero_point));
    const int32_t scaled = multiply_by_quantized_multiplier(offset, d.multiplier, d.shift);
    const auto value = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                            static_cast<uint32_t>(d.output_zero_point));
    output[i] = static_cast<Out>(clamp(value, kLow, kHigh));
  }
}

template <typename In>
Status eval_requantize(EvalContext& ctx, const OpData& d, uint32_t n) {
  const In* input = ctx.input_data<In>(0);
  switch (ctx.output(0).type) {
    case TensorType::INT8:
      requantize(d, input, ctx.output_data<int8_t>(0), n);
      break;
    case TensorType::UINT8:
      requantize(d, input, ctx.output_data<uint8_t>(0), n);
      break;
    case TensorType::INT16:
      requantize(d, input, ctx.output_data<int16_t>(0), n);
      break;
    case TensorType::INT32:
      requantize(d, input, ctx.output_data<int32_t>(0), n);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected output type");
  }
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor input = ctx.input(0);
  const uint32_t n = input.elements;
  switch (input.type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      if (ctx.output(0).type == TensorType::INT8) {
        affine_quantize(d, ctx.input_data<float>(0), ctx.output_data<int8_t>(0), n);
      } else {
        affine_quantize(d, ctx.input_data<float>(0), ctx.output_data<int16_t>(0), n);
      }
      return Status::kOk;
    case TensorType::INT32:
      return eval_requantize<int32_t>(ctx, d, n);
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      return eval_requantize<int16_t>(ctx, d, n);
    case TensorType::INT8:
      return eval_requantize<int8_t>(ctx, d, n);
    case TensorType::UINT8:
      return eval_requantize<uint8_t>(ctx, d, n);
    default:
      break;
  }
  return ctx.fail(Status::kKernelError, "unexpected input type");
}

}  // namespace

const KernelRegistration& quantize() {
  // Versions: 1, and 2 for int16 outputs. Version 3 (per-channel) and 4 (int4) TFLM refuses too.
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::QUANTIZE, nullptr, 2, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
