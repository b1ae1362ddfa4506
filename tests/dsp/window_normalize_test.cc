#include "dsp/window_normalize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mote::dsp {
namespace {

TEST(NormalizeWindow, ZeroMeanUnitDeviationPerComponent) {
  const uint32_t n = 200;
  std::vector<float> x(n * kComponents);
  for (uint32_t t = 0; t < n; ++t) {
    x[t * 3 + 0] = 5000.0f + 300.0f * std::sin(0.1f * t);      // large offset and gain
    x[t * 3 + 1] = 0.0f;                                       // dead component
    x[t * 3 + 2] = -2.0f + 0.01f * static_cast<float>(t % 7);  // tiny signal
  }
  std::vector<float> y(x.size());
  ASSERT_EQ(normalize_window(x.data(), n, kNormalizeEpsilon, y.data(), nullptr), Status::kOk);
  for (int c : {0, 2}) {
    double sum = 0.0, squares = 0.0;
    for (uint32_t t = 0; t < n; ++t) sum += y[t * 3 + c];
    for (uint32_t t = 0; t < n; ++t) squares += y[t * 3 + c] * y[t * 3 + c];
    EXPECT_NEAR(sum / n, 0.0, 1e-4) << c;
    EXPECT_NEAR(std::sqrt(squares / n), 1.0, 1e-3) << c;
  }
  for (uint32_t t = 0; t < n; ++t) EXPECT_EQ(y[t * 3 + 1], 0.0f);
  // In place gives the same numbers.
  ASSERT_EQ(normalize_window(x.data(), n, kNormalizeEpsilon, x.data(), nullptr), Status::kOk);
  EXPECT_EQ(x, y);
}

TEST(NormalizeWindow, RefusesBadArguments) {
  float x[3] = {1, 2, 3};
  EXPECT_EQ(normalize_window(x, 0, 1e-6f, x, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(normalize_window(nullptr, 1, 1e-6f, x, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(normalize_window(x, 1, 0.0f, x, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(normalize_window(x, 1, NAN, x, nullptr), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::dsp
