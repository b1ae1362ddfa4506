// MEAN: the average over the axes listed in a constant int32 tensor (negative axes count from the
// last; duplicates count once). float32, int8 and int16 as TFLM's reference kernels:
//   float: sum in float in the input's row-major order, then divide by the element count (TFLM's
//          4-D "mean over H and W with keep_dims" special case sums in that same order and
//          divides by the same float, so one loop serves both paths);
//   int8/int16: TFLM's QuantizedMeanOrSum, used for every scale and zero point: an int32
//          (wrapping) sum, minus input_zero_point · count, rescaled by input_scale/output_scale
//          with 1/count folded into the fixed-point multiplier, plus the output zero point.
// The output's bytes follow the input's with the reduced axes removed, whatever keep_dims says.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/internal/shape_util.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kAxis = 1;
// TFLM's MEAN keeps its index in a 5-entry array and its resolved axes in a 2-entry one; larger
// models would overrun them there, so they are refused here.
constexpr int kMaxMeanRank = 5;
constexpr int kMaxReducedAxes = 2;

struct OpData {
  uint32_t reduced_mask;  // bit d set: dimension d is averaged
  uint32_t count;         // elements averaged into each output
  int32_t multiplier;     // input_scale / output_scale / count, as TFLM folds it
  int32_t shift;
  int32_t input_zero_point;
  int32_t output_zero_point;
};

// The set of reduced dimensions as a bit mask; false when an axis is out of range.
bool reduced_mask(const Tensor& input, const Tensor& axis, uint32_t* mask, int* bad_axis) {
  *mask = 0;
  for (uint32_t i = 0; i < axis.elements; ++i) {
    const int32_t a = int32_at(axis, i);
    const int32_t d = a < 0 ? a + input.rank : a;
    if (d < 0 || d >= input.rank) {
      *bad_axis = a;
      return false;
    }
    *mask |= 1u << d;
  }
  return true;
}

int popcount(uint32_t mask) {
  int n = 0;
  for (; mask != 0; mask &= mask - 1) ++n;
  return n;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 2, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor axis = ctx.input(kAxis);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, axis, "axis"));
  switch (input.type) {
    case TensorType::FLOAT32:
      break;
    case TensorType::INT8:
    case TensorType::INT16:
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
      break;
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported (float32, int8, int16)",
                      tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.rank > kMaxMeanRank) {
    return ctx.fail(Status::kUnsupported, "input has %d dimensions; TFLM's MEAN handles up to %d",
                    input.rank, kMaxMeanRank);
  }
  MOTE_RETURN_IF_ERROR(check_int32_constant(ctx, axis, axis.elements, "axis"));
  uint32_t mask;
  int bad_axis = 0;
  if (!reduced_mask(input, axis, &mask, &bad_axis)) {
    return ctx.fail(Status::kInvalidModel, "axis %d is out of range for a rank-%d input", bad_axis,
                    input.rank);
  }
  if (popcount(mask) > kMaxReducedAxes) {
    return ctx.fail(Status::kUnsupported,
                    "reduces %d distinct axes; TFLM's MEAN reduces at most %d (its fixed array "
                    "would overflow)",
                    popcount(mask), kMaxReducedAxes);
  }
  uint32_t kept = 1;
  for (int d = 0; d < input.rank; ++d) {
    if ((mask & (1u << d)) == 0) kept *= static_cast<uint32_t>(input.dims[d]);
  }
  if (output.elements != kept) {
    return ctx.fail(Status::kInvalidModel, "output has %u elements; the reduction leaves %u",
                    output.elements, kept);
  }
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor axis = ctx.input(kAxis);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  int unused;
  reduced_mask(input, axis, &d->reduced_mask, &unused);
  d->count = 1;
  for (int i = 0; i < input.rank; ++i) {
    if ((d->reduced_mask & (1u << i)) != 0) d->count *= static_cast<uint32_t>(input.dims[i]);
  }
  d->multiplier = 0;
  d->shift = 0;
  d->input_zero_point = input.zero_point();
  d->output_zero_point = output.zero_point();
  if (input.type == TensorType::FLOAT32 || d->count == 0) return Status::kOk;
  int32_t multiplier;
  int shift;
  quantize_multiplier(static_cast<double>(input.scale()) / static_cast<double>(output.scale()),
                      &multiplier, &shift);
  // Fold 1/count into the multiplier: scale it up by 2^k with 2^k <= count (k capped so that the
  // product stays in 64 bits and the final shift stays >= -31), then divide by count.
  int k = 0;
  while (k < 32 && (uint64_t{2} << k) <= d->count) ++k;
  if (k > 31 + shift) k = 31 + shift;
  d->multiplier = static_cast<int32_t>((static_cast<int64_t>(multiplier) << k) /
                                       static_cast<int64_t>(d->count));
  d->shift = shift - k;
  return Status::kOk;
}

