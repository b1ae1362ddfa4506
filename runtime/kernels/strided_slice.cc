// STRIDED_SLICE: along every axis, elements begin, begin + stride, ... up to (excluding) end, with
// negative indices counting from the end, begin_mask/end_mask bits selecting the whole axis and
// shrink_axis_mask bits keeping only element `begin` and dropping the axis. float32, int8, int16,
// int32 and bool, up to 4 dimensions, begin/end/strides constant int32: TFLM's limits.
//
// As TFLM's reference kernel, ellipsis_mask, new_axis_mask and the offset option are ignored (the
// slice is computed as if they were 0/false); the output shape check then refuses the models
// where that makes a difference to the shape.
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
constexpr int kBegin = 1;
constexpr int kEnd = 2;
constexpr int kStrides = 3;
constexpr int kMaxSliceRank = 4;  // TFLM refuses more ("input dim should not exceed 4")

struct AxisSlice {
  int32_t start;   // first input index
  int32_t stride;  // step between input indices (non-zero)
  int32_t count;   // elements taken along the axis
  bool shrink;     // the axis is dropped from the output
};

struct Masks {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t shrink = 0;
  int32_t ellipsis = 0;
  int32_t new_axis = 0;
  bool offset = false;
};

// Every axis resolved at init, so that eval depends only on op data and shapes.
struct OpData {
  struct Axis {
    int32_t start;
    int32_t stride;
    int32_t count;
  } axes[kMaxSliceRank];
};

Masks masks_of(const OpContext& ctx) {
  Masks m;
  const auto* options = ctx.options<tflite::StridedSliceOptions>();
  if (options != nullptr) {
    m.begin = options->begin_mask();
    m.end = options->end_mask();
    m.shrink = options->shrink_axis_mask();
    m.ellipsis = options->ellipsis_mask();
    m.new_axis = options->new_axis_mask();
    m.offset = options->offset();
  }
  return m;
}

// An index after negative indices are resolved, clamped to [0, size] going forwards and to
// [-1, size - 1] going backwards (one past either end).
int64_t clamp_index(int64_t v, int32_t size, bool forward) {
  if (v < 0) v += size;
  const int64_t low = forward ? 0 : -1;
  const int64_t high = forward ? size : size - 1;
  return v < low ? low : (v > high ? high : v);
}

