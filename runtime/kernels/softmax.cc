// SOFTMAX along the last dimension: output = exp(beta · (x - max)) / sum. Exactly as TFLM:
//   float32 -> float32: float exp and division;
//   int8 -> int8 / int16: gemmlowp fixed point (exp of the Q5.26 scaled difference, a Q12.19 sum,
//     its reciprocal) with TFLite's fixed output quantization (1/256, -128 / 1/65536, -32768);
//   int16 -> int16: interpolated exp and 1/(1+x) tables built at init, output 1/32768, zero 0.
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/fixed_point_math.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/lookup_table.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/internal/reciprocal.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

// Integer bits of the scaled input differences fed to exp (Q5.26) and of the sum of exps
// (Q12.19), as TFLite.
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;
// The int16 path's row sum is a plain int32 of Q0.15 values.
constexpr uint32_t kMaxInt16Depth = 65536;

struct OpData {
  uint32_t outer;  // rows
  uint32_t depth;  // elements per row (the last dimension)
  float beta;
  int32_t input_multiplier;
  int32_t input_shift;  // left shift (int8 input) or signed shift (int16 input)
  int32_t diff_min;     // int8 input: differences below this contribute nothing
  // int16 input: followed by int16_t exp_lut[kInt16LutSize], one_over_one_plus_x_lut[...].
};

int16_t* exp_lut(OpData* d) { return reinterpret_cast<int16_t*>(d + 1); }
const int16_t* exp_lut(const OpData* d) { return reinterpret_cast<const int16_t*>(d + 1); }
int16_t* one_over_one_plus_x_lut(OpData* d) { return exp_lut(d) + kInt16LutSize; }
const int16_t* one_over_one_plus_x_lut(const OpData* d) { return exp_lut(d) + kInt16LutSize; }

float beta_of(const OpContext& ctx) {
  // TFLite parses a missing SoftmaxOptions as beta 0.
  const auto* options = ctx.options<tflite::SoftmaxOptions>();
  return options != nullptr ? options->beta() : 0.0f;
}

// beta · input_scale as a Q5.26 multiplier of int8 differences, as TFLite's
// PreprocessSoftmaxScaling (double arithmetic, capped below 2^31).
double int8_input_real_multiplier(float beta, float input_scale) {
  const double real = static_cast<double>(beta) * static_cast<double>(input_scale) *
                      static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits));
  const double cap = static_cast<double>((int64_t{1} << 31) - 1);
  return cap < real ? cap : real;  // std::min's comparison: a NaN stays NaN and is refused
}

// beta · input_scale rescaled so that int16 differences [-65535, 0] map onto [-10, 0].
double int16_input_real_multiplier(float beta, float input_scale) {
  return static_cast<double>(input_scale) * static_cast<double>(beta) / (10.0 / 65535.0);
}

// |a - b| <= tolerance in float, as TF_LITE_ENSURE_NEAR.
bool near(float a, float b, float tolerance) { return (a > b ? a - b : b - a) <= tolerance; }

