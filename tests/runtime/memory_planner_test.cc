#include "runtime/memory/memory_planner.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace mote {
namespace {

PlannerBuffer buffer(uint32_t size, uint16_t first, uint16_t last) {
  PlannerBuffer b;
  b.size = size;
  b.first = first;
  b.last = last;
  return b;
}

// No two buffers alive at the same step may overlap, and every offset respects its alignment.
void expect_valid(const std::vector<PlannerBuffer>& buffers, uint32_t region) {
  for (size_t i = 0; i < buffers.size(); ++i) {
    const PlannerBuffer& a = buffers[i];
    if (a.skip) continue;
    EXPECT_EQ(a.offset % a.align, 0u);
    EXPECT_LE(a.offset + a.size, region);
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      const PlannerBuffer& b = buffers[j];
      if (b.skip || a.size == 0 || b.size == 0) continue;
      const bool same_time = !(a.last < b.first || b.last < a.first);
      const bool same_bytes = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      EXPECT_FALSE(same_time && same_bytes) << "buffers " << i << " and " << j << " collide";
    }
  }
}

TEST(MemoryPlanner, ChainReachesTheLowerBound) {
  // a -> b -> c -> d: only neighbours are alive together.
  std::vector<PlannerBuffer> buffers = {buffer(100, 0, 0), buffer(200, 0, 1), buffer(50, 1, 2),
                                        buffer(300, 2, 3)};
  const PlanResult r = plan_offsets(buffers.data(), static_cast<uint32_t>(buffers.size()));
  EXPECT_EQ(r.lower_bound, 350u);
  EXPECT_EQ(r.bytes, 350u);
  expect_valid(buffers, r.bytes);
}

TEST(MemoryPlanner, SkippedBuffersTakeNoSpace) {
  std::vector<PlannerBuffer> buffers = {buffer(64, 0, 1), buffer(1000, 0, 1)};
  buffers[1].skip = 1;
  const PlanResult r = plan_offsets(buffers.data(), 2);
  EXPECT_EQ(r.bytes, 64u);
}

TEST(MemoryPlanner, RespectsAlignment) {
  // Three 4-byte buffers and an 8-aligned one, all alive together: the 8-aligned buffer cannot
  // start at 4 or 12.
  std::vector<PlannerBuffer> buffers = {buffer(4, 0, 1), buffer(4, 0, 1), buffer(4, 0, 1),
                                        buffer(8, 0, 1)};
  buffers[3].align = 8;
  const PlanResult r = plan_offsets(buffers.data(), 4);
  expect_valid(buffers, r.bytes);
  EXPECT_EQ(r.bytes, 20u);
}

TEST(MemoryPlanner, BeatsLargestFirstWhereItIsSuboptimal) {
  // Largest-first places the long-lived 60 at 0 and the two 50s cannot share, giving 160; the
  // lifetime orders find 110.
  std::vector<PlannerBuffer> buffers = {buffer(60, 1, 2), buffer(50, 0, 1), buffer(50, 2, 3),
                                        buffer(50, 0, 0), buffer(50, 3, 3)};
  const PlanResult r = plan_offsets(buffers.data(), static_cast<uint32_t>(buffers.size()));
  expect_valid(buffers, r.bytes);
  EXPECT_GE(r.bytes, r.lower_bound);
  EXPECT_EQ(r.bytes, r.lower_bound);
}

TEST(MemoryPlanner, RandomProblemsGiveValidPlansAboveTheBound) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<PlannerBuffer> buffers(1 + rng() % 40);
    for (auto& b : buffers) {
      const uint16_t first = static_cast<uint16_t>(rng() % 20);
      b = buffer(4 * (1 + rng() % 64), first, static_cast<uint16_t>(first + rng() % 6));
      if (rng() % 5 == 0) b.align = 8, b.size = (b.size + 7) & ~7u;
    }
    const PlanResult r = plan_offsets(buffers.data(), static_cast<uint32_t>(buffers.size()));
    expect_valid(buffers, r.bytes);
    EXPECT_GE(r.bytes, r.lower_bound);
    // Same input, same plan: a device and the host tools must agree.
    std::vector<PlannerBuffer> again = buffers;
    const PlanResult r2 = plan_offsets(again.data(), static_cast<uint32_t>(again.size()));
    EXPECT_EQ(r.bytes, r2.bytes);
    for (size_t i = 0; i < buffers.size(); ++i) EXPECT_EQ(buffers[i].offset, again[i].offset);
  }
}

}  // namespace
}  // namespace mote
