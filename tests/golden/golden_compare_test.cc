// The golden criterion itself (tests/support/golden_compare.h), which the host golden test and
// the device runner share: a comparison that cannot fail would pass every case.
#include "tests/support/golden_compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace mote::testing {
namespace {

std::vector<std::uint8_t> float_bytes(const std::vector<float>& values) {
  std::vector<std::uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::string describe(const OutputComparison& c) {
  char text[256];
  c.describe(text, sizeof(text));
  return text;
}

TEST(GoldenCompare, IntegerOutputsMustBeIdentical) {
  const std::vector<std::uint8_t> expected = {1, 2, 3, 250};
  OutputComparison same(false);
  same.add(expected.data(), expected.data(), expected.size());
  EXPECT_TRUE(same.passed());

  const std::vector<std::uint8_t> actual = {1, 2, 4, 251};
  OutputComparison differ(false);
  differ.add(actual.data(), expected.data(), actual.size());
  EXPECT_FALSE(differ.passed());
  EXPECT_EQ(differ.mismatches(), 2u);
  EXPECT_EQ(describe(differ), "2 of 4 bytes differ, first at byte 2 (got 4, TFLM 3)");
}

TEST(GoldenCompare, FloatOutputsMayDifferByTheTolerance) {
  const auto expected = float_bytes({1.0f, -2.0f});
  const auto close = float_bytes({1.0f + 8e-6f, -2.0f - 8e-6f});
  OutputComparison within(true);
  within.add(close.data(), expected.data(), close.size());
  EXPECT_TRUE(within.passed()) << describe(within);
  EXPECT_GT(within.worst_float_difference(), 7e-6);

  const auto far = float_bytes({1.0f, -2.0f + 3e-5f});
  OutputComparison beyond(true);
  beyond.add(far.data(), expected.data(), far.size());
  EXPECT_FALSE(beyond.passed());
  EXPECT_EQ(beyond.mismatches(), 1u);
  EXPECT_NE(describe(beyond).find("first at element 1"), std::string::npos) << describe(beyond);
}

TEST(GoldenCompare, NanFailsUnlessBothSidesHoldTheSameBits) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto expected = float_bytes({0.5f});
  const auto got_nan = float_bytes({nan});
  OutputComparison c(true);
  c.add(got_nan.data(), expected.data(), got_nan.size());
  EXPECT_FALSE(c.passed());

  OutputComparison both(true);
  both.add(got_nan.data(), got_nan.data(), got_nan.size());
  EXPECT_TRUE(both.passed());
}

TEST(GoldenCompare, ChunksAddUpToTheWholeComparison) {
  std::vector<float> e(100), a(100);
  for (int i = 0; i < 100; ++i) e[i] = a[i] = 0.25f * static_cast<float>(i);
  a[61] += 1.0f;
  const auto expected = float_bytes(e);
  const auto actual = float_bytes(a);
  OutputComparison chunked(true);
  for (std::size_t done = 0; done < actual.size(); done += 48) {
    const std::size_t n = std::min<std::size_t>(48, actual.size() - done);
    chunked.add(actual.data() + done, expected.data() + done, n);
  }
  EXPECT_EQ(chunked.bytes(), actual.size());
  EXPECT_EQ(chunked.mismatches(), 1u);
  EXPECT_NE(describe(chunked).find("first at element 61"), std::string::npos) << describe(chunked);
}

}  // namespace
}  // namespace mote::testing
