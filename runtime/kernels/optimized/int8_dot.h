// Int8 dot products with the input offset folded in, four bytes per step through the packed
// 16-bit multiply-accumulate (simd.h): the inner loops of CONV_2D and FULLY_CONNECTED. Several
// accumulators per call share each expanded operand: a pixel's expanded input serves two weight
// rows and a weight row serves two pixels, which is what saves instructions over one dot product
// at a time.
#pragma once

#include <cstdint>

#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/optimized/requantize.h"
#include "runtime/kernels/optimized/simd.h"

namespace mote {
namespace kernels {
namespace optimized {

// acc[p][c] += sum over i < depth of (x_p[i] + input_offset) · w_c[i], for 2 inputs and 2 weight
// rows. `offsets` is simd::splat16(input_offset).
inline void dot_2x2(const int8_t* x0, const int8_t* x1, const int8_t* w0, const int8_t* w1,
                    int32_t depth, int32_t input_offset, int32_t offsets, int32_t acc[2][2]) {
  int32_t a00 = acc[0][0], a01 = acc[0][1], a10 = acc[1][0], a11 = acc[1][1];
  int32_t i = 0;
  for (; i + 4 <= depth; i += 4) {
    const int32_t xa = simd::load4(x0 + i);
    const int32_t xb = simd::load4(x1 + i);
    const int32_t xa_even = simd::extend_even_add(offsets, xa);
    const int32_t xa_odd = simd::extend_odd_add(offsets, xa);
    const int32_t xb_even = simd::extend_even_add(offsets, xb);
    const int32_t xb_odd = simd::extend_odd_add(offsets, xb);
    int32_t w = simd::load4(w0 + i);
    int32_t w_even = simd::extend_even(w);
    int32_t w_odd = simd::extend_odd(w);
    a00 = simd::dot2_add(xa_even, w_even, a00);
    a00 = simd::dot2_add(xa_odd, w_odd, a00);
    a10 = simd::dot2_add(xb_even, w_even, a10);
    a10 = simd::dot2_add(xb_odd, w_odd, a10);
    w = simd::load4(w1 + i);
    w_even = simd::extend_even(w);
    w_odd = simd::extend_odd(w);
    a01 = simd::dot2_add(xa_even, w_even, a01);
    a01 = simd::dot2_add(xa_odd, w_odd, a01);
    a11 = simd::dot2_add(xb_even, w_even, a11);
    a11 = simd::dot2_add(xb_odd, w_odd, a11);
  }
  for (; i < depth; ++i) {
    const int32_t xa = x0[i] + input_offset;
    const int32_t xb = x1[i] + input_offset;
    a00 = simd::mac(a00, xa, w0[i]);
    a01 = simd::mac(a01, xa, w1[i]);
    a10 = simd::mac(a10, xb, w0[i]);
    a11 = simd::mac(a11, xb, w1[i]);
  }
  acc[0][0] = a00;
  acc[0][1] = a01;
  acc[1][0] = a10;
  acc[1][1] = a11;
}

// acc[c] += sum over i < depth of (x[i] + input_offset) · w_c[i], for 1 input and 2 weight rows.
inline void dot_1x2(const int8_t* x, const int8_t* w0, const int8_t* w1, int32_t depth,
                    int32_t input_offset, int32_t offsets, int32_t acc[2]) {
  int32_t a0 = acc[0], a1 = acc[1];
  int32_t i = 0;
  for (; i + 4 <= depth; i += 4) {
    const int32_t xw = simd::load4(x + i);
    const int32_t x_even = simd::extend_even_add(offsets, xw);
    const int32_t x_odd = simd::extend_odd_add(offsets, xw);
    int32_t w = simd::load4(w0 + i);
    a0 = simd::dot2_add(x_even, simd::extend_even(w), a0);
    a0 = simd::dot2_add(x_odd, simd::extend_odd(w), a0);
    w = simd::load4(w1 + i);
    a1 = simd::dot2_add(x_even, simd::extend_even(w), a1);
    a1 = simd::dot2_add(x_odd, simd::extend_odd(w), a1);
  }
  for (; i < depth; ++i) {
    const int32_t xi = x[i] + input_offset;
    a0 = simd::mac(a0, xi, w0[i]);
    a1 = simd::mac(a1, xi, w1[i]);
  }
  acc[0] = a0;
  acc[1] = a1;
}

// acc += sum over i < depth of (x[i] + input_offset) · w[i].
inline int32_t dot_1x1(const int8_t* x, const int8_t* w, int32_t depth, int32_t input_offset,
                       int32_t offsets, int32_t acc) {
  int32_t i = 0;
  for (; i + 4 <= depth; i += 4) {
    const int32_t xw = simd::load4(x + i);
    const int32_t ww = simd::load4(w + i);
    acc = simd::dot2_add(simd::extend_even_add(offsets, xw), simd::extend_even(ww), acc);
    acc = simd::dot2_add(simd::extend_odd_add(offsets, xw), simd::extend_odd(ww), acc);
  }
  for (; i < depth; ++i) acc = simd::mac(acc, x[i] + input_offset, w[i]);
  return acc;
}

// The int8 output of an accumulator: rescaled, offset, clamped to the activation range.
// kFullRange: the range is all of int8 (no fused activation, or one whose bounds the output
// quantization already imposes), which one saturating instruction clamps to.
// kRightOnly: as for rescale.
template <bool kFullRange = false, bool kRightOnly = false>
inline int8_t to_int8(int32_t acc, const Rescale& r, int32_t output_offset, int32_t act_min,
                      int32_t act_max) {
  int32_t value = rescale<kRightOnly>(acc, r) + output_offset;
  if (kFullRange) {
#if MOTE_HAVE_DSP
    return static_cast<int8_t>(__ssat(value, 8));
#else
    act_min = -128;
    act_max = 127;
#endif
  }
  value = value < act_min ? act_min : value;
  value = value > act_max ? act_max : value;
  return static_cast<int8_t>(value);
}

// Whether an activation range is all of int8 (to_int8<true>).
inline bool full_int8_range(int32_t act_min, int32_t act_max) {
  return act_min == -128 && act_max == 127;
}

// Whether a convolution's output stage may take to_int8<true, true>: the activation range is all
// of int8 and every one of `channels` shifts is a right shift. Every conv and depthwise layer of
// person_detect and micro_speech is (ReLU6 / ReLU folded into the output's quantization, scales
// below 0.5), so the kernels keep one unrolled loop for that case and one general loop; each
// further pairing would cost 1.5-2 KB of flash for another copy of the loop.
inline bool output_stage_shortcut(const ConvOpData& d, int32_t channels) {
  return full_int8_range(d.act_min, d.act_max) && all_right_shifts(conv_shifts(&d), channels);
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
