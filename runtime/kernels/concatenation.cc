// CONCATENATION: inputs joined along one axis (negative axes count from the last). float32, int8,
// int16, int32, int64 and bool, up to 10 inputs of up to 5 dimensions, as TFLM. TFLM copies int8
// values as they are, without requantizing inputs whose scale or zero point differ from the
// output's (TFLite's quantizer gives them all the same parameters), and so does mote. A fused
// activation is refused, as TFLM does.
#include <cstdint>
#include <cstring>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/shape_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kMaxInputs = 10;            // TFLM's limits
constexpr int kMaxConcatenationRank = 5;  // TFLM's RuntimeShape holds 5 dimensions

bool is_supported_type(TensorType type) {
  return type == TensorType::FLOAT32 || type == TensorType::INT8 || type == TensorType::INT16 ||
         type == TensorType::INT32 || type == TensorType::INT64 || type == TensorType::BOOL;
}

int positive_axis(const OpContext& ctx, int rank) {
  const auto* options = ctx.options<tflite::ConcatenationOptions>();
  const int axis = options != nullptr ? options->axis() : 0;
  return axis < 0 ? axis + rank : axis;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, kMaxInputs, 1));
  const Tensor output = ctx.output(0);
  const auto* options = ctx.options<tflite::ConcatenationOptions>();
  if (options != nullptr &&
      options->fused_activation_function() != tflite::ActivationFunctionType::NONE) {
    return ctx.fail(Status::kUnsupported, "fused activation %s is not supported (TFLM refuses it)",
                    tflite::EnumNameActivationFunctionType(options->fused_activation_function()));
  }
  if (!is_supported_type(output.type)) {
    return ctx.fail(Status::kUnsupported,
                    "type %s is not supported (float32, int8, int16, int32, int64, bool)",
                    tensor_type_name(output.type));
  }
  if (output.rank > kMaxConcatenationRank) {
    return ctx.fail(Status::kUnsupported, "output has %d dimensions; TFLM concatenates up to %d",
                    output.rank, kMaxConcatenationRank);
  }
  const int axis = positive_axis(ctx, output.rank);
  if (axis < 0 || axis >= output.rank) {
    return ctx.fail(Status::kInvalidModel, "axis %d is out of range for a rank-%d output",
                    options != nullptr ? options->axis() : 0, output.rank);
  }
  int64_t axis_total = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor input = ctx.input(i);
    MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, input, output.type, "input"));
    bool fits = input.rank == output.rank;
    for (int d = 0; fits && d < output.rank; ++d) {
      fits = d == axis || input.dims[d] == output.dims[d];
    }
    if (!fits) {
      char in_shape[64], out_shape[64];
      format_shape(input.dims, input.rank, in_shape, sizeof(in_shape));
      format_shape(output.dims, output.rank, out_shape, sizeof(out_shape));
      return ctx.fail(Status::kInvalidModel,
                      "input %d has shape %s, which does not fit output %s along axis %d", i,
                      in_shape, out_shape, axis);
    }
    axis_total += input.dims[axis];
  }
  if (axis_total != output.dims[axis]) {
    return ctx.fail(Status::kInvalidModel,
                    "inputs sum to %lld along axis %d but the output has %d there",
                    static_cast<long long>(axis_total), axis, output.dims[axis]);
  }
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const Tensor output = ctx.output(0);
  const int axis = positive_axis(ctx, output.rank);
  const uint32_t element = static_cast<uint32_t>(tensor_type_size(output.type));
  const uint32_t outer = dims_product(output, 0, axis);
  // Bytes of one output row: everything from the axis inwards.
  const uint32_t row = dims_product(output, axis, output.rank) * element;
  auto* out = ctx.output_data<uint8_t>(0);
  uint32_t column = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor input = ctx.input(i);
    const uint32_t chunk = dims_product(input, axis, input.rank) * element;
    if (chunk == 0) continue;
    const auto* in = ctx.input_data<uint8_t>(i);
    for (uint32_t k = 0; k < outer; ++k) {
      std::memcpy(out + k * row + column, in + k * chunk, chunk);
    }
    column += chunk;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& concatenation() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::CONCATENATION, nullptr, 4, plan, nullptr, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
