// MUL: output = act(input1 · input2) with NumPy broadcasting up to rank 8.
// float32; int32 (unquantized, wrapping, with the fused activation's integer range); int8 and
// int16 (zero points 0, as TFLM demands): the product of the offset inputs, rescaled by
// input1_scale · input2_scale / output_scale, which may exceed one.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/broadcast.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  BroadcastPlan broadcast;
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t output_offset;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;  // quantized, or the int32 range
  int32_t act_max;
  float float_min;
  float float_max;
};

Activation activation_of(const OpContext& ctx) {
  const auto* options = ctx.options<tflite::MulOptions>();
  return options != nullptr ? options->fused_activation_function() : Activation::NONE;
}

double real_multiplier(const Tensor& input1, const Tensor& input2, const Tensor& output) {
  return static_cast<double>(input1.scale()) * static_cast<double>(input2.scale()) /
         static_cast<double>(output.scale());
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 2, 1));
  const Tensor input1 = ctx.input(0);
  const Tensor input2 = ctx.input(1);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input1, "input 1"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, input2, "input 2"));
  MOTE_RETURN_IF_ERROR(check_activation(ctx, activation_of(ctx)));
  MOTE_RETURN_IF_ERROR(check_type(ctx, input2, input1.type, "input 2"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input1.type, "output"));
  MOTE_RETURN_IF_ERROR(check_broadcast_shapes(ctx, input1, input2, output));
  switch (input1.type) {
    case TensorType::FLOAT32:
    case TensorType::INT32:
      break;
    case TensorType::INT8:
    case TensorType::INT16: {
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input1, "input 1"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input2, "input 2"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input1, "input 1"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input2, "input 2"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, output, "output"));
      if (input1.type == TensorType::INT16 &&
          (input1.zero_point() != 0 || input2.zero_point() != 0 || output.zero_point() != 0)) {
        return ctx.fail(Status::kInvalidModel, "int16 tensors need zero point 0");
      }
      int32_t multiplier;
      int shift;
      const double real = real_multiplier(input1, input2, output);
      quantize_multiplier(real, &multiplier, &shift);
      if (shift > 30) {
        return ctx.fail(Status::kUnsupported,
                        "rescaling factor %f is beyond 32-bit fixed point (output scale too small)",
                        real);
      }
      break;
    }
    default:
      return ctx.fail(Status::kUnsupported, "type %s is not supported",
                      tensor_type_name(input1.type));
  }
  allow_in_place_for_broadcast(ctx, input1, input2, output);
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input1 = ctx.input(0);
  const Tensor input2 = ctx.input(1);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  const Activation activation = activation_of(ctx);
  d->broadcast = make_broadcast_plan(input1, input2, output);
  float_activation_range(activation, &d->float_min, &d->float_max);
  if (output.type == TensorType::INT32) {
    int32_activation_range(activation, &d->act_min, &d->act_max);
  } else if (output.type == TensorType::INT8 || output.type == TensorType::INT16) {
    d->input1_offset = -input1.zero_point();
    d->input2_offset = -input2.zero_point();
    d->output_offset = output.zero_point();
    int shift;
    quantize_multiplier(real_multiplier(input1, input2, output), &d->output_multiplier, &shift);
    d->output_shift = shift;
    int32_t qmin, qmax;
    integer_type_range(output.type, &qmin, &qmax);
    quantized_activation_range(activation, output.scale(), output.zero_point(), qmin, qmax,
                               &d->act_min, &d->act_max);
  }
  return Status::kOk;
}

template <typename T>
void eval_quantized(const OpData& d, const T* input1, const T* input2, T* output) {
  broadcast_binary(d.broadcast, input1, input2, output, [&d](T a, T b) {
    // At most 255 · 255 (int8) or 32768 · 32768 (int16): inside 32 bits.
    const int32_t product = (d.input1_offset + a) * (d.input2_offset + b);
    const int32_t out =
        d.output_offset + multiply_by_quantized_multiplier(product, d.output_multiplier,
                                                           static_cast<int>(d.output_shift));
    return static_cast<T>(clamp(out, d.act_min, d.act_max));
  });
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  switch (ctx.output(0).type) {
    case TensorType::FLOAT32: {
      const float low = d.float_min;
      const float high = d.float_max;
      broadcast_binary(d.broadcast, ctx.input_data<float>(0), ctx.input_data<float>(1),
                       ctx.output_data<float>(0),
                       [low, high](float a, float b) { return clamp(a * b, low, high); });
      break;
    }
    case TensorType::INT32: {
      const int32_t low = d.act_min;
      const int32_t high = d.act_max;
      // TFLite's WrappingMul: the product modulo 2^32.
      broadcast_binary(d.broadcast, ctx.input_data<int32_t>(0), ctx.input_data<int32_t>(1),
                       ctx.output_data<int32_t>(0), [low, high](int32_t a, int32_t b) {
                         const auto product = static_cast<int32_t>(static_cast<uint32_t>(a) *
                                                                   static_cast<uint32_t>(b));
                         return clamp(product, low, high);
                       });
      break;
    }
    case TensorType::INT8:
      eval_quantized(d, ctx.input_data<int8_t>(0), ctx.input_data<int8_t>(1),
                     ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_quantized(d, ctx.input_data<int16_t>(0), ctx.input_data<int16_t>(1),
                     ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected output type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& mul() {
  // Versions: 1 float/int32, 2 int8, 3 int8 with a rescaling factor of one or more, 4 int16.
  // Later versions are int64, complex64 and unquantized int16/uint32, which TFLM does not run.
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::MUL, nullptr, 4, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
