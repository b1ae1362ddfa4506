// RELU6: clamp(x, 0, 6). Quantized exactly as TFLM: the clamp bounds are 0 and 6 quantized with
// the INPUT's scale and zero point and the clamped input is written unchanged, so the output
// quantization is assumed equal to the input's (TFLM does not requantize here, unlike RELU).
// float32, int8, int16; the output may overwrite the input.
#include <cmath>
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  int32_t zero;  // 0 on the input's scale
  int32_t six;   // 6 on the input's scale, clamped to the type's range
};

Status plan(PlanContext& ctx) {
  static constexpr TensorType kTypes[] = {TensorType::FLOAT32, TensorType::INT8, TensorType::INT16};
  MOTE_RETURN_IF_ERROR(plan_unary_activation(ctx, kTypes, 3, "float32, int8, int16"));
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  auto* d = ctx.op_data<OpData>();
  if (input.type == TensorType::FLOAT32) return Status::kOk;
  int32_t qmin, qmax;
  integer_type_range(input.type, &qmin, &qmax);
  d->zero = input.zero_point();
  d->six = quantize_clamped(6.0f, input.scale(), input.zero_point(), qmin, qmax);
  return Status::kOk;
}

template <typename T>
void relu6_quantized(const OpData& d, const T* input, T* output, uint32_t n) {
  const auto low = static_cast<T>(d.zero);
  const auto high = static_cast<T>(d.six);
  for (uint32_t i = 0; i < n; ++i) {
    const T v = input[i];
    output[i] = v > high ? high : (v < low ? low : v);
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
        out[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
      }
      break;
    }
    case TensorType::INT8:
      relu6_quantized(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0), n);
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      relu6_quantized(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0), n);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& relu6() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::RELU6, nullptr, 3, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
