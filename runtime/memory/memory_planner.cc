#include "runtime/memory/memory_planner.h"

namespace mote {
namespace {

constexpr uint32_t kUnplaced = 0xFFFFFFFFu;

bool overlap_in_time(const PlannerBuffer& a, const PlannerBuffer& b) {
  return !(a.last < b.first || b.last < a.first);
}

uint32_t align_up(uint32_t value, uint32_t align) { return (value + align - 1) & ~(align - 1); }

// True when `a` should be placed before `b` in `order`; ties fall to the lower index so that
// every run of the planner gives the same plan.
bool comes_before(const PlannerBuffer& a, uint32_t ia, const PlannerBuffer& b, uint32_t ib,
                  PlanOrder order) {
  const uint32_t la = static_cast<uint32_t>(a.last - a.first) + 1;
  const uint32_t lb = static_cast<uint32_t>(b.last - b.first) + 1;
  uint64_t ka = 0, kb = 0, ta = 0, tb = 0;
  switch (order) {
    case PlanOrder::kLargestFirst:
      ka = a.size, kb = b.size;
      ta = a.first, tb = b.first;
      if (ka != kb) return ka > kb;
      if (ta != tb) return ta < tb;
      break;
    case PlanOrder::kLongestFirst:
      ka = la, kb = lb;
      if (ka != kb) return ka > kb;
      if (a.size != b.size) return a.size > b.size;
      break;
    case PlanOrder::kEarliestFirst:
      if (a.first != b.first) return a.first < b.first;
      if (a.size != b.size) return a.size > b.size;
      break;
    case PlanOrder::kLargestAreaFirst:
      ka = static_cast<uint64_t>(a.size) * la, kb = static_cast<uint64_t>(b.size) * lb;
      if (ka != kb) return ka > kb;
      break;
  }
  return ia < ib;
}

// Lowest offset where `b` fits beside the placed buffers that are alive at the same time.
uint32_t lowest_fit(const PlannerBuffer* buffers, uint32_t count, uint32_t index) {
  const PlannerBuffer& b = buffers[index];
  uint32_t best = kUnplaced;
  // Candidates are 0 and the end of every placed neighbour in time; the lowest free offset is
  // always one of them.
  for (uint32_t c = 0; c <= count; ++c) {
    uint32_t candidate = 0;
    if (c < count) {
      const PlannerBuffer& p = buffers[c];
      if (p.skip || p.offset == kUnplaced || c == index || !overlap_in_time(p, b)) continue;
      candidate = align_up(p.offset + p.size, b.align);
    }
    if (candidate >= best) continue;
    bool fits = true;
    for (uint32_t o = 0; o < count && fits; ++o) {
      const PlannerBuffer& p = buffers[o];
      if (p.skip || p.offset == kUnplaced || o == index || p.size == 0 || !overlap_in_time(p, b)) {
        continue;
      }
      fits = candidate + b.size <= p.offset || p.offset + p.size <= candidate;
    }
    if (fits) best = candidate;
  }
  return best;
}

uint32_t place_all(PlannerBuffer* buffers, uint32_t count, PlanOrder order) {
  for (uint32_t i = 0; i < count; ++i) buffers[i].offset = kUnplaced;
  uint32_t end = 0;
  for (uint32_t step = 0; step < count; ++step) {
    // Selection instead of sorting keeps the planner free of any memory of its own.
    uint32_t next = kUnplaced;
    for (uint32_t i = 0; i < count; ++i) {
      const PlannerBuffer& b = buffers[i];
      if (b.skip || b.offset != kUnplaced) continue;
      if (next == kUnplaced || comes_before(b, i, buffers[next], next, order)) next = i;
    }
    if (next == kUnplaced) break;
    PlannerBuffer& b = buffers[next];
    b.offset = b.size == 0 ? 0 : lowest_fit(buffers, count, next);
    if (b.offset + b.size > end) end = b.offset + b.size;
  }
  return end;
}

}  // namespace

const char* plan_order_name(PlanOrder order) {
  switch (order) {
    case PlanOrder::kLargestFirst:
      return "largest-first";
    case PlanOrder::kLongestFirst:
      return "longest-first";
    case PlanOrder::kEarliestFirst:
      return "earliest-first";
    case PlanOrder::kLargestAreaFirst:
      return "largest-area-first";
  }
  return "unknown";
}

uint32_t liveness_lower_bound(const PlannerBuffer* buffers, uint32_t count) {
  uint32_t last_step = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (!buffers[i].skip && buffers[i].last > last_step) last_step = buffers[i].last;
  }
  uint32_t bound = 0;
  for (uint32_t step = 0; step <= last_step; ++step) {
    uint32_t live = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const PlannerBuffer& b = buffers[i];
      if (!b.skip && b.first <= step && step <= b.last) live += b.size;
    }
    if (live > bound) bound = live;
  }
  return bound;
}

PlanResult plan_offsets(PlannerBuffer* buffers, uint32_t count) {
  PlanResult result;
  result.lower_bound = liveness_lower_bound(buffers, count);
  uint32_t best = kUnplaced;
  for (int o = 0; o < kNumPlanOrders; ++o) {
    const auto order = static_cast<PlanOrder>(o);
    const uint32_t bytes = place_all(buffers, count, order);
    if (bytes < best) {
      best = bytes;
      result.order = order;
    }
    if (best == result.lower_bound) break;  // optimal: no order can do better
  }
  // Re-run the winner so that the offsets left in the records are its offsets.
  result.bytes = place_all(buffers, count, result.order);
  return result;
}

}  // namespace mote