Status check_quantization(PlanContext& ctx, const Tensor& input, const Tensor& output) {
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
  const float out_scale = output.scale();
  const int32_t out_zero = output.zero_point();
  if (input.type == TensorType::INT16) {
    if (input.zero_point() != 0 || out_zero != 0 ||
        !near(out_scale, 1.0f / 32768, 0.001f * 1.0f / 32768)) {
      return ctx.fail(Status::kUnsupported,
                      "int16 softmax needs input zero point 0 and output scale 1/32768 with "
                      "zero point 0 (input zero point %d, output scale %g, zero point %d)",
                      input.zero_point(), static_cast<double>(out_scale), out_zero);
    }
  } else if (output.type == TensorType::INT16) {
    if (out_zero != -32768 || !near(out_scale, 1.0f / 65536, 0.001f * 1.0f / 65536)) {
      return ctx.fail(Status::kUnsupported,
                      "int8 -> int16 softmax needs output scale 1/65536 and zero point -32768 "
                      "(got %g, %d)",
                      static_cast<double>(out_scale), out_zero);
    }
  } else if (out_zero != -128 || out_scale != 1.0f / 256) {
    return ctx.fail(Status::kUnsupported,
                    "int8 softmax needs output scale 1/256 and zero point -128 (got %g, %d)",
                    static_cast<double>(out_scale), out_zero);
  }
  return Status::kOk;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.rank < 1 || output.rank < 1) {
    return ctx.fail(Status::kInvalidModel, "input and output need at least one dimension");
  }
  if (input.elements != output.elements || input.dim(-1) != output.dim(-1)) {
    return ctx.fail(Status::kInvalidModel,
                    "output tensor %d '%s' (%u elements, last dimension %d) does not match input "
                    "tensor %d '%s' (%u elements, last dimension %d)",
                    output.index, output.name, output.elements, output.dim(-1), input.index,
                    input.name, input.elements, input.dim(-1));
  }
  const float beta = beta_of(ctx);
  uint32_t op_data_bytes = sizeof(OpData);
  switch (input.type) {
    case TensorType::FLOAT32:
      MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::FLOAT32, "output"));
      break;
    case TensorType::INT8: {
      if (output.type != TensorType::INT8 && output.type != TensorType::INT16) {
        return ctx.fail(Status::kUnsupported, "int8 input needs an int8 or int16 output, not %s",
                        tensor_type_name(output.type));
      }
      MOTE_RETURN_IF_ERROR(check_quantization(ctx, input, output));
      const double real = int8_input_real_multiplier(beta, input.scale());
      // TFLite asserts a multiplier above one (it is applied with a left shift).
      if (!(real > 1.0)) {
        return ctx.fail(Status::kUnsupported,
                        "beta %g times input scale %g is too small for int8 softmax "
                        "(needs beta * scale > 2^-26)",
                        static_cast<double>(beta), static_cast<double>(input.scale()));
      }
      break;
    }
    case TensorType::INT16: {
      MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::INT16, "output"));
      MOTE_RETURN_IF_ERROR(check_quantization(ctx, input, output));
      const double real = int16_input_real_multiplier(beta, input.scale());
      if (!std::isfinite(real)) {
        return ctx.fail(Status::kInvalidModel, "beta %g times input scale %g is not finite",
                        static_cast<double>(beta), static_cast<double>(input.scale()));
      }
      int32_t multiplier;
      int shift;
      quantize_multiplier(real, &multiplier, &shift);
      if (shift > 30) {
        return ctx.fail(Status::kUnsupported, "beta %g times input scale %g is too large",
                        static_cast<double>(beta), static_cast<double>(input.scale()));
      }
      if (static_cast<uint32_t>(input.dim(-1)) > kMaxInt16Depth) {
        return ctx.fail(Status::kUnsupported,
                        "rows of %d elements overflow the int16 softmax's 32-bit sum (at most %u)",
                        input.dim(-1), kMaxInt16Depth);
      }
      op_data_bytes += 2 * kInt16LutSize * sizeof(int16_t);
      break;
    }
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported (float32, int8, int16)",
                      tensor_type_name(input.type));
  }
  ctx.set_op_data_bytes(op_data_bytes);
  return Status::kOk;
}

float exp_of(float x) { return std::exp(x); }
float one_over_one_plus(float x) { return 1.0f / (1.0f + x); }

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  auto* d = ctx.op_data<OpData>();
  d->depth = static_cast<uint32_t>(input.dim(-1));
  d->outer = d->depth == 0 ? 0 : input.elements / d->depth;
  d->beta = beta_of(ctx);
  int shift = 0;
  if (input.type == TensorType::INT8) {
    quantize_multiplier(int8_input_real_multiplier(d->beta, input.scale()), &d->input_multiplier,
                        &shift);
    d->input_shift = shift;
    // The most negative difference whose rescaled value still fits Q5.26 (TFLite's
    // CalculateInputRadius, floored in double).
    const double radius = static_cast<double>((1 << kScaledDiffIntegerBits) - 1) *
                          static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                          static_cast<double>(int64_t{1} << shift);
    d->diff_min = -static_cast<int32_t>(std::floor(radius));
  } else if (kInt16Kernels && input.type == TensorType::INT16) {
    quantize_multiplier(int16_input_real_multiplier(d->beta, input.scale()), &d->input_multiplier,
                        &shift);
    d->input_shift = shift;
    // exp over [-10, 0] (exp(-10) is negligible in the sum) and 1/(1+x) over [0, 1], both onto a
    // symmetric [-1, 1] output, exactly as TFLM's softmax prepares them.
    constexpr float kRange = 65535.0f;
    populate_int16_lut(10.0f / kRange, 32767, 2.0f / kRange, 0, exp_of, exp_lut(d));
    populate_int16_lut(1.0f / kRange, -32768, 2.0f / kRange, 0, one_over_one_plus,
                       one_over_one_plus_x_lut(d));
  }
  return Status::kOk;
}

void eval_float(const OpData& d, const float* input, float* output) {
  for (uint32_t r = 0; r < d.outer; ++r) {
    const float* in = input + r * d.depth;
    float* out = output + r * d.depth;
    float max = std::numeric_limits<float>::lowest();
    for (uint32_t c = 0; c < d.depth; ++c) max = max < in[c] ? in[c] : max;
    float sum = 0.0f;
    for (uint32_t c = 0; c < d.depth; ++c) {
      const float e = std::exp((in[c] - max) * d.beta);
      out[c] = e;
      sum += e;
    }
    for (uint32_t c = 0; c < d.depth; ++c) out[c] = out[c] / sum;
  }
}

