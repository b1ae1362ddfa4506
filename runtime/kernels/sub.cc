// SUB: output = act(input1 − input2) with NumPy broadcasting up to rank 8.
// float32; int32 (unquantized, wrapping, with the fused activation's integer range); int8 and
// int16 with TFLite's general-scale arithmetic (quantized_add_sub.h), whose rescaling factors TFLM
// derives in single precision for SUB. As in TFLM's micro SUB, pot_scale_int16 is ignored.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/broadcast.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/internal/quantized_add_sub.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

struct OpData {
  BroadcastPlan broadcast;
  AddSubParams quantized;
  float float_min;
  float float_max;
  int32_t int32_min;
  int32_t int32_max;
};

Activation activation_of(const OpContext& ctx) {
  const auto* options = ctx.options<tflite::SubOptions>();
  return options != nullptr ? options->fused_activation_function() : Activation::NONE;
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
      break;
    case TensorType::INT32:
      if (input1.num_scales != 0 || input2.num_scales != 0 || output.num_scales != 0) {
        return ctx.fail(Status::kUnsupported, "int32 tensors must not be quantized");
      }
      break;
    case TensorType::INT8:
    case TensorType::INT16:
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input1, "input 1"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input2, "input 2"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input1, "input 1"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, input2, "input 2"));
      MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, output, "output"));
      MOTE_RETURN_IF_ERROR(check_add_sub_scales(ctx, sub_scales(input1, input2, output)));
      break;
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
  int32_activation_range(activation, &d->int32_min, &d->int32_max);
  if (output.type == TensorType::INT8 || output.type == TensorType::INT16) {
    d->quantized =
        make_add_sub_params(sub_scales(input1, input2, output), input1, input2, output, activation);
  }
  return Status::kOk;
}

template <typename T>
void eval_quantized(const OpData& d, const T* input1, const T* input2, T* output) {
  const AddSubParams& p = d.quantized;
  broadcast_binary(d.broadcast, input1, input2, output,
                   [&p](T a, T b) { return static_cast<T>(add_sub_element<true>(p, a, b)); });
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  switch (ctx.output(0).type) {
    case TensorType::FLOAT32: {
      const float low = d.float_min;
      const float high = d.float_max;
      broadcast_binary(d.broadcast, ctx.input_data<float>(0), ctx.input_data<float>(1),
                       ctx.output_data<float>(0),
                       [low, high](float a, float b) { return clamp(a - b, low, high); });
      break;
    }
    case TensorType::INT32: {
      const int32_t low = d.int32_min;
      const int32_t high = d.int32_max;
      // Two's-complement wrap-around, as TFLM's int32 subtraction behaves on its targets.
      broadcast_binary(d.broadcast, ctx.input_data<int32_t>(0), ctx.input_data<int32_t>(1),
                       ctx.output_data<int32_t>(0), [low, high](int32_t a, int32_t b) {
                         const auto difference = static_cast<int32_t>(static_cast<uint32_t>(a) -
                                                                      static_cast<uint32_t>(b));
                         return clamp(difference, low, high);
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

const KernelRegistration& sub() {
  // Versions: 1 float/int32, 2 int8, 3 broadcasting beyond rank 4, 5 int16 without power-of-two
  // scales. Version 4 (int64) is refused by type, as TFLM has no int64 SUB.
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::SUB, nullptr, 5, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
