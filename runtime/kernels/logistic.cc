// LOGISTIC: output = 1 / (1 + e^-input), element-wise. float32; int8 (output scale 1/256, zero
// point -128, gemmlowp fixed point); int16 (zero points 0, output scale 2^-15, TFLite's table).
#include <cstdint>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation_float.h"
#include "runtime/kernels/internal/activation_int16.h"
#include "runtime/kernels/internal/activation_int8.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  Int8ActivationParams int8;
  Int16TableScaling int16;
};

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  // TFLM compares element counts only, so [1,4] → [4] is fine.
  if (input.elements != output.elements) {
    return ctx.fail(Status::kInvalidModel, "input has %u elements but output has %u",
                    input.elements, output.elements);
  }
  switch (input.type) {
    case TensorType::FLOAT32:
      break;
    case TensorType::INT8:
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
      if (output.zero_point() != -128) {
        return ctx.fail(Status::kUnsupported,
                        "int8 output tensor %d '%s' has zero point %d; TFLite's int8 logistic "
                        "writes zero point -128 (scale 1/256)",
                        output.index, output.name, output.zero_point());
      }
      break;
    case TensorType::INT16: {
      MOTE_RETURN_IF_ERROR(check_int16_activation_io(ctx, input, output, /*is_tanh=*/false));
      break;
    }
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                      tensor_type_name(input.type));
  }
  if (input.type != TensorType::FLOAT32) ctx.set_op_data_bytes(sizeof(OpData));
  ctx.allow_in_place(0);
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  auto* d = ctx.op_data<OpData>();
  if (d == nullptr) return Status::kOk;
  *d = OpData{};
  if (input.type == TensorType::INT8) {
    d->int8 = int8_activation_params(input.scale(), input.zero_point());
  } else if (!int16_activation_scaling(/*is_tanh=*/false, input.scale(), &d->int16)) {
    return ctx.fail(Status::kKernelError, "int16 input scale changed after planning");
  }
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const Tensor input = ctx.input(0);
  const uint32_t n = input.elements;
  switch (input.type) {
    case TensorType::FLOAT32: {
      const float* in = ctx.input_data<float>(0);
      float* out = ctx.output_data<float>(0);
      for (uint32_t i = 0; i < n; ++i) out[i] = logistic_float(in[i]);
      break;
    }
    case TensorType::INT8: {
      const Int8ActivationParams& p = ctx.op_data<OpData>()->int8;
      const int8_t* in = ctx.input_data<int8_t>(0);
      int8_t* out = ctx.output_data<int8_t>(0);
      for (uint32_t i = 0; i < n; ++i) out[i] = logistic_int8(in[i], p);
      break;
    }
    case TensorType::INT16: {
      const Int16TableScaling& s = ctx.op_data<OpData>()->int16;
      const int16_t* in = ctx.input_data<int16_t>(0);
      int16_t* out = ctx.output_data<int16_t>(0);
      for (uint32_t i = 0; i < n; ++i) out[i] = logistic_int16(in[i], s);
      break;
    }
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& logistic() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::LOGISTIC, nullptr, 3, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
