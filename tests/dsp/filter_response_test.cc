// The band-pass and the DC blocker against their analytic magnitude responses, two ways: the
// transfer function of the (float) coefficients evaluated on the unit circle, and a sine run
// through the streaming filter until it settles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <vector>

#include "dsp/biquad.h"
#include "dsp/butterworth.h"
#include "dsp/dc_blocker.h"
#include "dsp/design_math.h"
#include "dsp/feature_extractor.h"

namespace mote::dsp {
namespace {

constexpr double kRate = 100.0;

// |H| of an order-n Butterworth band-pass through the bilinear transform (std::tan: independent
// of design_math).
double analytic_bandpass(double f, int n, double lo, double hi) {
  const double w = std::tan(M_PI * f / kRate);
  const double wl = std::tan(M_PI * lo / kRate);
  const double wh = std::tan(M_PI * hi / kRate);
  const double x = (w * w - wl * wh) / (w * (wh - wl));
  return 1.0 / std::sqrt(1.0 + std::pow(x, 2.0 * n));
}

// |H(e^jw)| of a cascade, in double from its float coefficients.
double cascade_magnitude(const BiquadDesign& d, double f) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * M_PI * f / kRate);
  std::complex<double> h = 1.0;
  for (int i = 0; i < d.count; ++i) {
    const BiquadCoefficients& c = d.sections[i];
    h *= (double(c.b0) + double(c.b1) * z1 + double(c.b2) * z1 * z1) /
         (1.0 + double(c.a1) * z1 + double(c.a2) * z1 * z1);
  }
  return std::abs(h);
}

// Amplitude of the settled response of `step` to a unit sine of `f` Hz, by projecting the output
// on sine and cosine over many periods (sampled peaks would miss the crest at high frequencies).
template <typename Step>
double sine_gain(Step step, double f) {
  const int settle = static_cast<int>(20.0 * kRate);  // 20 s: far beyond the slowest pole
  const int measure = 10000;
  double s = 0.0, c = 0.0;
  for (int n = 0; n < settle + measure; ++n) {
    const double phase = 2.0 * M_PI * f * n / kRate;
    const double y = step(static_cast<float>(std::sin(phase)));
    if (n >= settle) {
      s += y * std::sin(phase);
      c += y * std::cos(phase);
    }
  }
  return 2.0 * std::hypot(s, c) / measure;
}

TEST(DesignMath, MatchesTheCLibrary) {
  for (double x = -7.0; x <= 7.0; x += 0.173) {
    EXPECT_NEAR(design::sin(x), std::sin(x), 1e-15) << x;
    EXPECT_NEAR(design::cos(x), std::cos(x), 1e-15) << x;
  }
  for (double x = 0.001; x < 1.5; x += 0.0517) {
    EXPECT_NEAR(design::tan(x), std::tan(x), 4e-15 * std::max(1.0, std::tan(x))) << x;
  }
  for (double x : {1e-12, 0.01, 0.5, 2.0, 3.0, 1e6, 12345.678}) {
    EXPECT_DOUBLE_EQ(design::sqrt(x), std::sqrt(x)) << x;
  }
  EXPECT_EQ(design::sqrt(0.0), 0.0);
  EXPECT_EQ(design::sqrt(-1.0), 0.0);
  const design::Complex r = design::sqrt(design::Complex{-3.0, -4.0});
  EXPECT_NEAR(r.re, 1.0, 1e-15);
  EXPECT_NEAR(r.im, -2.0, 1e-15);
}

TEST(Butterworth, CoefficientsFollowTheAnalyticMagnitude) {
  for (int order : {1, 2, 3, 4, 6}) {
    const BiquadDesign d = butterworth_bandpass(order, 1.0, 20.0, kRate);
    ASSERT_EQ(d.error, DesignError::kNone);
    ASSERT_EQ(d.count, order);
    for (double f : {0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 25.0, 35.0, 45.0}) {
      const double expected = analytic_bandpass(f, order, 1.0, 20.0);
      // Float coefficients: a relative error of a few 1e-4 at most, also deep in the stop band.
      EXPECT_NEAR(cascade_magnitude(d, f), expected, 2e-3 * expected + 1e-7)
          << "order " << order << " at " << f << " Hz";
    }
  }
}

TEST(Butterworth, BandEdgesAreMinusThreeDecibels) {
  const BiquadDesign d = butterworth_bandpass(4, 1.0, 20.0, kRate);
  EXPECT_NEAR(cascade_magnitude(d, 1.0), M_SQRT1_2, 1e-3);
  EXPECT_NEAR(cascade_magnitude(d, 20.0), M_SQRT1_2, 1e-3);
  EXPECT_NEAR(cascade_magnitude(d, std::sqrt(20.0) * 1.0), 1.0, 1e-3);  // near the centre
  EXPECT_LT(cascade_magnitude(d, 0.0), 1e-6);                           // zero at DC
  EXPECT_LT(cascade_magnitude(d, 50.0), 1e-6);                          // and at Nyquist
}

