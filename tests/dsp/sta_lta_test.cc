#include "dsp/sta_lta.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mote::dsp {
namespace {

// The documented formula in double: ObsPy's recursive_sta_lta, optionally with both averages
// divided by their weight 1 - (1 - c)^(n+1).
std::vector<double> reference(const std::vector<float>& x, int nsta, int nlta, bool unbiased) {
  std::vector<double> cf(x.size(), 0.0);
  const double csta = 1.0 / nsta, clta = 1.0 / nlta;
  double sta = 0.0, lta = 1e-99;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double sq = double(x[i]) * x[i];
    sta = csta * sq + (1.0 - csta) * sta;
    lta = clta * sq + (1.0 - clta) * lta;
    const double n = static_cast<double>(i + 1);
    const double wsta = unbiased ? 1.0 - std::pow(1.0 - csta, n) : 1.0;
    const double wlta = unbiased ? 1.0 - std::pow(1.0 - clta, n) : 1.0;
    cf[i] = i < static_cast<std::size_t>(nlta) ? 0.0 : (sta / wsta) / (lta / wlta);
  }
  return cf;
}

// Uniform noise from an LCG, 20 times stronger from sample `onset` on.
std::vector<float> noise_with_onset(std::size_t n, std::size_t onset) {
  std::vector<float> x(n);
  unsigned state = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    state = state * 1103515245u + 12345u;
    const float noise = static_cast<float>((state >> 8) & 0xffff) / 65536.0f - 0.5f;
    x[i] = (i >= onset ? 20.0f : 1.0f) * noise;
  }
  return x;
}

TEST(RecursiveStaLta, FollowsTheDocumentedFormula) {
  const std::vector<float> x = noise_with_onset(3000, 1500);
  RecursiveStaLta s;
  ASSERT_EQ(s.init(StaLtaConfig{}, nullptr), Status::kOk);
  EXPECT_EQ(s.sta_samples(), 20u);
  EXPECT_EQ(s.lta_samples(), 500u);
  const std::vector<double> expected = reference(x, 20, 500, true);
  double peak = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float cf = s.step(x[i]);
    EXPECT_NEAR(cf, expected[i], 1e-4 * expected[i] + 1e-6) << i;
    if (i < 500) {
      EXPECT_EQ(cf, 0.0f) << i;
    }
    peak = std::max(peak, static_cast<double>(cf));
  }
  EXPECT_GT(peak, 4.0);
}

TEST(RecursiveStaLta, EqualsObsPysClassicFormInSteadyState) {
  const std::vector<float> x = noise_with_onset(20000, 15000);
  RecursiveStaLta s;
  ASSERT_EQ(s.init(StaLtaConfig{}, nullptr), Status::kOk);
  const std::vector<double> classic = reference(x, 20, 500, false);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float cf = s.step(x[i]);
    if (i >= 10000) {
      EXPECT_NEAR(cf, classic[i], 1e-4 * classic[i]) << i;
    }
  }
}

TEST(RecursiveStaLta, ClassicFormEqualsObsPysFromTheStart) {
  const std::vector<float> x = noise_with_onset(3000, 1500);
  StaLtaConfig config;
  config.unbiased = false;
  RecursiveStaLta s;
  ASSERT_EQ(s.init(config, nullptr), Status::kOk);
  const std::vector<double> classic = reference(x, 20, 500, false);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float cf = s.step(x[i]);
    EXPECT_NEAR(cf, classic[i], 1e-4 * classic[i] + 1e-6) << i;
  }
}

TEST(RecursiveStaLta, IsUnbiasedRightAfterTheWarmUp) {
  // Stationary noise: the classic form starts near 1 / (1 - 1/e) = 1.58 when the warm-up ends,
  // the weighted form near 1.
  const std::vector<float> x = noise_with_onset(4000, 4000);
  const std::vector<double> classic = reference(x, 20, 500, false);
  RecursiveStaLta s;
  ASSERT_EQ(s.init(StaLtaConfig{}, nullptr), Status::kOk);
  double sum = 0.0, classic_sum = 0.0;
  for (std::size_t i = 0; i < 700; ++i) {
    const float cf = s.step(x[i]);
    if (i >= 500) {
      sum += cf;
      classic_sum += classic[i];
    }
  }
  EXPECT_NEAR(sum / 200.0, 1.0, 0.15);
  EXPECT_GT(classic_sum / 200.0, 1.4);
}

TEST(RecursiveStaLta, RefusesAShortLta) {
  RecursiveStaLta s;
  StaLtaConfig c;
  c.lta_s = 0.1;
  EXPECT_EQ(s.init(c, nullptr), Status::kInvalidArgument);
  c = StaLtaConfig{};
  c.sta_s = 0.0;
  EXPECT_EQ(s.init(c, nullptr), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::dsp
