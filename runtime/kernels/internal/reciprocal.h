// 1/x for a positive fixed-point x of any magnitude, as TFLite's GetReciprocal: x is normalised
// into [1, 2) by its leading zeros, 1/(1 + (x' - 1)) is computed in Q0.31 and the caller applies
// the power of two that the normalisation removed.
#pragma once

#include <cstdint>

#include "runtime/kernels/internal/fixed_point_math.h"

namespace mote {
namespace kernels {

// Number of leading zero bits of `x` (32 for 0).
inline int count_leading_zeros(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// For `x` > 0 with `x_integer_digits` integer bits (raw Q(x_integer_digits).(31 -
// x_integer_digits)), returns r in Q0.31 and sets `num_bits_over_unit` to n such that
// 1/x ≈ r · 2^-n.
inline int32_t get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x shifted so that its leading one is bit 31, minus that one: the fraction x' - 1 in Q0.31.
  // The shift is done on 32 bits, so it is meaningless (as in TFLite) only for x <= 0.
  const uint32_t shifted =
      headroom_plus_one < 32 ? static_cast<uint32_t>(x) << headroom_plus_one : 0u;
  const auto shifted_minus_one = static_cast<int32_t>(shifted - (uint32_t{1} << 31));
  return fp::one_over_one_plus_x_for_x_in_0_1(
             fp::FixedPoint<int32_t, 0>::from_raw(shifted_minus_one))
      .raw;
}

}  // namespace kernels
}  // namespace mote