TEST(Butterworth, SectionsAreStable) {
  for (int order = 1; order <= kMaxButterworthOrder; ++order) {
    const BiquadDesign d = butterworth_bandpass(order, 0.5, 30.0, kRate);
    ASSERT_EQ(d.count, order);
    for (int i = 0; i < d.count; ++i) {
      const BiquadCoefficients& c = d.sections[i];
      // Poles inside the unit circle: |a2| < 1 and |a1| < 1 + a2.
      EXPECT_LT(std::fabs(c.a2), 1.0f);
      EXPECT_LT(std::fabs(c.a1), 1.0f + c.a2);
    }
  }
}

TEST(Butterworth, StreamingSineMatchesTheAnalyticGain) {
  const BiquadDesign d = butterworth_bandpass(4, 1.0, 20.0, kRate);
  BiquadCascade filter;
  filter.set_sections(d.sections, d.count);
  for (double f : {0.5, 1.0, 3.0, 10.0, 20.0, 30.0}) {
    const double expected = analytic_bandpass(f, 4, 1.0, 20.0);
    filter.reset();
    EXPECT_NEAR(sine_gain([&](float x) { return filter.step(x); }, f), expected,
                0.01 * expected + 1e-5)
        << f << " Hz";
  }
}

TEST(Butterworth, RefusesBadParameters) {
  EXPECT_EQ(butterworth_bandpass(0, 1.0, 20.0, kRate).error, DesignError::kBadOrder);
  EXPECT_EQ(butterworth_bandpass(9, 1.0, 20.0, kRate).error, DesignError::kBadOrder);
  EXPECT_EQ(butterworth_bandpass(4, 1.0, 20.0, 0.0).error, DesignError::kBadSampleRate);
  EXPECT_EQ(butterworth_bandpass(4, 20.0, 1.0, kRate).error, DesignError::kBadBand);
  EXPECT_EQ(butterworth_bandpass(4, 0.0, 20.0, kRate).error, DesignError::kBadBand);
  EXPECT_EQ(butterworth_bandpass(4, 1.0, 50.0, kRate).error, DesignError::kBadBand);
  std::string message;
  ErrorReporter reporter{[](void* user, const char* m) { *static_cast<std::string*>(user) = m; },
                         &message};
  BiquadDesign d;
  EXPECT_EQ(design_butterworth_bandpass(4, 1.0, 60.0, kRate, &reporter, &d),
            Status::kInvalidArgument);
  EXPECT_NE(message.find("0 < low < high < sample_rate / 2"), std::string::npos) << message;
}

TEST(Butterworth, CompileTimeDesignEqualsInitTimeDesign) {
  // The node may use kDefaultBand (folded by the compiler) or design at init: same bits.
  volatile double lo = 1.0, hi = 20.0, rate = 100.0;
  const BiquadDesign at_init = butterworth_bandpass(4, lo, hi, rate);
  ASSERT_EQ(at_init.count, kDefaultBand.count);
  EXPECT_EQ(std::memcmp(at_init.sections, kDefaultBand.sections,
                        sizeof(BiquadCoefficients) * kDefaultBand.count),
            0);
}

TEST(DcBlocker, FollowsTheAnalyticMagnitude) {
  DcBlocker dc;
  ASSERT_EQ(dc.init(0.5, kRate, nullptr), Status::kOk);
  const double wc = std::tan(M_PI * 0.5 / kRate);
  for (double f : {0.1, 0.5, 1.0, 5.0, 20.0}) {
    const double w = std::tan(M_PI * f / kRate);
    const double expected = w / std::sqrt(w * w + wc * wc);
    const std::complex<double> z1 = std::polar(1.0, -2.0 * M_PI * f / kRate);
    const double coefficients =
        std::abs(double(dc.gain()) * (1.0 - z1) / (1.0 - double(dc.pole()) * z1));
    EXPECT_NEAR(coefficients, expected, 1e-4) << f << " Hz";
    // Streaming: the sine's settled amplitude.
    dc.reset();
    const double gain = sine_gain([&](float x) { return dc.step(x); }, f);
    EXPECT_NEAR(gain, expected, 0.01 * expected) << f << " Hz";
  }
}

TEST(DcBlocker, PrimesOnTheFirstSampleAndRemovesAnOffset) {
  DcBlocker dc;
  ASSERT_EQ(dc.init(0.1, kRate, nullptr), Status::kOk);
  for (int n = 0; n < 100; ++n) EXPECT_EQ(dc.step(123456.0f), 0.0f);
  // A step of the offset decays to nothing.
  float y = 0.0f;
  for (int n = 0; n < 6000; ++n) y = dc.step(123556.0f);
  EXPECT_LT(std::fabs(y), 0.01f);
  EXPECT_EQ(dc.init(0.0, kRate, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(dc.init(60.0, kRate, nullptr), Status::kInvalidArgument);
}

TEST(FeatureExtractor, RefusesABadConfig) {
  FeatureExtractor f;
  FeatureConfig c;
  c.band_high_hz = 70.0;
  EXPECT_EQ(f.init(c, nullptr), Status::kInvalidArgument);
  c = FeatureConfig{};
  c.dc_cutoff_hz = 2.0;  // above the band's low edge
  EXPECT_EQ(f.init(c, nullptr), Status::kInvalidArgument);
  c = FeatureConfig{};
  ASSERT_EQ(f.init(c, nullptr), Status::kOk);
  float x = 0.0f;
  EXPECT_EQ(f.filter_component(3, &x, 1, &x, nullptr), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::dsp
