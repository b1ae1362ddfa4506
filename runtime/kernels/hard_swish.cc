// HARD_SWISH: x · relu6(x + 3) / 6. float32, and int8 exactly as TFLM: 16-bit fixed point on a
// "high-resolution" input scale (input · 2^7), a saturating "relu-ish" factor in [0, 1] obtained by
// rescaling x so that 3.0 maps to 2^15, and a truncating (not rounding) final multiply that
// cancels the rounding bias of the earlier ones. The output may overwrite the input.
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t output_exponent;   // <= 0
  int32_t reluish_exponent;  // <= 31
  int16_t output_multiplier;
  int16_t reluish_multiplier;
};

// The two real multipliers from the high-resolution input scale (input scale / 2^7): to the
// output scale and to the relu-ish scale (3 / 2^15). Formed in float, as TFLM.
double output_ratio(const Tensor& input, const Tensor& output) {
  const float hires_input_scale = (1.0f / 128.0f) * input.scale();
  return static_cast<double>(hires_input_scale / output.scale());
}
double reluish_ratio(const Tensor& input) {
  const float hires_input_scale = (1.0f / 128.0f) * input.scale();
  return static_cast<double>(hires_input_scale / (3.0f / 32768.0f));
}

// A Q0.31 multiplier rounded to Q0.15 (saturating at the top), as TFLite's
// DownScaleInt32ToInt16Multiplier.
int16_t to_int16_multiplier(int32_t multiplier) {
  constexpr int32_t kRounding = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRounding) return 32767;
  return static_cast<int16_t>((multiplier + kRounding) >> 16);
}

Status plan(PlanContext& ctx) {
  static constexpr TensorType kTypes[] = {TensorType::FLOAT32, TensorType::INT8};
  MOTE_RETURN_IF_ERROR(plan_unary_activation(ctx, kTypes, 2, "float32, int8"));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  if (input.type == TensorType::INT8) {
    const double to_output = output_ratio(input, output);
    const double to_reluish = reluish_ratio(input);
    if (!std::isfinite(to_output) || !std::isfinite(to_reluish)) {
      return ctx.fail(Status::kInvalidModel, "input or output scale is not finite");
    }
    int32_t multiplier;
    int shift;
    quantize_multiplier(to_output, &multiplier, &shift);
    // TFLM refuses an output scale below input scale / 2^7 (a left shift).
    if (shift > 0) {
      return ctx.fail(Status::kUnsupported,
                      "output scale %g is below input scale %g / 128, which TFLM refuses",
                      static_cast<double>(output.scale()), static_cast<double>(input.scale()));
    }
    quantize_multiplier(to_reluish, &multiplier, &shift);
    if (shift > 31) {
      return ctx.fail(Status::kUnsupported, "input scale %g is too large (above 2^31 * 3/256)",
                      static_cast<double>(input.scale()));
    }
  }
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  if (input.type == TensorType::FLOAT32) return Status::kOk;
  d->input_zero_point = input.zero_point();
  d->output_zero_point = output.zero_point();
  int32_t multiplier;
  int shift;
  quantize_multiplier(output_ratio(input, output), &multiplier, &shift);
  d->output_multiplier = to_int16_multiplier(multiplier);
  d->output_exponent = shift;
  quantize_multiplier(reluish_ratio(input), &multiplier, &shift);
  d->reluish_multiplier = to_int16_multiplier(multiplier);
  d->reluish_exponent = shift;
  return Status::kOk;
}

// value · 2^amount saturated to int16 (amount in [0, 30]).
int16_t saturating_left_shift(int16_t value, int amount) {
  const int64_t shifted = static_cast<int64_t>(value) * (int64_t{1} << amount);
  return static_cast<int16_t>(clamp<int64_t>(shifted, -32768, 32767));
}

// High half of 2·a·b truncated towards zero (ARM's SQDMULH), saturating MIN · MIN.
int16_t saturating_doubling_high_mul(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return 32767;
  return static_cast<int16_t>((int32_t{a} * int32_t{b}) / (1 << 15));
}

int8_t hard_swish_int8(const OpData& d, int8_t x) {
  const auto input_value = static_cast<int16_t>(x - d.input_zero_point);
  // |input_value| <= 255, so 2^7 · input_value still fits int16.
  const auto hires = static_cast<int16_t>(input_value * (1 << 7));
  const int16_t preshift_output_scale =
      saturating_rounding_doubling_high_mul<int16_t>(hires, d.output_multiplier);

  // Relu-ish factor: x rescaled so that 3.0 is 2^15 (saturating), then mapped from [-1, 1] to
  // [0, 1]. A left shift is split so that only its last bit can saturate.
  int16_t reluish = hires;
  if (d.reluish_exponent > 0) reluish = saturating_left_shift(reluish, d.reluish_exponent - 1);
  reluish = saturating_rounding_doubling_high_mul<int16_t>(reluish, d.reluish_multiplier);
  if (d.reluish_exponent > 0) reluish = saturating_left_shift(reluish, 1);
  if (d.reluish_exponent < 0)
    reluish = rounding_divide_by_pot<int16_t>(reluish, -d.reluish_exponent);
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);

  const int16_t preshift_output = saturating_doubling_high_mul(reluish, preshift_output_scale);
  auto value = rounding_divide_by_pot<int16_t>(preshift_output, -d.output_exponent);
  // TFLM adds the zero point in int16 (wrapping) before clamping to int8.
  value = static_cast<int16_t>(value + d.output_zero_point);
  return static_cast<int8_t>(clamp<int16_t>(value, -128, 127));
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor input = ctx.input(0);
  const uint32_t n = input.elements;
  switch (input.type) {
    case TensorType::FLOAT32: {
      const float* in = ctx.input_data<float>(0);
      float* out = ctx.output_data<float>(0);
      for (uint32_t i = 0; i < n; ++i) {
        const float v = in[i];
        // std::max / std::min comparisons, so that NaN behaves as in TFLite.
        float relu6 = 0.0f < v + 3.0f ? v + 3.0f : 0.0f;
        relu6 = relu6 < 6.0f ? relu6 : 6.0f;
        out[i] = v * relu6 / 6.0f;
      }
      break;
    }
    case TensorType::INT8: {
      const int8_t* in = ctx.input_data<int8_t>(0);
      int8_t* out = ctx.output_data<int8_t>(0);
      for (uint32_t i = 0; i < n; ++i) out[i] = hard_swish_int8(d, in[i]);
      break;
    }
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& hard_swish() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::HARD_SWISH, nullptr, 1, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
