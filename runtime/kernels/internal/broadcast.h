// Element-wise binary ops with NumPy broadcasting (ADD, SUB, MUL): the shape checks their plan()
// runs, and a loop nest that walks two inputs against one output.
//
// Shapes are aligned at their last dimension and padded with leading ones; a dimension of one
// stretches to the other operand's size. Before evaluation the dimensions are collapsed, from the
// innermost outwards, into as few loops as the pattern allows: neighbouring dimensions merge when
// each input is either broadcast in both or read contiguously in both. Equal shapes thus become a
// single flat loop and a scalar operand a single loop with a fixed value, and the general case
// pays for its index arithmetic once per innermost row, never per element.
#pragma once

#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/interpreter/tensor.h"

namespace mote {
namespace kernels {

// Highest rank TFLM's broadcast loop accepts (BroadcastBinaryOpSimple's kMaxRank).
constexpr int kMaxBroadcastRank = 8;

// The collapsed loop nest of one broadcast; loop 0 is the innermost. Plain values only, so that
// kernels can keep it in their op data.
struct BroadcastPlan {
  uint32_t num_loops;  // 1 to kMaxBroadcastRank; 0 when the output is empty
  uint32_t extent[kMaxBroadcastRank];
  // Element step of each input per iteration of each loop; 0 where that input is broadcast.
  // In loop 0 the steps are 0 or 1.
  uint32_t stride1[kMaxBroadcastRank];
  uint32_t stride2[kMaxBroadcastRank];
};

// Refuses the op unless `input1` and `input2` broadcast against each other, `output` has the
// broadcast shape (leading ones aside) and no rank exceeds kMaxBroadcastRank.
Status check_broadcast_shapes(const OpContext& ctx, const Tensor& input1, const Tensor& input2,
                              const Tensor& output);

// The loop nest for shapes that passed check_broadcast_shapes.
BroadcastPlan make_broadcast_plan(const Tensor& input1, const Tensor& input2, const Tensor& output);

// Lets the output take over the bytes of the first input that is not broadcast (whose shape is
// the output's): the loop reads element k of such an input just before it writes element k.
void allow_in_place_for_broadcast(PlanContext& ctx, const Tensor& input1, const Tensor& input2,
                                  const Tensor& output);

// output[k] = op(input1[k1], input2[k2]) over the loop nest of `plan`, where k1 and k2 are the
// broadcast positions of output element k. `op` is inlined; the innermost loop is specialised
// for a fixed first operand, a fixed second operand and two contiguous operands.
template <typename In, typename Out, typename Op>
void broadcast_binary(const BroadcastPlan& plan, const In* input1, const In* input2, Out* output,
                      Op op) {
  if (plan.num_loops == 0) return;
  const uint32_t n = plan.extent[0];
  const bool fixed1 = plan.stride1[0] == 0;
  const bool fixed2 = plan.stride2[0] == 0;
  uint32_t counter[kMaxBroadcastRank] = {};
  uint32_t offset1 = 0;
  uint32_t offset2 = 0;
  for (;;) {
    const In* a = input1 + offset1;
    const In* b = input2 + offset2;
    if (fixed1) {
      const In fixed = *a;
      for (uint32_t i = 0; i < n; ++i) output[i] = op(fixed, b[i]);
    } else if (fixed2) {
      const In fixed = *b;
      for (uint32_t i = 0; i < n; ++i) output[i] = op(a[i], fixed);
    } else {
      for (uint32_t i = 0; i < n; ++i) output[i] = op(a[i], b[i]);
    }
    output += n;
    // Odometer over the outer loops; an input's offset rewinds when its loop wraps.
    uint32_t d = 1;
    for (; d < plan.num_loops; ++d) {
      offset1 += plan.stride1[d];
      offset2 += plan.stride2[d];
      if (++counter[d] < plan.extent[d]) break;
      counter[d] = 0;
      offset1 -= plan.stride1[d] * plan.extent[d];
      offset2 -= plan.stride2[d] * plan.extent[d];
    }
    if (d == plan.num_loops) return;
  }
}

}  // namespace kernels
}  // namespace mote
