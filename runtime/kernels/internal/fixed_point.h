// Fixed-point primitives of the TFLite quantization specification, with TFLite's rounding
// (the "double rounding" build that TFLM uses by default). Every int8/int16 kernel that must match
// TFLM byte for byte rescales through these functions.
#pragma once

#include <cstdint>
#include <limits>

namespace mote {
namespace kernels {

// High 32 bits of 2·a·b, rounded to nearest (ties away from zero), saturating the one overflow
// case a == b == INT32_MIN.
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero; exponent in [0, 31].
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x · multiplier · 2^shift, where multiplier is a Q0.31 value from quantize_multiplier and
// shift is in [-31, 30]: a left shift first, then the doubling high multiply, then a rounding
// right shift.
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  // TFLite multiplies in int32 and relies on wrap-around; unsigned arithmetic keeps that defined.
  const auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier),
                                right_shift);
}

// The 64-bit accumulator form used by 16x8 kernels: the multiplier is reduced to 16 bits and a
// single rounding shift applied. x must lie in [-2^47, 2^47), shift in [-31, 7].
inline int32_t multiply_by_quantized_multiplier(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t rounded = x * static_cast<int64_t>(reduced) + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// Rescaling by a multiplier that is known to be below one (shift <= 0), as TFLite's
// MultiplyByQuantizedMultiplierSmallerThanOneExp.
inline int32_t multiply_by_quantized_multiplier_smaller_than_one(int32_t x, int32_t multiplier,
                                                                 int shift) {
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(x, multiplier), -shift);
}

// Rescaling by a multiplier known to be at least one (shift >= 0).
inline int32_t multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t multiplier,
                                                                 int shift) {
  const auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
  return saturating_rounding_doubling_high_mul(shifted, multiplier);
}

template <typename T>
inline T clamp(T value, T low, T high) {
  return value < low ? low : (value > high ? high : value);
}

}  // namespace kernels
}  // namespace mote
