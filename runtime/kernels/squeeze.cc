// SQUEEZE: the input's bytes under a shape without the size-1 dimensions listed in the options
// (all size-1 dimensions when the list is empty; negative entries count from the last). The
// planner makes the output share the input's bytes; eval copies only when it could not.
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
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  const auto* options = ctx.options<tflite::SqueezeOptions>();
  const auto* listed = options != nullptr ? options->squeeze_dims() : nullptr;
  uint32_t squeezed = 0;
  if (listed == nullptr || listed->size() == 0) {
    for (int d = 0; d < input.rank; ++d) {
      if (input.dims[d] == 1) squeezed |= 1u << d;
    }
  } else {
    for (uint32_t k = 0; k < listed->size(); ++k) {
      const int32_t entry = listed->Get(k);
      const int32_t d = entry < 0 ? entry + input.rank : entry;
      if (d < 0 || d >= input.rank) {
        return ctx.fail(Status::kInvalidModel, "squeeze dimension %d is out of range for rank %d",
                        entry, input.rank);
      }
      if (input.dims[d] != 1) {
        return ctx.fail(Status::kInvalidModel, "squeeze dimension %d has size %d, not 1", entry,
                        input.dims[d]);
      }
      squeezed |= 1u << d;
    }
  }
  int32_t expected[kMaxRank];
  int out_rank = 0;
  for (int d = 0; d < input.rank; ++d) {
    if ((squeezed & (1u << d)) == 0) expected[out_rank++] = input.dims[d];
  }
  MOTE_RETURN_IF_ERROR(check_output_shape(ctx, output, expected, out_rank));
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

const KernelRegistration& squeeze() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::SQUEEZE, nullptr, 2, plan, nullptr, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
