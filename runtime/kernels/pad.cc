// PAD and PADV2: output = input surrounded by a constant, per-axis counts before and after.
// float32, int8, int16 and int32, up to 5 dimensions, as TFLM's reference Pad. The fill value is
// PADV2's third input when present; otherwise the output zero point for int8 and 0 for every other
// type (TFLM fills int16 with 0 whatever the zero point, which int16 tensors keep at 0 anyway).
#include <cstdint>
#include <cstring>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/shape_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kPaddings = 1;
constexpr int kConstantValue = 2;
// TFLM's reference Pad works on 5-D shapes and refuses more dimensions.
constexpr int kMaxPadRank = 5;

// The paddings before each dimension, copied at init: eval relies on nothing but op data and
// shapes once planning has validated them.
struct OpData {
  int32_t before[kMaxPadRank];
};

bool is_supported_type(TensorType type) {
  return type == TensorType::FLOAT32 || type == TensorType::INT8 || type == TensorType::INT16 ||
         type == TensorType::INT32;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 3, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor paddings = ctx.input(kPaddings);
  const Tensor value = ctx.input(kConstantValue);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, paddings, "paddings"));
  if (!is_supported_type(input.type)) {
    return ctx.fail(Status::kUnsupported,
                    "input type %s is not supported (float32, int8, int16, int32)",
                    tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.rank > kMaxPadRank) {
    return ctx.fail(Status::kUnsupported, "input has %d dimensions; TFLM pads up to %d", input.rank,
                    kMaxPadRank);
  }
  // TFLM reads the paddings as int32 whatever their type, so int64 paddings are refused.
  MOTE_RETURN_IF_ERROR(
      check_int32_constant(ctx, paddings, 2u * static_cast<uint32_t>(input.rank), "paddings"));
  // The paddings form a [rank, 2] matrix; a flat vector of the same values is read alike.
  int32_t expected[kMaxPadRank];
  for (int d = 0; d < input.rank; ++d) {
    const int32_t before = int32_at(paddings, 2u * static_cast<uint32_t>(d));
    const int32_t after = int32_at(paddings, 2u * static_cast<uint32_t>(d) + 1);
    if (before < 0 || after < 0) {
      return ctx.fail(Status::kInvalidModel, "paddings of dimension %d are negative (%d, %d)", d,
                      before, after);
    }
    // In 64 bits: a hostile model's paddings may sum past int32.
    const int64_t size = int64_t{input.dims[d]} + before + after;
    if (size > INT32_MAX) {
      return ctx.fail(Status::kInvalidModel, "padding dimension %d gives %lld elements", d,
                      static_cast<long long>(size));
    }
    expected[d] = static_cast<int32_t>(size);
  }
  MOTE_RETURN_IF_ERROR(check_output_shape(ctx, output, expected, input.rank));

  if (value.present()) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, value, input.type, "constant value"));
    if (value.elements != 1) {
      return ctx.fail(Status::kInvalidModel, "constant value tensor %d '%s' has %u values, not 1",
                      value.index, value.name, value.elements);
    }
    if (input.type == TensorType::INT8) {
      // The fill is copied as is, so it must mean the same real value in the output.
      if (value.zero_point() != output.zero_point() || value.scale() != output.scale()) {
        return ctx.fail(Status::kInvalidModel,
                        "constant value is quantized (scale %g, zero point %d) unlike the output "
                        "(scale %g, zero point %d)",
                        static_cast<double>(value.scale()), value.zero_point(),
                        static_cast<double>(output.scale()), output.zero_point());
      }
    }
  } else if (input.type == TensorType::INT8) {
    const int32_t zp = output.zero_point();
    if (zp < -128 || zp > 127) {
      return ctx.fail(Status::kInvalidModel, "output zero point %d is outside int8", zp);
    }
  }
  // The output may take over the input's bytes: pad_in_place writes back to front.
  ctx.allow_in_place_any_size(kInput);
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor paddings = ctx.input(kPaddings);
  auto* d = ctx.op_data<OpData>();
  for (int i = 0; i < kMaxPadRank; ++i) {
    d->before[i] = i < input.rank ? int32_at(paddings, 2u * static_cast<uint32_t>(i)) : 0;
  }
  return Status::kOk;
}

