// Fixed-point numbers with a compile-time number of integer bits, and the transcendental
// functions TFLite's integer kernels compute with them (exp of negative values, logistic, tanh,
// 1/(1+x)). The results must match TFLite bit for bit, so every function follows the arithmetic
// of gemmlowp's fixedpoint library that TFLite uses: the same polynomial, the same Newton-Raphson
// steps, the same rounding and the same wrap-around where it does not saturate.
//
// FixedPoint<Raw, IntegerBits> holds Raw (int32_t or int16_t) and represents raw / 2^F with
// F = bits(Raw) - 1 - IntegerBits, i.e. values in [-2^IntegerBits, 2^IntegerBits).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/kernels/internal/fixed_point.h"

namespace mote {
namespace kernels {
namespace fp {

// Wrapping addition and subtraction, as the plain integer operations gemmlowp uses.
template <typename Raw>
inline Raw wrapping_add(Raw a, Raw b) {
  using U = std::make_unsigned_t<Raw>;
  return static_cast<Raw>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename Raw>
inline Raw wrapping_sub(Raw a, Raw b) {
  using U = std::make_unsigned_t<Raw>;
  return static_cast<Raw>(static_cast<U>(a) - static_cast<U>(b));
}

// Round-to-nearest (ties away from zero) of (a + b) / 2.
template <typename Raw>
inline Raw rounding_half_sum(Raw a, Raw b) {
  using W = typename WiderInt<Raw>::type;
  const W sum = static_cast<W>(a) + static_cast<W>(b);
  const W sign = sum >= 0 ? 1 : -1;
  return static_cast<Raw>((sum + sign) / 2);
}

// a + b, saturating for 16-bit values and wrapping for 32-bit ones.
template <typename Raw>
inline Raw add_saturating_if_16_bit(Raw a, Raw b) {
  if constexpr (sizeof(Raw) == 2) {
    const int32_t sum = static_cast<int32_t>(a) + static_cast<int32_t>(b);
    return static_cast<Raw>(sum > 32767 ? 32767 : (sum < -32768 ? -32768 : sum));
  } else {
    return wrapping_add(a, b);
  }
}

// x · 2^Exponent: a saturating left shift or a rounding right shift.
template <int Exponent, typename Raw>
inline Raw saturating_rounding_multiply_by_pot(Raw x) {
  if constexpr (Exponent > 0) {
    constexpr int kBits = 8 * sizeof(Raw);
    constexpr int32_t kThreshold = (int32_t{1} << (kBits - 1 - Exponent)) - 1;
    if (x > kThreshold) return std::numeric_limits<Raw>::max();
    if (x < -kThreshold) return std::numeric_limits<Raw>::min();
    return static_cast<Raw>(static_cast<std::make_unsigned_t<Raw>>(x) << Exponent);
  } else if constexpr (Exponent < 0) {
    return rounding_divide_by_pot(x, -Exponent);
  } else {
    return x;
  }
}

template <typename Raw, int IntegerBits>
struct FixedPoint {
  static_assert(std::is_same_v<Raw, int32_t> || std::is_same_v<Raw, int16_t>,
                "fixed-point values are int32_t or int16_t");
  static constexpr int kTotalBits = 8 * sizeof(Raw);
  static constexpr int kIntegerBits = IntegerBits;
  static constexpr int kFractionalBits = kTotalBits - 1 - IntegerBits;
  static_assert(IntegerBits >= 0 && IntegerBits < kTotalBits, "bad integer bits");

  Raw raw;

  static constexpr FixedPoint from_raw(Raw r) { return FixedPoint{r}; }
  static constexpr FixedPoint zero() { return FixedPoint{0}; }
  // 1 is not representable with no integer bits; the largest value stands in for it.
  static constexpr FixedPoint one() {
    return FixedPoint{IntegerBits == 0 ? std::numeric_limits<Raw>::max()
                                       : static_cast<Raw>(Raw{1} << kFractionalBits)};
  }
  template <int Exponent>
  static constexpr FixedPoint constant_pot() {
    static_assert(kFractionalBits + Exponent < kTotalBits - 1, "constant not representable");
    return FixedPoint{static_cast<Raw>(Raw{1} << (kFractionalBits + Exponent))};
  }
  // A constant given as a 32-bit raw value with the same integer bits, rounded to Raw's width.
  static constexpr FixedPoint constant_from_int32(int32_t raw32) {
    return FixedPoint{static_cast<Raw>(rounding_divide_by_pot<int32_t>(raw32, 32 - kTotalBits))};
  }
};

template <typename Raw, int A, int B>
inline FixedPoint<Raw, A + B> operator*(FixedPoint<Raw, A> a, FixedPoint<Raw, B> b) {
  return {saturating_rounding_doubling_high_mul(a.raw, b.raw)};
}
template <typename Raw, int I>
inline FixedPoint<Raw, I> operator+(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return {wrapping_add(a.raw, b.raw)};
}
template <typename Raw, int I>
inline FixedPoint<Raw, I> operator-(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return {wrapping_sub(a.raw, b.raw)};
}
template <typename Raw, int I>
inline FixedPoint<Raw, I> operator-(FixedPoint<Raw, I> a) {
  return {wrapping_sub(Raw{0}, a.raw)};
}
template <typename Raw, int I>
inline FixedPoint<Raw, I> operator&(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return {static_cast<Raw>(a.raw & b.raw)};
}

// The same value with Exponent more integer bits: an exact multiplication by 2^Exponent.
template <int Exponent, typename Raw, int I>
inline FixedPoint<Raw, I + Exponent> exact_mul_by_pot(FixedPoint<Raw, I> a) {
  return {a.raw};
}

// a · 2^Exponent in the same format, saturating or rounding.
template <int Exponent, typename Raw, int I>
inline FixedPoint<Raw, I> saturating_rounding_multiply_by_pot(FixedPoint<Raw, I> a) {
  return {saturating_rounding_multiply_by_pot<Exponent>(a.raw)};
}

// The same value in a format with DstBits integer bits.
template <int DstBits, typename Raw, int SrcBits>
inline FixedPoint<Raw, DstBits> rescale(FixedPoint<Raw, SrcBits> x) {
  return {saturating_rounding_multiply_by_pot<SrcBits - DstBits>(x.raw)};
}

// exp(a) for a in [-1/4, 0): a Taylor expansion around -1/8.
template <typename Raw>
inline FixedPoint<Raw, 0> exp_on_interval_between_negative_one_quarter_and_0_excl(
    FixedPoint<Raw, 0> a) {
  using F = FixedPoint<Raw, 0>;
  const F constant_term = F::constant_from_int32(1895147668);     // exp(-1/8)
  const F constant_1_over_3 = F::constant_from_int32(715827883);  // 1/3
  const F x = a + F::template constant_pot<-3>();
  const F x2 = x * x;
  const F x3 = x2 * x;
  const F x4 = x2 * x2;
  const F x4_over_4 = saturating_rounding_multiply_by_pot<-2>(x4);
  const F x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      saturating_rounding_multiply_by_pot<-1>(((x4_over_4 + x3) * constant_1_over_3) + x2);
  return {add_saturating_if_16_bit(
      constant_term.raw, (constant_term * (x + x4_over_24_plus_x3_over_6_plus_x2_over_2)).raw)};
}

// exp(a) for a <= 0: exp of a mod 1/4, then a barrel shifter of exp(-2^k) factors.
template <typename Raw, int I>
inline FixedPoint<Raw, 0> exp_on_negative_values(FixedPoint<Raw, I> a) {
  using InputF = FixedPoint<Raw, I>;
  using ResultF = FixedPoint<Raw, 0>;
  constexpr int kFractionalBits = InputF::kFractionalBits;
  const InputF one_quarter = InputF::template constant_pot<-2>();
  const InputF mask = one_quarter - InputF::from_raw(1);
  const InputF a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  ResultF result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      rescale<0>(a_mod_quarter_minus_one_quarter));
  const Raw remainder = (a_mod_quarter_minus_one_quarter - a).raw;

  // Multiplies by exp(-2^Exponent) when that bit of the remainder is set.
  auto barrel = [&](auto exponent_tag, int32_t multiplier_raw32) {
    constexpr int kExponent = decltype(exponent_tag)::value;
    if constexpr (I > kExponent) {
      constexpr int kShift = kFractionalBits + kExponent;
      const ResultF multiplier = ResultF::constant_from_int32(multiplier_raw32);
      if ((remainder & static_cast<Raw>(int32_t{1} << kShift)) != 0) {
        result = result * multiplier;
      }
    }
  };
  barrel(std::integral_constant<int, -2>{}, 1672461947);
  barrel(std::integral_constant<int, -1>{}, 1302514674);
  barrel(std::integral_constant<int, 0>{}, 790015084);
  barrel(std::integral_constant<int, 1>{}, 290630308);
  barrel(std::integral_constant<int, 2>{}, 39332535);
  barrel(std::integral_constant<int, 3>{}, 720401);
  barrel(std::integral_constant<int, 4>{}, 242);

  if constexpr (I > 5) {
    // Below -32 the result underflows to 0.
    constexpr int kClampBits = 36 - I;
    const InputF clamp = InputF::constant_from_int32(-(int32_t{1} << kClampBits));
    if (a.raw < clamp.raw) result = ResultF::zero();
  }
  if (a.raw == 0) result = ResultF::one();
  return result;
}

// (1 - x) / (1 + x) for x in (0, 1), by three Newton-Raphson steps.
template <typename Raw>
inline FixedPoint<Raw, 0> one_minus_x_over_one_plus_x_for_x_in_0_1(FixedPoint<Raw, 0> a) {
  using F0 = FixedPoint<Raw, 0>;
  using F2 = FixedPoint<Raw, 2>;
  const F0 half_denominator{rounding_half_sum(a.raw, F0::one().raw)};
  const F2 constant_48_over_17 = F2::constant_from_int32(1515870810);
  const F2 constant_neg_32_over_17 = F2::constant_from_int32(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::one() - half_denominator_times_x;
    x = x + rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return rescale<0>(x - F2::one());
}

// 1 / (1 + x) for x in (0, 1), by three Newton-Raphson steps.
template <typename Raw>
inline FixedPoint<Raw, 0> one_over_one_plus_x_for_x_in_0_1(FixedPoint<Raw, 0> a) {
  using F0 = FixedPoint<Raw, 0>;
  using F2 = FixedPoint<Raw, 2>;
  const F0 half_denominator{rounding_half_sum(a.raw, F0::one().raw)};
  const F2 constant_48_over_17 = F2::constant_from_int32(1515870810);
  const F2 constant_neg_32_over_17 = F2::constant_from_int32(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::one() - half_denominator_times_x;
    x = x + rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return rescale<0>(exact_mul_by_pot<-1>(x));
}

// tanh(a) for any a: (1 - exp(-2|a|)) / (1 + exp(-2|a|)) with the sign of a.
template <typename Raw, int I>
inline FixedPoint<Raw, 0> tanh(FixedPoint<Raw, I> a) {
  using ResultF = FixedPoint<Raw, 0>;
  if (a.raw == 0) return ResultF::zero();
  const bool negative = a.raw < 0;
  const FixedPoint<Raw, I> n = negative ? a : -a;
  const ResultF t =
      one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(exact_mul_by_pot<1>(n)));
  return negative ? -t : t;
}

// logistic(a) = 1 / (1 + exp(-a)) for any a.
template <typename Raw, int I>
inline FixedPoint<Raw, 0> logistic(FixedPoint<Raw, I> a) {
  using ResultF = FixedPoint<Raw, 0>;
  if (a.raw == 0) return ResultF::constant_from_int32(1 << 30);  // 1/2
  const bool positive = a.raw > 0;
  const FixedPoint<Raw, I> abs_a = positive ? a : -a;
  const ResultF if_positive = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(-abs_a));
  return positive ? if_positive : ResultF::one() - if_positive;
}

}  // namespace fp
}  // namespace kernels
}  // namespace mote
