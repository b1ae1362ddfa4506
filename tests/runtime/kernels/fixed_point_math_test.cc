// The fixed-point transcendental functions against double precision. Bit-exactness with TFLite is
// proven by the golden tests of the kernels that use them; these tests pin accuracy, formats and
// the special values.
#include "runtime/kernels/internal/fixed_point_math.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mote::kernels::fp {
namespace {

template <typename F>
double to_double(F x) {
  return static_cast<double>(x.raw) / std::ldexp(1.0, F::kFractionalBits);
}

template <typename F>
F from_double(double x) {
  return F::from_raw(static_cast<typename std::remove_cv_t<decltype(F::zero().raw)>>(
      std::lround(x * std::ldexp(1.0, F::kFractionalBits))));
}

TEST(FixedPointMath, SaturatingRoundingDoublingHighMul) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int32_t>(INT32_MIN, INT32_MIN), INT32_MAX);
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int32_t>(1 << 30, 1 << 30), 1 << 29);
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int16_t>(INT16_MIN, INT16_MIN), INT16_MAX);
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int16_t>(1 << 14, -(1 << 14)), -(1 << 13));
  // Ties round up (towards +infinity), as ARM's VQRDMULH: 1.5 -> 2 but -1.5 -> -1.
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int32_t>(3, 1 << 30), 2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int32_t>(-3, 1 << 30), -1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul<int32_t>(-5, 1 << 30), -2);
}

TEST(FixedPointMath, RoundingDivideByPot) {
  EXPECT_EQ(rounding_divide_by_pot<int32_t>(5, 1), 3);
  EXPECT_EQ(rounding_divide_by_pot<int32_t>(-5, 1), -3);
  EXPECT_EQ(rounding_divide_by_pot<int32_t>(-4, 1), -2);
  EXPECT_EQ(rounding_divide_by_pot<int16_t>(-7, 2), -2);
  EXPECT_EQ(rounding_divide_by_pot<int16_t>(6, 2), 2);
}

TEST(FixedPointMath, SaturatingMultiplyByPot) {
  EXPECT_EQ((saturating_rounding_multiply_by_pot<2, int16_t>(8191)), 32764);
  EXPECT_EQ((saturating_rounding_multiply_by_pot<2, int16_t>(8192)), INT16_MAX);
  EXPECT_EQ((saturating_rounding_multiply_by_pot<2, int16_t>(-8192)), INT16_MIN);
  EXPECT_EQ((saturating_rounding_multiply_by_pot<-3, int32_t>(-12)), -2);
}

TEST(FixedPointMath, SpecialValues) {
  using F4 = FixedPoint<int32_t, 4>;
  using R = FixedPoint<int32_t, 0>;
  EXPECT_EQ(exp_on_negative_values(F4::zero()).raw, R::one().raw);
  EXPECT_EQ(logistic(F4::zero()).raw, 1 << 30);
  EXPECT_EQ(tanh(F4::zero()).raw, 0);
  EXPECT_EQ(logistic(FixedPoint<int16_t, 3>::zero()).raw, 1 << 14);
}

template <typename Raw, int I>
void check_against_double(double tolerance) {
  using F = FixedPoint<Raw, I>;
  const double range = std::ldexp(1.0, I);
  double worst_exp = 0, worst_logistic = 0, worst_tanh = 0;
  for (int k = 0; k <= 2000; ++k) {
    const double x = -range + (2.0 * range) * k / 2000.0 * 0.999;
    const F a = from_double<F>(x);
    const double xq = to_double(a);
    if (xq <= 0) {
      worst_exp =
          std::max(worst_exp, std::fabs(to_double(exp_on_negative_values(a)) - std::exp(xq)));
    }
    worst_logistic =
        std::max(worst_logistic, std::fabs(to_double(logistic(a)) - 1.0 / (1.0 + std::exp(-xq))));
    worst_tanh = std::max(worst_tanh, std::fabs(to_double(tanh(a)) - std::tanh(xq)));
  }
  EXPECT_LT(worst_exp, tolerance);
  EXPECT_LT(worst_logistic, tolerance);
  EXPECT_LT(worst_tanh, tolerance);
}

TEST(FixedPointMath, Int32AccuracyAcrossFormats) {
  check_against_double<int32_t, 0>(1e-6);
  check_against_double<int32_t, 3>(1e-6);
  check_against_double<int32_t, 4>(1e-6);
  check_against_double<int32_t, 5>(1e-6);
  check_against_double<int32_t, 6>(1e-6);
}

TEST(FixedPointMath, Int16AccuracyAcrossFormats) {
  check_against_double<int16_t, 0>(1e-3);
  check_against_double<int16_t, 3>(1e-3);
  check_against_double<int16_t, 4>(2e-3);
}

TEST(FixedPointMath, OneOverOnePlusX) {
  using F = FixedPoint<int32_t, 0>;
  for (double x : {0.01, 0.25, 0.5, 0.75, 0.99}) {
    EXPECT_NEAR(to_double(one_over_one_plus_x_for_x_in_0_1(from_double<F>(x))), 1.0 / (1.0 + x),
                1e-8);
    EXPECT_NEAR(to_double(one_minus_x_over_one_plus_x_for_x_in_0_1(from_double<F>(x))),
                (1.0 - x) / (1.0 + x), 1e-8);
  }
}

}  // namespace
}  // namespace mote::kernels::fp
