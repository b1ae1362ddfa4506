// DEQUANTIZE: int8, int16 or uint8 (per-tensor quantized) → float32, as TFLite's Dequantize:
// the scale widened to double times (value − zero_point), narrowed to float.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  double scale;
  int32_t zero_point;
};

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.type != TensorType::INT8 && input.type != TensorType::INT16 &&
      input.type != TensorType::UINT8) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported (int8, int16, uint8)",
                    tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::FLOAT32, "output"));
  MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input, "input"));
  if (input.elements != output.elements) {
    return ctx.fail(Status::kInvalidModel, "input has %u elements but output has %u",
                    input.elements, output.elements);
  }
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  auto* d = ctx.op_data<OpData>();
  d->scale = static_cast<double>(input.scale());
  d->zero_point = input.zero_point();
  return Status::kOk;
}

template <typename In>
void dequantize(const OpData& d, const In* input, float* output, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    output[i] = static_cast<float>(d.scale * (int32_t{input[i]} - d.zero_point));
  }
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor input = ctx.input(0);
  float* output = ctx.output_data<float>(0);
  switch (input.type) {
    case TensorType::INT8:
      dequantize(d, ctx.input_data<int8_t>(0), output, input.elements);
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      dequantize(d, ctx.input_data<int16_t>(0), output, input.elements);
      break;
    case TensorType::UINT8:
      dequantize(d, ctx.input_data<uint8_t>(0), output, input.elements);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& dequantize() {
  // Versions: 1 uint8, 2 int8, 3 int16 (float16 inputs share version 3 and are refused by type,
  // as are per-channel (5) and int4 (6) inputs, which TFLM's DEQUANTIZE does not run).
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::DEQUANTIZE, nullptr, 3, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