// int8 input; Out is int8_t or int16_t. False when a row's sum of exps is too large for the
// output's reciprocal shift (TFLite aborts there).
template <typename Out>
bool eval_int8(const OpData& d, const int8_t* input, Out* output) {
  using ScaledDiff = fp::FixedPoint<int32_t, kScaledDiffIntegerBits>;
  using Accum = fp::FixedPoint<int32_t, kAccumulationIntegerBits>;
  using Q0 = fp::FixedPoint<int32_t, 0>;
  constexpr int32_t kOutMin = std::numeric_limits<Out>::min();
  constexpr int32_t kOutMax = std::numeric_limits<Out>::max();
  const auto scaled_exp = [&d](int32_t diff) {
    const int32_t rescaled =
        multiply_by_quantized_multiplier_greater_than_one(diff, d.input_multiplier, d.input_shift);
    return fp::exp_on_negative_values(ScaledDiff::from_raw(rescaled));
  };
  for (uint32_t r = 0; r < d.outer; ++r) {
    const int8_t* in = input + r * d.depth;
    Out* out = output + r * d.depth;
    int32_t max = std::numeric_limits<int8_t>::min();
    for (uint32_t c = 0; c < d.depth; ++c) max = in[c] > max ? in[c] : max;

    Accum sum = Accum::zero();
    for (uint32_t c = 0; c < d.depth; ++c) {
      const int32_t diff = in[c] - max;
      if (diff >= d.diff_min) sum = sum + fp::rescale<kAccumulationIntegerBits>(scaled_exp(diff));
    }
    int num_bits_over_unit;
    const Q0 shifted_scale =
        Q0::from_raw(get_reciprocal(sum.raw, kAccumulationIntegerBits, &num_bits_over_unit));
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(8 * sizeof(Out));
    if (exponent < 0 || exponent > 31) return false;

    for (uint32_t c = 0; c < d.depth; ++c) {
      const int32_t diff = in[c] - max;
      int32_t value = kOutMin;
      if (diff >= d.diff_min) {
        const int32_t unsaturated =
            rounding_divide_by_pot((shifted_scale * scaled_exp(diff)).raw, exponent);
        value = clamp(unsaturated + kOutMin, kOutMin, kOutMax);
      }
      out[c] = static_cast<Out>(value);
    }
  }
  return true;
}

void eval_int16(const OpData& d, const int16_t* input, int16_t* output) {
  const int16_t* exp_table = exp_lut(&d);
  const int16_t* reciprocal_table = one_over_one_plus_x_lut(&d);
  for (uint32_t r = 0; r < d.outer; ++r) {
    const int16_t* in = input + r * d.depth;
    int16_t* out = output + r * d.depth;
    int32_t max = std::numeric_limits<int16_t>::min();
    for (uint32_t c = 0; c < d.depth; ++c) max = in[c] > max ? in[c] : max;

    // exp of each difference in Q0.15, kept in the output until the sum is known (as TFLM).
    int32_t sum = 0;
    for (uint32_t c = 0; c < d.depth; ++c) {
      const int32_t scaled =
          multiply_by_quantized_multiplier(in[c] - max, d.input_multiplier, d.input_shift);
      // [-65535, 0] recentred onto the table's symmetric input range.
      const auto centred = static_cast<int16_t>(clamp<int32_t>(scaled + 32767, -32768, 32767));
      out[c] = int16_lut_lookup(centred, exp_table);
      sum += out[c];
    }

    // 1/sum: sum normalised to [1, 2) in Q1.14 (rounded), 1/(1 + x) looked up for x = sum - 1
    // recentred from [0, 1) onto the table's input range.
    const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(sum));
    const auto shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t centred_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal = int16_lut_lookup(
        static_cast<int16_t>(clamp<int32_t>(centred_sum, -32768, 32767)), reciprocal_table);

    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (uint32_t c = 0; c < d.depth; ++c) {
      const auto result =
          static_cast<int32_t>((static_cast<int64_t>(out[c]) * reciprocal + round) >> right_shift);
      out[c] = static_cast<int16_t>(clamp<int32_t>(result, 0, 32767));
    }
  }
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  bool ok = true;
  switch (ctx.input(0).type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_float(d, ctx.input_data<float>(0), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      ok = ctx.output(0).type == TensorType::INT8 || !kInt16Kernels
               ? eval_int8(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0))
               : eval_int8(d, ctx.input_data<int8_t>(0), ctx.output_data<int16_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_int16(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  if (!ok) {
    return ctx.fail(Status::kKernelError,
                    "a row's sum of exponentials is too large for the output's precision "
                    "(TFLM aborts here)");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& softmax() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::SOFTMAX, nullptr, 3, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
