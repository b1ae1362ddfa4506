// TRANSPOSE: output dimension i is input dimension perm[i]. float32, int8 and int16 as TFLM
// (which refuses other types), up to 5 dimensions (TFLM's limit); perm must be a constant int32
// permutation.
#include <cstdint>
#include <cstring>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/shape_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kPerm = 1;
constexpr int kMaxTransposeRank = 5;

// The permutation, copied at init so that eval depends only on op data and shapes.
struct OpData {
  int32_t perm[kMaxTransposeRank];
};

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 2, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor perm = ctx.input(kPerm);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.type != TensorType::FLOAT32 && input.type != TensorType::INT8 &&
      input.type != TensorType::INT16) {
    return ctx.fail(Status::kUnsupported,
                    "input type %s is not supported (TFLM transposes float32, int8, int16)",
                    tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.rank > kMaxTransposeRank) {
    return ctx.fail(Status::kUnsupported, "input has %d dimensions; TFLM transposes up to %d",
                    input.rank, kMaxTransposeRank);
  }
  MOTE_RETURN_IF_ERROR(
      check_int32_constant(ctx, perm, static_cast<uint32_t>(input.rank), "permutation"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, perm, 1, "permutation"));
  uint32_t seen = 0;
  int32_t expected[kMaxTransposeRank];
  for (int i = 0; i < input.rank; ++i) {
    const int32_t p = int32_at(perm, static_cast<uint32_t>(i));
    if (p < 0 || p >= input.rank || (seen & (1u << p)) != 0) {
      return ctx.fail(Status::kInvalidModel,
                      "permutation entry %d is %d; a permutation of 0..%d is needed", i, p,
                      input.rank - 1);
    }
    seen |= 1u << p;
    expected[i] = input.dims[p];
  }
  MOTE_RETURN_IF_ERROR(check_output_shape(ctx, output, expected, input.rank));
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor perm = ctx.input(kPerm);
  auto* d = ctx.op_data<OpData>();
  for (int i = 0; i < kMaxTransposeRank; ++i) {
    d->perm[i] = i < input.rank ? int32_at(perm, static_cast<uint32_t>(i)) : 0;
  }
  return Status::kOk;
}

// Walks the output in order; the input position moves by the stride of the input dimension each
// output dimension came from.
template <typename T>
void transpose(const OpData& data, const Tensor& input, const T* in, T* out) {
  const int rank = input.rank;
  uint32_t in_strides[kMaxTransposeRank];
  row_major_strides(input.dims, rank, in_strides);
  int32_t out_dims[kMaxTransposeRank];
  uint32_t step[kMaxTransposeRank];
  for (int i = 0; i < rank; ++i) {
    const int32_t p = data.perm[i];
    out_dims[i] = input.dims[p];
    step[i] = in_strides[p];
  }
  const uint32_t total = input.elements;
  int32_t index[kMaxTransposeRank] = {};
  uint32_t offset = 0;
  for (uint32_t o = 0; o < total; ++o) {
    out[o] = in[offset];
    for (int i = rank - 1; i >= 0; --i) {
      offset += step[i];
      if (++index[i] < out_dims[i]) break;
      offset -= step[i] * static_cast<uint32_t>(out_dims[i]);
      index[i] = 0;
    }
  }
}

Status eval(EvalContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const OpData& d = *ctx.op_data<OpData>();
  switch (input.type) {
    case TensorType::FLOAT32:
      transpose(d, input, ctx.input_data<float>(kInput), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      transpose(d, input, ctx.input_data<int8_t>(kInput), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      transpose(d, input, ctx.input_data<int16_t>(kInput), ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& transpose() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::TRANSPOSE, nullptr, 6, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
