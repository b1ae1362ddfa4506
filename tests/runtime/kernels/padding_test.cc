// Output sizes and padding of pooling windows against hand-worked cases of TensorFlow's SAME and
// VALID definitions.
#include "runtime/kernels/internal/padding.h"

#include <gtest/gtest.h>

namespace mote::kernels {
namespace {

using tflite::Padding;

PoolAxis axis(Padding padding, int in, int filter, int stride) {
  PoolAxis a;
  EXPECT_TRUE(pool_axis_geometry(padding, in, filter, stride, &a));
  return a;
}

TEST(PoolGeometry, Same) {
  // ceil(in / stride) outputs; the overhang (out - 1) · stride + filter - in, halved (rounding
  // down) before the input.
  EXPECT_EQ(axis(Padding::SAME, 5, 3, 2).out_size, 3);
  EXPECT_EQ(axis(Padding::SAME, 5, 3, 2).padding, 1);  // overhang 2
  EXPECT_EQ(axis(Padding::SAME, 3, 2, 2).padding, 0);  // overhang 1: the extra cell goes after
  EXPECT_EQ(axis(Padding::SAME, 6, 3, 1).padding, 1);  // overhang 2
  EXPECT_EQ(axis(Padding::SAME, 6, 4, 1).padding, 1);  // overhang 3
  EXPECT_EQ(axis(Padding::SAME, 7, 2, 3).out_size, 3);
  EXPECT_EQ(axis(Padding::SAME, 7, 2, 3).padding, 0);  // overhang 6 + 2 - 7 = 1
  EXPECT_EQ(axis(Padding::SAME, 4, 1, 3).padding, 0);  // negative overhang
  EXPECT_EQ(axis(Padding::SAME, 96, 3, 2).out_size, 48);
  EXPECT_EQ(axis(Padding::SAME, 0, 3, 2).out_size, 0);
}

TEST(PoolGeometry, Valid) {
  EXPECT_EQ(axis(Padding::VALID, 5, 3, 2).out_size, 2);
  EXPECT_EQ(axis(Padding::VALID, 5, 2, 3).out_size, 2);
  EXPECT_EQ(axis(Padding::VALID, 6, 6, 1).out_size, 1);
  EXPECT_EQ(axis(Padding::VALID, 6, 6, 1).padding, 0);
  // (2 + 2 - 3) / 2 = 0 and (2 + 2 - 5) / 2 truncates to 0 as in TFLite: empty, not refused.
  EXPECT_EQ(axis(Padding::VALID, 2, 3, 2).out_size, 0);
  EXPECT_EQ(axis(Padding::VALID, 2, 5, 2).out_size, 0);
}

TEST(PoolGeometry, RefusesInvalidArguments) {
  PoolAxis a;
  EXPECT_FALSE(pool_axis_geometry(Padding::VALID, 2, 6, 2, &a));  // (2 + 2 - 6) / 2 = -1
  EXPECT_FALSE(pool_axis_geometry(Padding::SAME, 4, 0, 1, &a));
  EXPECT_FALSE(pool_axis_geometry(Padding::SAME, 4, 2, 0, &a));
  EXPECT_FALSE(pool_axis_geometry(Padding::SAME, -1, 2, 1, &a));
  EXPECT_FALSE(pool_axis_geometry(static_cast<Padding>(7), 4, 2, 1, &a));
}

}  // namespace
}  // namespace mote::kernels
