// LEAKY_RELU: x for x >= 0, alpha · x below (alpha may be negative or above one). Quantized
// exactly as TFLM: two rescalings from input to output, by in/out scale for x >= 0 and by
// alpha · in/out scale below, with the scale ratios formed in float. float32, int8, int16; the
// output may overwrite the input.
#include <cstdint>
#include <limits>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  float alpha;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t identity_multiplier;
  int32_t identity_shift;
  int32_t alpha_multiplier;  // negative for a negative alpha
  int32_t alpha_shift;
};

float alpha_of(const OpContext& ctx) {
  // TFLite parses a missing LeakyReluOptions as alpha 0.
  const auto* options = ctx.options<tflite::LeakyReluOptions>();
  return options != nullptr ? options->alpha() : 0.0f;
}

// The two real multipliers, each computed in float and then widened, as TFLM.
double identity_ratio(const Tensor& input, const Tensor& output) {
  return static_cast<double>(input.scale() / output.scale());
}
double alpha_ratio(const Tensor& input, const Tensor& output, float alpha) {
  return static_cast<double>(input.scale() * alpha / output.scale());
}

Status plan(PlanContext& ctx) {
  static constexpr TensorType kTypes[] = {TensorType::FLOAT32, TensorType::INT8, TensorType::INT16};
  MOTE_RETURN_IF_ERROR(plan_unary_activation(ctx, kTypes, 3, "float32, int8, int16"));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  if (input.type != TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(
        check_rescale(ctx, identity_ratio(input, output), "input scale / output scale"));
    MOTE_RETURN_IF_ERROR(check_rescale(ctx, alpha_ratio(input, output, alpha_of(ctx)),
                                       "alpha * input scale / output scale"));
  }
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  d->alpha = alpha_of(ctx);
  if (input.type == TensorType::FLOAT32) return Status::kOk;
  d->input_zero_point = input.zero_point();
  d->output_zero_point = output.zero_point();
  int shift;
  quantize_multiplier(identity_ratio(input, output), &d->identity_multiplier, &shift);
  d->identity_shift = shift;
  quantize_multiplier(alpha_ratio(input, output, d->alpha), &d->alpha_multiplier, &shift);
  d->alpha_shift = shift;
  return Status::kOk;
}

template <typename T>
void leaky_relu_quantized(const OpData& d, const T* input, T* output, uint32_t n) {
  // TFLM rescales by |alpha| and negates afterwards. A multiplier from a float ratio has at most
  // 24 significant bits, so it is never INT32_MIN and its negation cannot overflow.
  const bool negative_alpha = d.alpha_multiplier < 0;
  const int32_t alpha_magnitude = negative_alpha ? -d.alpha_multiplier : d.alpha_multiplier;
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t x = input[i] - d.input_zero_point;
    int32_t value = d.output_zero_point;
    if (x >= 0) {
      value += multiply_by_quantized_multiplier(x, d.identity_multiplier, d.identity_shift);
    } else {
      const int32_t scaled = multiply_by_quantized_multiplier(x, alpha_magnitude, d.alpha_shift);
      value += negative_alpha ? -scaled : scaled;
    }
    output[i] = static_cast<T>(
        clamp<int32_t>(value, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
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
        out[i] = v > 0 ? v : v * d.alpha;
      }
      break;
    }
    case TensorType::INT8:
      leaky_relu_quantized(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0), n);
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      leaky_relu_quantized(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0), n);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& leaky_relu() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::LEAKY_RELU, nullptr, 2, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