// Visits the output in order; for each output, visits the averaged input elements in increasing
// address order and hands them to `add`, then stores `finish(accumulator)`.
template <typename In, typename Out, typename Acc, typename Add, typename Finish>
void reduce(const Tensor& input, uint32_t mask, const In* in, Out* out, Add add, Finish finish) {
  const int rank = input.rank;
  uint32_t strides[kMaxMeanRank];
  row_major_strides(input.dims, rank, strides);
  int kept_axes[kMaxMeanRank], reduced_axes[kMaxMeanRank];
  int num_kept = 0, num_reduced = 0;
  for (int d = 0; d < rank; ++d) {
    if ((mask & (1u << d)) != 0) {
      reduced_axes[num_reduced++] = d;
    } else {
      kept_axes[num_kept++] = d;
    }
  }
  uint32_t outputs = 1, per_output = 1;
  for (int i = 0; i < num_kept; ++i) outputs *= static_cast<uint32_t>(input.dims[kept_axes[i]]);
  for (int i = 0; i < num_reduced; ++i) {
    per_output *= static_cast<uint32_t>(input.dims[reduced_axes[i]]);
  }
  int32_t kept_index[kMaxMeanRank] = {};
  for (uint32_t o = 0; o < outputs; ++o) {
    uint32_t base = 0;
    for (int i = 0; i < num_kept; ++i) {
      base += static_cast<uint32_t>(kept_index[i]) * strides[kept_axes[i]];
    }
    Acc acc = Acc();
    int32_t index[kMaxMeanRank] = {};
    for (uint32_t r = 0; r < per_output; ++r) {
      uint32_t offset = base;
      for (int i = 0; i < num_reduced; ++i) {
        offset += static_cast<uint32_t>(index[i]) * strides[reduced_axes[i]];
      }
      acc = add(acc, in[offset]);
      for (int i = num_reduced - 1; i >= 0; --i) {
        if (++index[i] < input.dims[reduced_axes[i]]) break;
        index[i] = 0;
      }
    }
    out[o] = finish(acc);
    for (int i = num_kept - 1; i >= 0; --i) {
      if (++kept_index[i] < input.dims[kept_axes[i]]) break;
      kept_index[i] = 0;
    }
  }
}

void eval_float(const OpData& d, const Tensor& input, const float* in, float* out) {
  const float count = static_cast<float>(d.count);
  const uint32_t n = d.count;
  reduce<float, float, float>(
      input, d.reduced_mask, in, out, [](float acc, float x) { return acc + x; },
      [count, n](float sum) { return n == 0 ? 0.0f : sum / count; });
}

template <typename T>
void eval_quantized(const OpData& d, const Tensor& input, const T* in, T* out) {
  int32_t qmin, qmax;
  integer_type_range(input.type, &qmin, &qmax);
  // TFLM subtracts input_zero_point · count in 64 bits and keeps the low 32 bits, as the wrapping
  // int32 sum does.
  const int64_t offset = static_cast<int64_t>(d.input_zero_point) * d.count;
  reduce<T, T, uint32_t>(
      input, d.reduced_mask, in, out,
      [](uint32_t acc, T x) { return acc + static_cast<uint32_t>(static_cast<int32_t>(x)); },
      [&d, offset, qmin, qmax](uint32_t sum) {
        if (d.count == 0) return T();
        const auto shifted = static_cast<int32_t>(
            static_cast<uint32_t>(static_cast<int64_t>(static_cast<int32_t>(sum)) - offset));
        const int32_t value =
            multiply_by_quantized_multiplier(shifted, d.multiplier, static_cast<int>(d.shift)) +
            d.output_zero_point;
        return static_cast<T>(clamp(value, qmin, qmax));
      });
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor input = ctx.input(kInput);
  switch (input.type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_float(d, input, ctx.input_data<float>(kInput), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      eval_quantized<int8_t>(d, input, ctx.input_data<int8_t>(kInput), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_quantized<int16_t>(d, input, ctx.input_data<int16_t>(kInput),
                              ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& mean() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::MEAN, nullptr, 3, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