// Axis `d` as TFLM's StridedSliceStartForAxis / StridedSliceEndForAxis resolve it (offset false).
AxisSlice resolve_axis(const Tensor& input, const Tensor& begin, const Tensor& end,
                       const Tensor& strides, const Masks& m, int d) {
  const auto i = static_cast<uint32_t>(d);
  const int32_t size = input.dims[d];
  const int32_t stride = int32_at(strides, i);
  const bool forward = stride > 0;
  // int64 so that adding the axis size to an extreme index cannot overflow.
  int64_t start = clamp_index(int32_at(begin, i), size, forward);
  if ((m.begin & (1 << d)) != 0) start = forward ? 0 : size - 1;
  AxisSlice a;
  a.start = static_cast<int32_t>(start);
  a.stride = stride;
  a.shrink = (m.shrink & (1 << d)) != 0;
  if (a.shrink) {
    a.count = 1;
    return a;
  }
  int64_t stop = clamp_index(int32_at(end, i), size, forward);
  if ((m.end & (1 << d)) != 0) stop = forward ? size : -1;
  const int64_t span = forward ? stop - a.start : a.start - stop;
  const int64_t step = forward ? stride : -static_cast<int64_t>(stride);
  a.count = span <= 0 ? 0 : static_cast<int32_t>((span + step - 1) / step);
  return a;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 4, 4, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor begin = ctx.input(kBegin);
  const Tensor end = ctx.input(kEnd);
  const Tensor strides = ctx.input(kStrides);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  if (input.type != TensorType::FLOAT32 && input.type != TensorType::INT8 &&
      input.type != TensorType::INT16 && input.type != TensorType::INT32 &&
      input.type != TensorType::BOOL) {
    return ctx.fail(Status::kUnsupported,
                    "input type %s is not supported (float32, int8, int16, int32, bool)",
                    tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.rank > kMaxSliceRank) {
    return ctx.fail(Status::kUnsupported, "input has %d dimensions; TFLM slices up to %d",
                    input.rank, kMaxSliceRank);
  }
  const auto rank = static_cast<uint32_t>(input.rank);
  MOTE_RETURN_IF_ERROR(check_int32_constant(ctx, begin, rank, "begin"));
  MOTE_RETURN_IF_ERROR(check_int32_constant(ctx, end, rank, "end"));
  MOTE_RETURN_IF_ERROR(check_int32_constant(ctx, strides, rank, "strides"));
  const Masks m = masks_of(ctx);
  int32_t expected[kMaxSliceRank];
  int out_rank = 0;
  for (int d = 0; d < input.rank; ++d) {
    if (int32_at(strides, static_cast<uint32_t>(d)) == 0) {
      return ctx.fail(Status::kInvalidModel, "stride of dimension %d is 0", d);
    }
    const AxisSlice a = resolve_axis(input, begin, end, strides, m, d);
    if (a.shrink) {
      // TFLM writes no output for these, leaving it undefined: past the end it slices
      // [begin, begin), and with a negative stride it walks from begin down to begin + 1.
      // (It clamps an index below -size to 0, and lets begin_mask pick element 0; so does mote.)
      if (a.start < 0 || a.start >= input.dims[d]) {
        return ctx.fail(Status::kInvalidModel,
                        "shrinks dimension %d at index %d, outside its size %d", d,
                        int32_at(begin, static_cast<uint32_t>(d)), input.dims[d]);
      }
      if (a.stride < 0) {
        return ctx.fail(Status::kUnsupported,
                        "shrinks dimension %d with a negative stride, for which TFLM writes no "
                        "output",
                        d);
      }
      continue;
    }
    expected[out_rank++] = a.count;
  }
  const Status shape = check_output_shape(ctx, output, expected, out_rank);
  if (shape != Status::kOk && (m.ellipsis != 0 || m.new_axis != 0 || m.offset)) {
    return ctx.fail(Status::kUnsupported,
                    "TFLM ignores ellipsis_mask, new_axis_mask and offset, which this model sets "
                    "(%d, %d, %s)",
                    m.ellipsis, m.new_axis, m.offset ? "true" : "false");
  }
  MOTE_RETURN_IF_ERROR(shape);
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Masks m = masks_of(ctx);
  auto* d = ctx.op_data<OpData>();
  for (int i = 0; i < kMaxSliceRank; ++i) {
    d->axes[i] = {0, 1, 1};
    if (i >= input.rank) continue;
    const AxisSlice a =
        resolve_axis(input, ctx.input(kBegin), ctx.input(kEnd), ctx.input(kStrides), m, i);
    d->axes[i] = {a.start, a.stride, a.count};
  }
  return Status::kOk;
}

// Walks the output in order; the input offset moves by stride · input stride along each axis.
template <typename T>
void slice(const Tensor& input, const OpData::Axis* axes, const T* in, T* out) {
  const int rank = input.rank;
  uint32_t in_strides[kMaxSliceRank];
  row_major_strides(input.dims, rank, in_strides);
  uint32_t total = 1;
  uint32_t base = 0;
  // 64 bits: a huge stride is valid on an axis that takes one element.
  int64_t step[kMaxSliceRank];
  for (int d = 0; d < rank; ++d) {
    total *= static_cast<uint32_t>(axes[d].count);
    base += static_cast<uint32_t>(axes[d].start) * in_strides[d];
    step[d] = static_cast<int64_t>(axes[d].stride) * in_strides[d];
  }
  if (total == 0) return;
  int32_t index[kMaxSliceRank] = {};
  int64_t offset = base;
  for (uint32_t o = 0; o < total; ++o) {
    out[o] = in[offset];
    for (int d = rank - 1; d >= 0; --d) {
      offset += step[d];
      if (++index[d] < axes[d].count) break;
      offset -= step[d] * axes[d].count;
      index[d] = 0;
    }
  }
}

Status eval(EvalContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const OpData::Axis* axes = ctx.op_data<OpData>()->axes;
  switch (tensor_type_size(input.type)) {
    case 1:
      slice(input, axes, ctx.input_data<uint8_t>(kInput), ctx.output_data<uint8_t>(0));
      break;
    case 2:
      slice(input, axes, ctx.input_data<uint16_t>(kInput), ctx.output_data<uint16_t>(0));
      break;
    case 4:
      slice(input, axes, ctx.input_data<uint32_t>(kInput), ctx.output_data<uint32_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& strided_slice() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::STRIDED_SLICE, nullptr, 8, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
