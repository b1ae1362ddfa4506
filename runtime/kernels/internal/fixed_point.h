// Fixed-point primitives of the TFLite quantization specification, with TFLite's rounding
// (the "double rounding" build that TFLM uses by default). Every int8/int16 kernel that must match
// TFLM byte for byte rescales through these functions.
#pragma once

#include <cstdint>
#include <limits>

namespace mote {
namespace kernels {

template <typename Raw>
struct WiderInt;
template <>
struct WiderInt<int32_t> {
  using type = int64_t;
};
template <>
struct WiderInt<int16_t> {
  using type = int32_t;
};

// High half of 2·a·b rounded to nearest with ties towards +infinity, saturating the one overflow
// case a == b == MIN (ARM's VQRDMULH). For int32_t and int16_t.
template <typename Raw>
inline Raw saturating_rounding_doubling_high_mul(Raw a, Raw b) {
  using W = typename WiderInt<Raw>::type;
  constexpr int kBits = 8 * sizeof(Raw);
  if (a == b && a == std::numeric_limits<Raw>::min()) return std::numeric_limits<Raw>::max();
  const W ab = static_cast<W>(a) * static_cast<W>(b);
  const W nudge = ab >= 0 ? (W{1} << (kBits - 2)) : (1 - (W{1} << (kBits - 2)));
  return static_cast<Raw>((ab + nudge) / (W{1} << (kBits - 1)));
}

// x / 2^exponent rounded to nearest, ties away from zero; exponent in [0, bits - 1].
template <typename Raw>
inline Raw rounding_divide_by_pot(Raw x, int exponent) {
  const Raw mask = static_cast<Raw>((int64_t{1} << exponent) - 1);
  const Raw remainder = static_cast<Raw>(x & mask);
  const Raw threshold = static_cast<Raw>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<Raw>((x >> exponent) + (remainder > threshold ? 1 : 0));
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
