// EXPAND_DIMS: the input's bytes under a shape with a size-1 dimension inserted at the constant
// int32 axis (negative: counted from the end of the output). float32, int8 and int16, as TFLM.
// The planner makes the output share the input's bytes; eval copies only when it could not.
#include <cstdint>
#include <cstring>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/shape_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 2, 1));
  const Tensor input = ctx.input(0);
  const Tensor axis = ctx.input(1);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.type != TensorType::FLOAT32 && input.type != TensorType::INT8 &&
      input.type != TensorType::INT16) {
    return ctx.fail(Status::kUnsupported,
                    "input type %s is not supported (TFLM expands float32, int8, int16)",
                    tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  MOTE_RETURN_IF_ERROR(check_int32_constant(ctx, axis, 1, "axis"));
  if (axis.rank > 1) {
    return ctx.fail(Status::kInvalidModel, "axis tensor %d '%s' has rank %d; one value is needed",
                    axis.index, axis.name, axis.rank);
  }
  if (input.rank >= kMaxRank) {
    return ctx.fail(Status::kUnsupported, "input already has %d dimensions", input.rank);
  }
  const int32_t value = int32_at(axis, 0);
  const int32_t at = value < 0 ? value + input.rank + 1 : value;
  if (at < 0 || at > input.rank) {
    return ctx.fail(Status::kInvalidModel, "axis %d is out of range for a rank-%d input", value,
                    input.rank);
  }
  int32_t expected[kMaxRank];
  for (int d = 0, i = 0; d <= input.rank; ++d) expected[d] = d == at ? 1 : input.dims[i++];
  MOTE_RETURN_IF_ERROR(check_output_shape(ctx, output, expected, input.rank + 1));
  ctx.alias_output(0);
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const void* in = ctx.input_data<void>(0);
  void* out = ctx.output_data<void>(0);
  if (in != out && ctx.output(0).bytes > 0) std::memcpy(out, in, ctx.output(0).bytes);
  return Status::kOk;
}

}  // namespace

const KernelRegistration& expand_dims() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::EXPAND_DIMS, nullptr, 2, plan, nullptr, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
