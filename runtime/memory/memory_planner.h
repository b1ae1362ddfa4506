// Offsets for buffers with known sizes and lifetimes, so that buffers alive at the same step
// never overlap. The problem (dynamic storage allocation) is NP-hard; the planner runs several
// greedy orders and keeps the smallest result, and reports the liveness lower bound (the most
// bytes alive at any one step) so that the gap to the optimum is always visible.
//
// It uses no memory beyond the records it is given, so a device can run it inside its arena.
#pragma once

#include <cstdint>

namespace mote {

struct PlannerBuffer {
  uint32_t size = 0;    // bytes, a multiple of `align`
  uint32_t offset = 0;  // result: offset from the start of the planned region
  uint16_t first = 0;   // first step (op index) that uses the buffer
  uint16_t last = 0;    // last step that uses it
  uint16_t link = 0;    // free for the caller (the interpreter keeps its alias sets here)
  uint8_t align = 4;    // power of two
  uint8_t skip = 0;     // non-zero: not placed (e.g. merged into another buffer)
};
static_assert(sizeof(PlannerBuffer) == 16, "PlannerBuffer is part of the planning workspace");

enum class PlanOrder : uint8_t {
  kLargestFirst,      // by size, as TFLM's greedy planner does
  kLongestFirst,      // by lifetime length, then size
  kEarliestFirst,     // by first use, then size
  kLargestAreaFirst,  // by size × lifetime
};
constexpr int kNumPlanOrders = 4;

// Name of a plan order for reports ("largest-first").
const char* plan_order_name(PlanOrder order);

struct PlanResult {
  uint32_t bytes = 0;        // size of the planned region
  uint32_t lower_bound = 0;  // most bytes alive at any one step; no plan can be smaller
  PlanOrder order = PlanOrder::kLargestFirst;
};

// Assigns `offset` to every buffer without `skip`, minimising the region size over the orders.
PlanResult plan_offsets(PlannerBuffer* buffers, uint32_t count);

// The most bytes alive at one step among buffers without `skip`.
uint32_t liveness_lower_bound(const PlannerBuffer* buffers, uint32_t count);

}  // namespace mote
