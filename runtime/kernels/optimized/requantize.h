// TFLite's MultiplyByQuantizedMultiplier (double rounding, as TFLM by default) in fewer
// instructions, for the optimized kernels' per-output rescaling, which costs as much as a
// 16-deep dot product when written as in runtime/kernels/internal/fixed_point.h.
//
// Why it is the same function: the doubling high multiply rounds (2ab + 2^31) / 2^32 ties
// towards +infinity, i.e. floor((ab + 2^30) / 2^31), which is one 64-bit multiply-accumulate
// from 2^30 and an arithmetic shift; it saturates only for a == b == INT32_MIN, and the
// multipliers init_conv_quantized / quantize_multiplier produce are never negative. The
// rounding right shift is unchanged. tests/runtime/kernels/optimized_requantize_test.cc compares
// the two on random and extreme values.
#pragma once

#include <cstdint>

namespace mote {
namespace kernels {
namespace optimized {

// A per-channel multiplier split for the loop: left shift, right shift and the rounding
// threshold's base (half of 2^right - 1).
struct Rescale {
  int32_t multiplier;   // Q0.31, >= 0
  int32_t left_shift;   // 0..30
  int32_t right_shift;  // 0..31
  int32_t mask;         // 2^right_shift - 1
};

// Splits TFLite's (multiplier, shift) pair; multiplier must be >= 0, shift in [-31, 30].
inline Rescale make_rescale(int32_t multiplier, int shift) {
  Rescale r;
  r.multiplier = multiplier;
  r.left_shift = shift > 0 ? shift : 0;
  r.right_shift = shift > 0 ? 0 : -shift;
  r.mask = static_cast<int32_t>((int64_t{1} << r.right_shift) - 1);
  return r;
}

// x · multiplier · 2^shift exactly as multiply_by_quantized_multiplier(int32_t, ...).
inline int32_t rescale(int32_t x, const Rescale& r) {
  const auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << r.left_shift);
  const int64_t product = static_cast<int64_t>(shifted) * r.multiplier + (int64_t{1} << 30);
  const auto high = static_cast<int32_t>(product >> 31);
  // Rounding divide by 2^right_shift, ties away from zero.
  const int32_t remainder = high & r.mask;
  const int32_t threshold = (r.mask >> 1) + static_cast<int32_t>(static_cast<uint32_t>(high) >> 31);
  return (high >> r.right_shift) + (remainder > threshold ? 1 : 0);
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
