// FULLY_CONNECTED, optimized for int8 on cores with the DSP extension (portable C elsewhere):
// two output rows per pass over the input, four inputs per step through the packed 16-bit
// multiply-accumulate (int8_dot.h). Planning, checks and op data are the reference kernel's
// (runtime/kernels/fully_connected.cc); float, 16x8, sparse weights (Path::kInt8Sparse) and
// weights with a zero point run its code.
#include <cstdint>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/element_access.h"
#include "runtime/kernels/internal/fully_connected_data.h"
#include "runtime/kernels/kernels.h"
#include "runtime/kernels/optimized/int8_dot.h"
#include "runtime/kernels/optimized/optimized_kernels.h"

namespace mote {
namespace kernels {
namespace optimized {
namespace {

using fully_connected_data::OpData;
using fully_connected_data::Path;

constexpr int kInput = 0;
constexpr int kWeights = 1;
constexpr int kBias = 2;

Status plan(PlanContext& ctx) { return kernels::fully_connected().plan(ctx); }
Status init(InitContext& ctx) { return kernels::fully_connected().init(ctx); }

int32_t bias_of(const int32_t* bias, int32_t row) {
  return bias == nullptr ? 0 : load_unaligned<int32_t>(bias, row);
}

void fully_connected_int8(const OpData& d, const int8_t* input, const int8_t* weights,
                          const int32_t* bias, int8_t* output) {
  const auto depth = static_cast<int32_t>(d.accum_depth);
  const auto rows = static_cast<int32_t>(d.output_depth);
  const int32_t offsets = simd::splat16(d.input_offset);
  const bool per_channel = d.num_multipliers > 1;
  const int32_t* multipliers = fully_connected_data::multipliers(&d);
  const int8_t* shifts = fully_connected_data::shifts(&d);
  auto store = [&](int8_t* out, int32_t row, int32_t acc) {
    const int32_t c = per_channel ? row : 0;
    out[row] = to_int8(acc, make_rescale(multipliers[c], shifts[c]), d.output_offset, d.act_min,
                       d.act_max);
  };
  for (uint32_t b = 0; b < d.batches; ++b) {
    const int8_t* x = input + b * d.accum_depth;
    int8_t* out = output + b * d.output_depth;
    int32_t row = 0;
    for (; row + 2 <= rows; row += 2) {
      const int8_t* w0 = weights + row * depth;
      int32_t acc[2] = {bias_of(bias, row), bias_of(bias, row + 1)};
      dot_1x2(x, w0, w0 + depth, depth, d.input_offset, offsets, acc);
      store(out, row, acc[0]);
      store(out, row + 1, acc[1]);
    }
    if (row < rows) {
      const int32_t acc =
          dot_1x1(x, weights + row * depth, depth, d.input_offset, offsets, bias_of(bias, row));
      store(out, row, acc);
    }
  }
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  if (d.path != Path::kInt8 || d.weights_offset != 0) return kernels::fully_connected().eval(ctx);
  fully_connected_int8(d, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kWeights),
                       ctx.input_data<int32_t>(kBias), ctx.output_data<int8_t>(0));
  return Status::kOk;
}

}  // namespace

const KernelRegistration& fully_connected() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::FULLY_CONNECTED, nullptr, 12, plan, init, eval};
  return kRegistration;
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
