// The broadcast loop nest shared by ADD, SUB and MUL, checked against a naive multi-index walk.
#include "runtime/kernels/internal/broadcast.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace mote::testing {
namespace {

using kernels::broadcast_binary;
using kernels::BroadcastPlan;
using kernels::make_broadcast_plan;

Tensor view(const std::vector<int32_t>& shape) {
  Tensor t;
  t.index = 0;
  t.type = TensorType::INT32;
  t.rank = static_cast<int32_t>(shape.size());
  t.dims = shape.data();
  t.elements = 1;
  for (int32_t d : shape) t.elements *= static_cast<uint32_t>(d);
  return t;
}

std::vector<int32_t> broadcast_shape(std::vector<int32_t> a, std::vector<int32_t> b) {
  while (a.size() < b.size()) a.insert(a.begin(), 1);
  while (b.size() < a.size()) b.insert(b.begin(), 1);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = a[i] == 1 ? b[i] : a[i];
  return a;
}

// Flat index into `shape` of output position `index` (of `out`), NumPy style.
uint32_t source_index(const std::vector<int32_t>& shape, const std::vector<int32_t>& out,
                      const std::vector<int32_t>& index) {
  const std::size_t pad = out.size() - shape.size();
  uint32_t flat = 0;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const int32_t position = shape[i] == 1 ? 0 : index[pad + i];
    flat = flat * static_cast<uint32_t>(shape[i]) + static_cast<uint32_t>(position);
  }
  return flat;
}

// Every output element must pair input elements at the NumPy positions: the op encodes both
// source indices, the expectation comes from an odometer over the full output shape.
void expect_numpy_pairs(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const std::vector<int32_t> out = broadcast_shape(a, b);
  const Tensor ta = view(a), tb = view(b), to = view(out);
  std::vector<int32_t> xa(ta.elements), xb(tb.elements);
  for (uint32_t i = 0; i < ta.elements; ++i) xa[i] = static_cast<int32_t>(i);
  for (uint32_t i = 0; i < tb.elements; ++i) xb[i] = static_cast<int32_t>(i);
  std::vector<int64_t> got(to.elements, -1);
  const BroadcastPlan plan = make_broadcast_plan(ta, tb, to);
  broadcast_binary(plan, xa.data(), xb.data(), got.data(),
                   [](int32_t x, int32_t y) { return int64_t{x} * 1000000 + y; });
  std::vector<int32_t> index(out.size(), 0);
  for (uint32_t k = 0; k < to.elements; ++k) {
    const int64_t expected =
        int64_t{source_index(a, out, index)} * 1000000 + source_index(b, out, index);
    ASSERT_EQ(got[k], expected) << "output element " << k;
    for (int d = static_cast<int>(out.size()) - 1; d >= 0; --d) {
      if (++index[d] < out[d]) break;
      index[d] = 0;
    }
  }
}

TEST(Broadcast, EqualShapesBecomeOneFlatLoop) {
  const std::vector<int32_t> s = {2, 3, 4};
  const BroadcastPlan p = make_broadcast_plan(view(s), view(s), view(s));
  EXPECT_EQ(p.num_loops, 1u);
  EXPECT_EQ(p.extent[0], 24u);
  EXPECT_EQ(p.stride1[0], 1u);
  EXPECT_EQ(p.stride2[0], 1u);
  expect_numpy_pairs(s, s);
}

TEST(Broadcast, ScalarBecomesOneLoopWithAFixedOperand) {
  const std::vector<int32_t> a = {2, 3, 4}, scalar = {1}, out = {2, 3, 4};
  const BroadcastPlan p = make_broadcast_plan(view(a), view(scalar), view(out));
  EXPECT_EQ(p.num_loops, 1u);
  EXPECT_EQ(p.extent[0], 24u);
  EXPECT_EQ(p.stride2[0], 0u);
  expect_numpy_pairs(a, scalar);
  expect_numpy_pairs(scalar, a);
  expect_numpy_pairs({}, a);  // rank 0
}

TEST(Broadcast, RowAndColumn) {
  // Row: [2,3] with [3] is a contiguous inner loop and an outer loop replaying the row.
  const std::vector<int32_t> m = {2, 3}, row = {3}, column = {2, 1};
  BroadcastPlan p = make_broadcast_plan(view(m), view(row), view(m));
  ASSERT_EQ(p.num_loops, 2u);
  EXPECT_EQ(p.extent[0], 3u);
  EXPECT_EQ(p.stride2[1], 0u);
  expect_numpy_pairs(m, row);
  expect_numpy_pairs(row, m);
  // Column: the inner loop holds the column value fixed.
  p = make_broadcast_plan(view(m), view(column), view(m));
  ASSERT_EQ(p.num_loops, 2u);
  EXPECT_EQ(p.stride2[0], 0u);
  EXPECT_EQ(p.stride2[1], 1u);
  expect_numpy_pairs(m, column);
  // Both broadcast: [2,1] with [1,3] gives the outer product pattern.
  expect_numpy_pairs({2, 1}, {1, 3});
}

TEST(Broadcast, DimensionsOfOneMergeAcrossTheNest) {
  // [4,1,1,5] with [1,1,1,5]: the ones collapse, leaving a row loop and its replay.
  const std::vector<int32_t> a = {4, 1, 1, 5}, b = {1, 1, 1, 5};
  const BroadcastPlan p = make_broadcast_plan(view(a), view(b), view(a));
  EXPECT_EQ(p.num_loops, 2u);
  expect_numpy_pairs(a, b);
}

TEST(Broadcast, HighRanks) {
  expect_numpy_pairs({2, 1, 3, 1}, {1, 2, 1, 2});
  expect_numpy_pairs({2, 1, 2, 1, 2}, {2, 1, 2, 1});
  expect_numpy_pairs({1, 2, 1, 2, 1, 2}, {2, 1, 2, 1, 2, 1});
  expect_numpy_pairs({2, 1, 2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2, 1, 2});
}

TEST(Broadcast, RandomShapesUpToRankEight) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    const int rank = static_cast<int>(rng() % 9);
    std::vector<int32_t> out(static_cast<std::size_t>(rank));
    for (auto& d : out) d = static_cast<int32_t>(1 + rng() % 3);
    std::vector<int32_t> a = out, b = out;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (rng() % 3 == 0) a[i] = 1;
      if (rng() % 3 == 0) b[i] = 1;
    }
    // Drop some leading dimensions of either operand.
    a.erase(a.begin(), a.begin() + static_cast<long>(rng() % (a.size() + 1)));
    b.erase(b.begin(), b.begin() + static_cast<long>(rng() % (b.size() + 1)));
    SCOPED_TRACE(::testing::Message() << "trial " << trial);
    expect_numpy_pairs(a, b);
  }
}

TEST(Broadcast, EmptyOutputRunsNothing) {
  const std::vector<int32_t> a = {2, 0}, b = {1};
  const BroadcastPlan p = make_broadcast_plan(view(a), view(b), view(a));
  EXPECT_EQ(p.num_loops, 0u);
  std::vector<int32_t> x(4, 1), y(4, 2), out(4, 7);
  broadcast_binary(p, x.data(), y.data(), out.data(), [](int32_t u, int32_t v) { return u + v; });
  EXPECT_EQ(out, std::vector<int32_t>(4, 7));
}

}  // namespace
}  // namespace mote::testing