// Writes the output row by row: runs of the fill value around runs copied from the input. The
// innermost dimension is contiguous in both tensors, so each input row is one memcpy.
template <typename T>
void pad(const OpData& data, const Tensor& input, const Tensor& output, T fill, const T* in,
         T* out) {
  const int rank = input.rank;
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  const int32_t* before = data.before;
  const int32_t* out_dims = output.dims;
  const int last = rank - 1;
  const uint32_t out_row = static_cast<uint32_t>(out_dims[last]);
  const uint32_t in_row = static_cast<uint32_t>(input.dims[last]);
  // Odometer over the output's outer dimensions.
  int32_t index[kMaxPadRank] = {};
  uint32_t rows = 1;
  for (int d = 0; d < last; ++d) rows *= static_cast<uint32_t>(out_dims[d]);
  for (uint32_t r = 0; r < rows; ++r) {
    bool inside = true;
    for (int d = 0; d < last; ++d) {
      inside = inside && index[d] >= before[d] && index[d] < before[d] + input.dims[d];
    }
    if (inside && in_row > 0) {
      const uint32_t lead = static_cast<uint32_t>(before[last]);
      for (uint32_t i = 0; i < lead; ++i) out[i] = fill;
      std::memcpy(out + lead, in, in_row * sizeof(T));
      for (uint32_t i = lead + in_row; i < out_row; ++i) out[i] = fill;
      in += in_row;
    } else {
      for (uint32_t i = 0; i < out_row; ++i) out[i] = fill;
    }
    out += out_row;
    for (int d = last - 1; d >= 0; --d) {
      if (++index[d] < out_dims[d]) break;
      index[d] = 0;
    }
  }
}

// The same as pad(), for an input that starts at the output's first byte (the planner placed it
// there): rows are written last to first and each row back to front, so every input byte is read
// before the output overwrites it (an output element never precedes the input element it copies).
template <typename T>
void pad_in_place(const OpData& data, const Tensor& input, const Tensor& output, T fill, T* out) {
  const int rank = input.rank;
  if (rank == 0) return;  // one element, already in place
  const int32_t* before = data.before;
  const int32_t* out_dims = output.dims;
  const int last = rank - 1;
  const uint32_t out_row = static_cast<uint32_t>(out_dims[last]);
  const uint32_t in_row = static_cast<uint32_t>(input.dims[last]);
  const uint32_t lead = static_cast<uint32_t>(before[last]);
  uint32_t rows = 1;
  for (int d = 0; d < last; ++d) rows *= static_cast<uint32_t>(out_dims[d]);
  int32_t index[kMaxPadRank] = {};
  for (int d = 0; d < last; ++d) index[d] = out_dims[d] - 1;
  const T* in_end = out + input.elements;  // one past the input row still to be copied
  for (uint32_t r = rows; r-- > 0;) {
    T* row = out + static_cast<size_t>(r) * out_row;
    bool inside = true;
    for (int d = 0; d < last; ++d) {
      inside = inside && index[d] >= before[d] && index[d] < before[d] + input.dims[d];
    }
    if (inside && in_row > 0) {
      for (uint32_t i = out_row; i-- > lead + in_row;) row[i] = fill;
      in_end -= in_row;
      std::memmove(row + lead, in_end, in_row * sizeof(T));
      for (uint32_t i = lead; i-- > 0;) row[i] = fill;
    } else {
      for (uint32_t i = out_row; i-- > 0;) row[i] = fill;
    }
    for (int d = last - 1; d >= 0; --d) {
      if (--index[d] >= 0) break;
      index[d] = out_dims[d] - 1;
    }
  }
}

template <typename T>
void eval_typed(EvalContext& ctx, T default_fill) {
  const T* value = ctx.input_data<T>(kConstantValue);
  T fill = default_fill;
  if (value != nullptr) std::memcpy(&fill, value, sizeof(T));
  const T* in = ctx.input_data<T>(kInput);
  T* out = ctx.output_data<T>(0);
  if (static_cast<const void*>(in) == static_cast<const void*>(out)) {
    pad_in_place<T>(*ctx.op_data<OpData>(), ctx.input(kInput), ctx.output(0), fill, out);
  } else {
    pad<T>(*ctx.op_data<OpData>(), ctx.input(kInput), ctx.output(0), fill, in, out);
  }
}

Status eval(EvalContext& ctx) {
  switch (ctx.input(kInput).type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_typed<float>(ctx, 0.0f);
      break;
    case TensorType::INT8:
      eval_typed<int8_t>(ctx, static_cast<int8_t>(ctx.output(0).zero_point()));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_typed<int16_t>(ctx, 0);
      break;
    case TensorType::INT32:
      eval_typed<int32_t>(ctx, 0);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& pad() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::PAD, nullptr, 4, plan, init, eval};
  return kRegistration;
}

const KernelRegistration& padv2() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::PADV2, nullptr, 4, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
