#include "runtime/kernels/internal/broadcast.h"

#include <cstddef>

#include "runtime/core/format.h"

namespace mote {
namespace kernels {
namespace {

// Dimension `i` of `t` counted from the last, as if `t` were padded to `rank` with leading ones.
int32_t extended_dim(const Tensor& t, int rank, int i) {
  const int k = i - (rank - t.rank);
  return k < 0 ? 1 : t.dims[k];
}

int max_rank(const Tensor& a, const Tensor& b, const Tensor& c) {
  int r = a.rank > b.rank ? a.rank : b.rank;
  return r > c.rank ? r : c.rank;
}

// "[2,1,3]" into `out`, truncated to `capacity`.
void format_shape(const Tensor& t, char* out, size_t capacity) {
  size_t used = format_message(out, capacity, "[");
  for (int i = 0; i < t.rank && used < capacity; ++i) {
    used += format_message(out + used, capacity - used, i == 0 ? "%d" : ",%d", t.dims[i]);
  }
  if (used < capacity) format_message(out + used, capacity - used, "]");
}

}  // namespace

Status check_broadcast_shapes(const OpContext& ctx, const Tensor& input1, const Tensor& input2,
                              const Tensor& output) {
  const int rank = max_rank(input1, input2, output);
  if (rank > kMaxBroadcastRank) {
    return ctx.fail(Status::kUnsupported, "rank %d exceeds the %d dimensions TFLM broadcasts", rank,
                    kMaxBroadcastRank);
  }
  for (int i = 0; i < rank; ++i) {
    const int32_t d1 = extended_dim(input1, rank, i);
    const int32_t d2 = extended_dim(input2, rank, i);
    const int32_t broadcast = d1 == 1 ? d2 : d1;
    if (d1 != d2 && d1 != 1 && d2 != 1) {
      char s1[96], s2[96];
      format_shape(input1, s1, sizeof(s1));
      format_shape(input2, s2, sizeof(s2));
      return ctx.fail(Status::kInvalidModel, "input shapes %s and %s do not broadcast", s1, s2);
    }
    if (extended_dim(output, rank, i) != broadcast) {
      char s1[96], s2[96], so[96];
      format_shape(input1, s1, sizeof(s1));
      format_shape(input2, s2, sizeof(s2));
      format_shape(output, so, sizeof(so));
      return ctx.fail(Status::kInvalidModel,
                      "output tensor %d has shape %s; inputs %s and %s broadcast to another",
                      output.index, so, s1, s2);
    }
  }
  return Status::kOk;
}

BroadcastPlan make_broadcast_plan(const Tensor& input1, const Tensor& input2,
                                  const Tensor& output) {
  BroadcastPlan plan = {};
  if (output.elements == 0) return plan;
  const int rank = max_rank(input1, input2, output);
  // Elements of each input inside the dimensions already visited: the step of the next
  // dimension that input is not broadcast in.
  uint32_t size1 = 1;
  uint32_t size2 = 1;
  uint32_t loops = 0;
  for (int i = rank - 1; i >= 0; --i) {
    const auto extent = static_cast<uint32_t>(extended_dim(output, rank, i));
    if (extent == 1) continue;  // no iteration: merges with anything
    const auto d1 = static_cast<uint32_t>(extended_dim(input1, rank, i));
    const auto d2 = static_cast<uint32_t>(extended_dim(input2, rank, i));
    const uint32_t step1 = d1 == 1 ? 0 : size1;
    const uint32_t step2 = d2 == 1 ? 0 : size2;
    const bool merges = loops > 0 && (step1 == 0) == (plan.stride1[loops - 1] == 0) &&
                        (step2 == 0) == (plan.stride2[loops - 1] == 0);
    if (merges) {
      plan.extent[loops - 1] *= extent;
    } else {
      plan.extent[loops] = extent;
      plan.stride1[loops] = step1;
      plan.stride2[loops] = step2;
      ++loops;
    }
    size1 *= d1;
    size2 *= d2;
  }
  if (loops == 0) {  // a single element
    plan.extent[0] = 1;
    loops = 1;
  }
  plan.num_loops = loops;
  return plan;
}

void allow_in_place_for_broadcast(PlanContext& ctx, const Tensor& input1, const Tensor& input2,
                                  const Tensor& output) {
  // An input with as many elements as the broadcast output is broadcast in no dimension.
  if (input1.elements == output.elements) {
    ctx.allow_in_place(0);
  } else if (input2.elements == output.elements) {
    ctx.allow_in_place(1);
  }
}

}  // namespace kernels
}  // namespace mote
