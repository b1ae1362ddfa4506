// RESHAPE: the same bytes under another shape. The planner makes the output share the input's
// bytes, so eval copies only when it could not (a variable input).
#include <cstring>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

Status plan(PlanContext& ctx) {
  // The second input (the new shape) is optional; the output tensor's shape is authoritative.
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 2, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.type != output.type) {
    return ctx.fail(Status::kInvalidModel, "input is %s but output is %s",
                    tensor_type_name(input.type), tensor_type_name(output.type));
  }
  if (input.elements != output.elements) {
    return ctx.fail(Status::kInvalidModel, "input has %u elements but output has %u",
                    input.elements, output.elements);
  }
  ctx.alias_output(0);
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const void* in = ctx.input_data<void>(0);
  void* out = ctx.output_data<void>(0);
  if (in != out) std::memcpy(out, in, ctx.output(0).bytes);
  return Status::kOk;
}

}  // namespace

const KernelRegistration& reshape() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::RESHAPE, nullptr, 2, plan, nullptr, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
