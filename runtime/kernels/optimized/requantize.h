// TFLite's MultiplyByQuantizedMultiplier (double rounding, as TFLM by default) in a handful of
// instructions, for the optimized kernels' per-output rescaling, which would otherwise cost as
// much as a 16-deep dot product.
//
// Why it is the same function (x = the left-shifted accumulator, m >= 0 the Q0.31 multiplier,
// e >= 1 the right shift):
//  * the doubling high multiply rounds (2xm + 2^31) / 2^32 ties towards +infinity, which is
//    h = floor((xm + 2^30) / 2^31); it saturates only for x == m == INT32_MIN, and the
//    multipliers quantize_multiplier produces are never negative;
//  * the rounding right shift (ties away from zero) is floor((h + 2^(e-1) - [h < 0]) / 2^e);
//  * nested floors of integer divisions merge: the result is
//    floor((xm + 2^30 + 2^(30+e) - [h < 0]·2^31) / 2^(31+e)), one 64-bit multiply-accumulate
//    (SMLAL) from a per-channel constant and the high word shifted by e - 1;
//  * [h < 0] may be replaced by [x < 0]: they differ only when -2^30 <= xm < 0, where h = 0 and
//    both forms give 0.
// e == 0 has no rounding shift and keeps h itself. optimized_requantize_test.cc checks all this
// against the reference on random and extreme values.
#pragma once

#include <cstdint>

namespace mote {
namespace kernels {
namespace optimized {

// TFLite's (multiplier, shift) for one channel, split for the loop.
struct Rescale {
  int32_t multiplier;   // Q0.31, >= 0
  int32_t left_shift;   // 0..30
  int32_t right_shift;  // 0..31
  int64_t addend;       // 2^30 + 2^(30 + right_shift) (2^30 alone when right_shift is 0)
};

// Splits TFLite's (multiplier, shift); multiplier must be >= 0, shift in [-31, 30].
inline Rescale make_rescale(int32_t multiplier, int shift) {
  Rescale r;
  r.multiplier = multiplier;
  r.left_shift = shift > 0 ? shift : 0;
  r.right_shift = shift > 0 ? 0 : -shift;
  r.addend = (int64_t{1} << 30) + (r.right_shift > 0 ? int64_t{1} << (30 + r.right_shift) : 0);
  return r;
}

// x · multiplier · 2^shift exactly as multiply_by_quantized_multiplier(int32_t, ...).
// kRightOnly: the caller knows that shift < 0 (no left shift, a rounding right shift), as for
// every channel of most layers, and saves the tests.
template <bool kRightOnly = false>
inline int32_t rescale(int32_t acc, const Rescale& r) {
  const auto x =
      kRightOnly ? acc : static_cast<int32_t>(static_cast<uint32_t>(acc) << r.left_shift);
  if (!kRightOnly && r.right_shift == 0) {
    return static_cast<int32_t>((static_cast<int64_t>(x) * r.multiplier + r.addend) >> 31);
  }
  // -2^31 when x < 0, as a 64-bit word pair: the high word is x's sign word, the low word its
  // sign bit (three instructions with the addition).
  const uint64_t negative = (static_cast<uint64_t>(static_cast<uint32_t>(x >> 31)) << 32) |
                            (static_cast<uint32_t>(x) & 0x80000000u);
  const int64_t total = static_cast<int64_t>(x) * r.multiplier +
                        static_cast<int64_t>(static_cast<uint64_t>(r.addend) + negative);
  return static_cast<int32_t>(total >> 32) >> (r.right_shift - 1);
}

// Whether every one of `count` shifts is negative (rescale<true> applies to all channels).
inline bool all_right_shifts(const int8_t* shifts, int32_t count) {
  for (int32_t c = 0; c < count; ++c) {
    if (shifts[c] >= 0) return false;
  }
  return true;
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
