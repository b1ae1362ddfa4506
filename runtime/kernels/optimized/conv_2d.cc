// CONV_2D, optimized for int8 on cores with the DSP extension (portable C elsewhere): two output
// pixels by two output channels per inner loop, inputs expanded to 16-bit pairs on the fly and a
// 1x1 convolution's weights once per channel pair into a bounded stack buffer (int8_dot.h,
// expand_pair), so that no planner scratch is needed and the arena is the reference kernel's to
// the byte. Planning, checks and op data are the reference kernel's own
// (runtime/kernels/conv_2d.cc); float, 16x8, grouped convolutions and sparse filters run the
// reference code.
#include <cstdint>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/internal/element_access.h"
#include "runtime/kernels/internal/sparse_weights.h"
#include "runtime/kernels/kernels.h"
#include "runtime/kernels/optimized/int8_dot.h"
#include "runtime/kernels/optimized/optimized_kernels.h"

namespace mote {
namespace kernels {
namespace optimized {
namespace {

constexpr int kInput = 0;
constexpr int kFilter = 1;
constexpr int kBias = 2;

struct Shape {
  int32_t batches;
  int32_t in_h, in_w, depth;  // depth: input channels = filter depth (no groups here)
  int32_t filter_h, filter_w;
  int32_t out_h, out_w, out_depth;
};

// What every output needs besides its accumulator.
struct Output {
  const ConvOpData* d;
  const int32_t* bias;  // may be null; read unaligned
  int8_t* data;
};

Status plan(PlanContext& ctx) { return kernels::conv_2d().plan(ctx); }
Status init(InitContext& ctx) { return kernels::conv_2d().init(ctx); }

int32_t bias_of(const Output& out, int32_t channel) {
  return out.bias == nullptr ? 0 : load_unaligned<int32_t>(out.bias, channel);
}

Rescale rescale_of(const ConvOpData& d, int32_t channel) {
  return make_rescale(conv_multipliers(&d)[channel], conv_shifts(&d)[channel]);
}

// Writes output pixel `pixel`'s channels c and c + 1 (just c when `two` is false).
void store(const Output& out, int32_t out_depth, int32_t pixel, int32_t c, const int32_t acc[2],
           bool two) {
  const ConvOpData& d = *out.d;
  int8_t* o = out.data + pixel * out_depth + c;
  o[0] = to_int8(acc[0], rescale_of(d, c), d.output_offset, d.act_min, d.act_max);
  if (two) o[1] = to_int8(acc[1], rescale_of(d, c + 1), d.output_offset, d.act_min, d.act_max);
}

// Every channel of 1x1 output pixels p0 and p1 (p1 < 0: p0 alone) whose input rows of depth
// bytes are x0 and x1, for depths the blocked loop does not take.
void conv_pixels(const Shape& s, const Output& out, const int8_t* filter, const int8_t* x0,
                 const int8_t* x1, int32_t p0, int32_t p1) {
  const ConvOpData& d = *out.d;
  const int32_t offsets = simd::splat16(d.input_offset);
  for (int32_t c = 0; c < s.out_depth; c += 2) {
    const bool two = c + 1 < s.out_depth;
    const int8_t* w0 = filter + c * s.depth;
    // A lone last channel runs against its own row twice; only the first result is kept.
    const int8_t* w1 = two ? w0 + s.depth : w0;
    int32_t acc[2][2] = {{bias_of(out, c), two ? bias_of(out, c + 1) : 0},
                         {bias_of(out, c), two ? bias_of(out, c + 1) : 0}};
    if (p1 >= 0) {
      dot_2x2(x0, x1, w0, w1, s.depth, d.input_offset, offsets, acc);
    } else {
      dot_1x2(x0, w0, w1, s.depth, d.input_offset, offsets, acc[0]);
    }
    store(out, s.out_depth, p0, c, acc[0], two);
    if (p1 >= 0) store(out, s.out_depth, p1, c, acc[1], two);
  }
}

// acc[p][c] += sum over depth (a multiple of 4) of x_p[i] · w_c[i] for the inputs x_0 = x,
// x_1 = x + x_stride and the weight rows w_0 = w, w_1 = w + w_stride: the 1x1 convolution's
// inner loop. The input offset is not applied here (the caller adds offset · sum of weights), and
// kSameStride (x_stride == w_stride, as for neighbouring pixels of a stride-1 convolution)
// saves one more register, so that the loop runs without spilling on Cortex-M4's 14.
template <bool kSameStride>
inline void dot_2x2_blocks(const int8_t* x, int32_t x_stride, const int8_t* w, int32_t w_stride,
                           int32_t depth, int32_t acc[2][2]) {
  int32_t a00 = acc[0][0], a01 = acc[0][1], a10 = acc[1][0], a11 = acc[1][1];
  const int8_t* const x_end = x + depth;
  while (x != x_end) {
    const int32_t xa = simd::load4(x);
    const int32_t xb = simd::load4(x + (kSameStride ? w_stride : x_stride));
    const int32_t xa_even = simd::extend_even(xa);
    const int32_t xa_odd = simd::extend_odd(xa);
    const int32_t xb_even = simd::extend_even(xb);
    const int32_t xb_odd = simd::extend_odd(xb);
    int32_t wv = simd::load4(w);
    int32_t w_even = simd::extend_even(wv);
    int32_t w_odd = simd::extend_odd(wv);
    a00 = simd::dot2_add(xa_even, w_even, a00);
    a00 = simd::dot2_add(xa_odd, w_odd, a00);
    a10 = simd::dot2_add(xb_even, w_even, a10);
    a10 = simd::dot2_add(xb_odd, w_odd, a10);
    wv = simd::load4(w + w_stride);
    w_even = simd::extend_even(wv);
    w_odd = simd::extend_odd(wv);
    a01 = simd::dot2_add(xa_even, w_even, a01);
    a01 = simd::dot2_add(xa_odd, w_odd, a01);
    a11 = simd::dot2_add(xb_even, w_even, a11);
    a11 = simd::dot2_add(xb_odd, w_odd, a11);
    x += 4;
    w += 4;
  }
  acc[0][0] = a00;
  acc[0][1] = a01;
  acc[1][0] = a10;
  acc[1][1] = a11;
}

#if MOTE_HAVE_DSP
// The same loop for kSameStride on Cortex-M4, where it needs all 14 allocatable registers:
// GCC 12 spills four of them per iteration from the C above (28 instructions instead of 23
// per 16 multiply-accumulates), so the loop is written out instruction for instruction.
template <>
inline void dot_2x2_blocks<true>(const int8_t* x, int32_t /*x_stride*/, const int8_t* w,
                                 int32_t w_stride, int32_t depth, int32_t acc[2][2]) {
  int32_t a00 = acc[0][0], a01 = acc[0][1], a10 = acc[1][0], a11 = acc[1][1];
  const int8_t* const x_end = x + depth;
  int32_t t0, t1, t2, t3, t4, t5;
  __asm__ volatile(
      "1:\n\t"
      "ldr %[t0], [%[x], %[stride]]\n\t"
      "ldr %[t1], [%[x]], #4\n\t"
      "sxtb16 %[t2], %[t1]\n\t"
      "sxtb16 %[t1], %[t1], ror #8\n\t"
      "sxtb16 %[t3], %[t0]\n\t"
      "sxtb16 %[t0], %[t0], ror #8\n\t"
      "ldr %[t5], [%[w]]\n\t"
      "sxtb16 %[t4], %[t5]\n\t"
      "sxtb16 %[t5], %[t5], ror #8\n\t"
      "smlad %[a00], %[t2], %[t4], %[a00]\n\t"
      "smlad %[a00], %[t1], %[t5], %[a00]\n\t"
      "smlad %[a10], %[t3], %[t4], %[a10]\n\t"
      "smlad %[a10], %[t0], %[t5], %[a10]\n\t"
      "ldr %[t5], [%[w], %[stride]]\n\t"
      "add %[w], %[w], #4\n\t"
      "sxtb16 %[t4], %[t5]\n\t"
      "sxtb16 %[t5], %[t5], ror #8\n\t"
      "smlad %[a01], %[t2], %[t4], %[a01]\n\t"
      "smlad %[a01], %[t1], %[t5], %[a01]\n\t"
      "smlad %[a11], %[t3], %[t4], %[a11]\n\t"
      "smlad %[a11], %[t0], %[t5], %[a11]\n\t"
      "cmp %[x], %[end]\n\t"
      "bne 1b\n\t"
      : [x] "+r"(x), [w] "+r"(w), [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10),
        [a11] "+r"(a11), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
        [t4] "=&r"(t4), [t5] "=&r"(t5)
      : [stride] "r"(w_stride), [end] "r"(x_end)
      : "cc", "memory");
  acc[0][0] = a00;
  acc[0][1] = a01;
  acc[1][0] = a10;
  acc[1][1] = a11;
}
#endif

// Input depth up to which a 1x1 convolution expands a channel pair's weights once (on the stack,
// 4 bytes per input channel) instead of in every inner loop.
constexpr int32_t kMaxExpandedDepth = 256;

// Weight rows w0 and w1 (depth a multiple of 4) as 16-bit pairs, in the order the inner loop
// reads them: per four input channels, w0's (even, odd) pairs then w1's. Returns the rows' sums
// in sums[0], sums[1] (for the input offset's term), taken from the pairs on the way.
void expand_pair(const int8_t* w0, const int8_t* w1, int32_t depth, int32_t* out, int32_t sums[2]) {
  const int32_t ones = simd::splat16(1);
  int32_t sum0 = 0, sum1 = 0;
  for (int32_t i = 0; i < depth; i += 4, out += 4) {
    const int32_t a = simd::load4(w0 + i);
    const int32_t b = simd::load4(w1 + i);
    out[0] = simd::extend_even(a);
    out[1] = simd::extend_odd(a);
    out[2] = simd::extend_even(b);
    out[3] = simd::extend_odd(b);
    sum0 = simd::dot2_add(out[0], ones, simd::dot2_add(out[1], ones, sum0));
    sum1 = simd::dot2_add(out[2], ones, simd::dot2_add(out[3], ones, sum1));
  }
  sums[0] = sum0;
  sums[1] = sum1;
}

// dot_2x2_blocks with weights from expand_pair: acc[p][c] += sum of x_p[i] · w_c[i] for
// x_0 = x, x_1 = x + x_stride.
inline void dot_2x2_expanded(const int8_t* x, int32_t x_stride, const int32_t* w, int32_t depth,
                             int32_t acc[2][2]) {
  int32_t a00 = acc[0][0], a01 = acc[0][1], a10 = acc[1][0], a11 = acc[1][1];
  const int8_t* const x_end = x + depth;
#if MOTE_HAVE_DSP
  // 18 instructions for 16 multiply-accumulates, every value in a register.
  int32_t t0, t1, t2, t3, t4, t5;
  __asm__ volatile(
      "1:\n\t"
      "ldr %[t0], [%[x], %[stride]]\n\t"
      "ldr %[t1], [%[x]], #4\n\t"
      "sxtb16 %[t2], %[t1]\n\t"
      "sxtb16 %[t1], %[t1], ror #8\n\t"
      "sxtb16 %[t3], %[t0]\n\t"
      "sxtb16 %[t0], %[t0], ror #8\n\t"
      "ldrd %[t4], %[t5], [%[w]], #8\n\t"
      "smlad %[a00], %[t2], %[t4], %[a00]\n\t"
      "smlad %[a00], %[t1], %[t5], %[a00]\n\t"
      "smlad %[a10], %[t3], %[t4], %[a10]\n\t"
      "smlad %[a10], %[t0], %[t5], %[a10]\n\t"
      "ldrd %[t4], %[t5], [%[w]], #8\n\t"
      "smlad %[a01], %[t2], %[t4], %[a01]\n\t"
      "smlad %[a01], %[t1], %[t5], %[a01]\n\t"
      "smlad %[a11], %[t3], %[t4], %[a11]\n\t"
      "smlad %[a11], %[t0], %[t5], %[a11]\n\t"
      "cmp %[x], %[end]\n\t"
      "bne 1b\n\t"
      : [x] "+r"(x), [w] "+r"(w), [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10),
        [a11] "+r"(a11), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
        [t4] "=&r"(t4), [t5] "=&r"(t5)
      : [stride] "r"(x_stride), [end] "r"(x_end)
      : "cc", "memory");
#else
  for (; x != x_end; x += 4, w += 4) {
    const int32_t xa = simd::load4(x);
    const int32_t xb = simd::load4(x + x_stride);
    const int32_t xa_even = simd::extend_even(xa);
    const int32_t xa_odd = simd::extend_odd(xa);
    const int32_t xb_even = simd::extend_even(xb);
    const int32_t xb_odd = simd::extend_odd(xb);
    a00 = simd::dot2_add(xa_even, w[0], a00);
    a00 = simd::dot2_add(xa_odd, w[1], a00);
    a10 = simd::dot2_add(xb_even, w[0], a10);
    a10 = simd::dot2_add(xb_odd, w[1], a10);
    a01 = simd::dot2_add(xa_even, w[2], a01);
    a01 = simd::dot2_add(xa_odd, w[3], a01);
    a11 = simd::dot2_add(xb_even, w[2], a11);
    a11 = simd::dot2_add(xb_odd, w[3], a11);
  }
#endif
  acc[0][0] = a00;
  acc[0][1] = a01;
  acc[1][0] = a10;
  acc[1][1] = a11;
}

// sum of w[i] · input_offset over depth: what the input offset adds to a dot product with w,
// modulo 2^32 as the accumulators.
int32_t offset_term(const int8_t* w, int32_t depth, int32_t input_offset) {
  // Four weights per step, summed by the dual multiply-accumulate against (1, 1).
  const int32_t ones = simd::splat16(1);
  int32_t sum = 0;
  int32_t i = 0;
  for (; i + 4 <= depth; i += 4) {
    const int32_t word = simd::load4(w + i);
    sum = simd::dot2_add(simd::extend_even(word), ones, sum);
    sum = simd::dot2_add(simd::extend_odd(word), ones, sum);
  }
  for (; i < depth; ++i) sum += w[i];
  return static_cast<int32_t>(static_cast<uint32_t>(sum) * static_cast<uint32_t>(input_offset));
}

// 1x1 filters: every output pixel reads one input row of `depth` bytes. Channel pairs outside,
// pixel pairs inside, so that each channel's rescaling is split once per op.
// kFast: the output stage's shortcut (output_stage_shortcut()). Not inlined, so that eval's
// instantiations do not each reserve the expanded weights.
template <bool kFast>
__attribute__((noinline)) void conv_pointwise(const Shape& s, const Output& out,
                                              const int8_t* input, const int8_t* filter) {
  const ConvOpData& d = *out.d;
  const ConvWindow& w = d.window;
  const int32_t pixels = s.batches * s.out_h * s.out_w;
  // Stride 1 without padding: output pixel p reads input row p.
  const bool dense = w.stride_height == 1 && w.stride_width == 1;
  auto row = [&](int32_t pixel) {
    if (dense) return input + pixel * s.depth;
    const int32_t x = pixel % s.out_w;
    const int32_t rest = pixel / s.out_w;
    const int32_t y = rest % s.out_h;
    const int32_t b = rest / s.out_h;
    return input + ((b * s.in_h + y * w.stride_height) * s.in_w + x * w.stride_width) * s.depth;
  };
  if (s.depth % 4 != 0) {
    // The general path handles the tail bytes.
    int32_t p = 0;
    for (; p + 2 <= pixels; p += 2) {
      conv_pixels(s, out, filter, row(p), row(p + 1), p, p + 1);
    }
    if (p < pixels) {
      conv_pixels(s, out, filter, row(p), nullptr, p, -1);
    }
    return;
  }
  const int32_t oc = s.out_depth;
  const bool expand = s.depth <= kMaxExpandedDepth;
  alignas(8) int32_t expanded[kMaxExpandedDepth];  // LDRD needs word alignment
  for (int32_t c = 0; c < oc; c += 2) {
    const bool two = c + 1 < oc;
    const int32_t c1 = two ? c + 1 : c;  // a lone last channel computes itself twice
    const Rescale r0 = rescale_of(d, c);
    const Rescale r1 = rescale_of(d, c1);
    const int8_t* w0 = filter + c * s.depth;
    const int32_t w_stride = (c1 - c) * s.depth;
    // Sum of (x + offset) · w = sum of x · w + offset · sum of w, the same modulo 2^32.
    int32_t terms[2];
    if (expand) {
      int32_t sums[2];
      expand_pair(w0, w0 + w_stride, s.depth, expanded, sums);
      for (int32_t k = 0; k < 2; ++k) {
        terms[k] = static_cast<int32_t>(static_cast<uint32_t>(sums[k]) *
                                        static_cast<uint32_t>(d.input_offset));
      }
    } else {
      terms[0] = offset_term(w0, s.depth, d.input_offset);
      terms[1] = offset_term(w0 + w_stride, s.depth, d.input_offset);
    }
    const int32_t b0 = static_cast<int32_t>(static_cast<uint32_t>(bias_of(out, c)) +
                                            static_cast<uint32_t>(terms[0]));
    const int32_t b1 = static_cast<int32_t>(static_cast<uint32_t>(bias_of(out, c1)) +
                                            static_cast<uint32_t>(terms[1]));
    int8_t* o = out.data + c;
    int32_t p = 0;
    for (; p + 2 <= pixels; p += 2) {
      const int8_t* x0 = row(p);
      int32_t acc[2][2] = {{b0, b1}, {b0, b1}};
      if (expand) {
        dot_2x2_expanded(x0, static_cast<int32_t>(row(p + 1) - x0), expanded, s.depth, acc);
      } else if (dense && two) {
        dot_2x2_blocks<true>(x0, 0, w0, w_stride, s.depth, acc);
      } else {
        dot_2x2_blocks<false>(x0, static_cast<int32_t>(row(p + 1) - x0), w0, w_stride, s.depth,
                              acc);
      }
      o[0] = to_int8<kFast, kFast>(acc[0][0], r0, d.output_offset, d.act_min, d.act_max);
      o[oc] = to_int8<kFast, kFast>(acc[1][0], r0, d.output_offset, d.act_min, d.act_max);
      if (two) {
        o[1] = to_int8<kFast, kFast>(acc[0][1], r1, d.output_offset, d.act_min, d.act_max);
        o[oc + 1] = to_int8<kFast, kFast>(acc[1][1], r1, d.output_offset, d.act_min, d.act_max);
      }
      o += 2 * oc;
    }
    if (p < pixels) {
      const int8_t* x0 = row(p);
      int32_t acc[2][2] = {{b0, b1}, {b0, b1}};
      if (expand) {
        dot_2x2_expanded(x0, 0, expanded, s.depth, acc);
      } else {
        dot_2x2_blocks<false>(x0, 0, w0, w_stride, s.depth, acc);
      }
      o[0] = to_int8<kFast, kFast>(acc[0][0], r0, d.output_offset, d.act_min, d.act_max);
      if (two) o[1] = to_int8<kFast, kFast>(acc[0][1], r1, d.output_offset, d.act_min, d.act_max);
    }
  }
}

// Taps a general window may have and still run here (the reference kernel takes larger ones).
constexpr int32_t kMaxTaps = 32;

// Any window. Channel pairs outside, so that their bias and rescaling are read once per op;
// inside, output pixels in pairs along each row where both see no padding, else alone with the
// taps in the padding skipped. kFast: the output stage's shortcut (output_stage_shortcut()).
template <bool kFast>
__attribute__((noinline)) void conv_general(const Shape& s, const Output& out, const int8_t* input,
                                            const int8_t* filter) {
  const ConvOpData& d = *out.d;
  const ConvWindow& w = d.window;
  const int32_t offsets = simd::splat16(d.input_offset);
  const int32_t taps = s.filter_h * s.filter_w;
  const int32_t weights_per_channel = taps * s.depth;
  // With undilated columns, a window row inside the input is one run of filter width · depth
  // bytes against the same run of weights: one dot product per row instead of one per tap, which
  // for the narrow depths of 1-D signal models (3 to 12 channels) is most of the work.
  const bool row_runs = w.dilation_width == 1;
  const int32_t row_run = s.filter_w * s.depth;
  const int8_t* rows0[kMaxTaps];
  const int8_t* rows1[kMaxTaps];
  // Fills `rows` with the input of each tap of output (b, y, x) (null in the padding) and
  // `run`, `runs` with how they are read; returns whether the window lies inside the input.
  auto gather = [&](int32_t b, int32_t y, int32_t x, const int8_t** rows, int32_t* runs,
                    int32_t* run) {
    const int32_t iy0 = y * w.stride_height - w.pad_height;
    const int32_t ix0 = x * w.stride_width - w.pad_width;
    bool inside = ix0 >= 0 && ix0 + (s.filter_w - 1) * w.dilation_width < s.in_w;
    for (int32_t fy = 0; fy < s.filter_h && inside; ++fy) {
      const int32_t iy = iy0 + fy * w.dilation_height;
      inside = iy >= 0 && iy < s.in_h;
    }
    if (inside && row_runs) {
      for (int32_t fy = 0; fy < s.filter_h; ++fy) {
        const int32_t iy = iy0 + fy * w.dilation_height;
        rows[fy] = input + ((b * s.in_h + iy) * s.in_w + ix0) * s.depth;
      }
      *runs = s.filter_h;
      *run = row_run;
      return true;
    }
    for (int32_t fy = 0; fy < s.filter_h; ++fy) {
      const int32_t iy = iy0 + fy * w.dilation_height;
      for (int32_t fx = 0; fx < s.filter_w; ++fx) {
        const int32_t ix = ix0 + fx * w.dilation_width;
        const bool in = iy >= 0 && iy < s.in_h && ix >= 0 && ix < s.in_w;
        rows[fy * s.filter_w + fx] =
            in ? input + ((b * s.in_h + iy) * s.in_w + ix) * s.depth : nullptr;
      }
    }
    *runs = taps;
    *run = s.depth;
    return inside;
  };
  for (int32_t c = 0; c < s.out_depth; c += 2) {
    const bool two = c + 1 < s.out_depth;
    const int8_t* w0 = filter + c * weights_per_channel;
    // A lone last channel runs against its own weights twice; only the first result is kept.
    const int8_t* w1 = two ? w0 + weights_per_channel : w0;
    const int32_t b0 = bias_of(out, c);
    const int32_t b1 = two ? bias_of(out, c + 1) : 0;
    const Rescale r0 = rescale_of(d, c);
    const Rescale r1 = rescale_of(d, two ? c + 1 : c);
    auto store2 = [&](int32_t pixel, const int32_t acc[2]) {
      int8_t* o = out.data + pixel * s.out_depth + c;
      o[0] = to_int8<kFast, kFast>(acc[0], r0, d.output_offset, d.act_min, d.act_max);
      if (two) o[1] = to_int8<kFast, kFast>(acc[1], r1, d.output_offset, d.act_min, d.act_max);
    };
    for (int32_t b = 0; b < s.batches; ++b) {
      for (int32_t y = 0; y < s.out_h; ++y) {
        const int32_t pixel0 = (b * s.out_h + y) * s.out_w;
        // Where every window row of this output row lies inside the input, the windows of
        // x in [x_lo, x_hi) do too: their row runs step by stride · depth, without gathering.
        // Byte offset of each window row's input at x = 0 (negative when padded on the left).
        int32_t row_base[kMaxTaps];
        int32_t x_lo = 0, x_hi = 0;
        if (row_runs) {
          const int32_t iy0 = y * w.stride_height - w.pad_height;
          bool rows_inside = true;
          for (int32_t fy = 0; fy < s.filter_h && rows_inside; ++fy) {
            const int32_t iy = iy0 + fy * w.dilation_height;
            rows_inside = iy >= 0 && iy < s.in_h;
            row_base[fy] = ((b * s.in_h + iy) * s.in_w - w.pad_width) * s.depth;
          }
          if (rows_inside && s.in_w + w.pad_width >= s.filter_w) {
            x_lo = (w.pad_width + w.stride_width - 1) / w.stride_width;
            x_hi = (s.in_w + w.pad_width - s.filter_w) / w.stride_width + 1;
            if (x_hi > s.out_w) x_hi = s.out_w;
          }
        }
        const int32_t step = w.stride_width * s.depth;
        int32_t x = 0;
        while (x < s.out_w) {
          if (x >= x_lo && x + 1 < x_hi) {
            int32_t acc[2][2] = {{b0, b1}, {b0, b1}};
            for (int32_t fy = 0; fy < s.filter_h; ++fy) {
              const int8_t* x0 = input + (row_base[fy] + x * step);
              dot_2x2(x0, x0 + step, w0 + fy * row_run, w1 + fy * row_run, row_run, d.input_offset,
                      offsets, acc);
            }
            store2(pixel0 + x, acc[0]);
            store2(pixel0 + x + 1, acc[1]);
            x += 2;
            continue;
          }
          int32_t runs0, run0, runs1, run1;
          const bool inside0 = gather(b, y, x, rows0, &runs0, &run0);
          int32_t acc[2][2] = {{b0, b1}, {b0, b1}};
          if (inside0 && x + 1 < s.out_w && gather(b, y, x + 1, rows1, &runs1, &run1)) {
            // Both windows inside: the same runs (row_runs decides for both).
            for (int32_t r = 0; r < runs0; ++r) {
              dot_2x2(rows0[r], rows1[r], w0 + r * run0, w1 + r * run0, run0, d.input_offset,
                      offsets, acc);
            }
            store2(pixel0 + x, acc[0]);
            store2(pixel0 + x + 1, acc[1]);
            x += 2;
            continue;
          }
          for (int32_t r = 0; r < runs0; ++r) {
            if (rows0[r] == nullptr) continue;
            dot_1x2(rows0[r], w0 + r * run0, w1 + r * run0, run0, d.input_offset, offsets, acc[0]);
          }
          store2(pixel0 + x, acc[0]);
          x += 1;
        }
      }
    }
  }
}

Status eval(EvalContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor output = ctx.output(0);
  const Shape s{input.dim(0),  input.dim(1),  input.dim(2),  input.dim(3), filter.dim(1),
                filter.dim(2), output.dim(1), output.dim(2), output.dim(3)};
  const bool grouped = filter.dim(3) != s.depth;
  // Sparse filters (runtime/kernels/internal/sparse_weights.h) run the reference kernel's
  // zero-skipping path.
  if (input.type != TensorType::INT8 || grouped || s.filter_h * s.filter_w > kMaxTaps ||
      is_sparse_input(ctx, kFilter)) {
    return kernels::conv_2d().eval(ctx);
  }
  const Output out{ctx.op_data<ConvOpData>(), ctx.input_data<int32_t>(kBias),
                   ctx.output_data<int8_t>(0)};
  const int8_t* in = ctx.input_data<int8_t>(kInput);
  const int8_t* weights = ctx.input_data<int8_t>(kFilter);
  const ConvWindow& w = out.d->window;
  // A 1x1 filter reads one input row per output pixel; with zero padding that row always exists.
  if (s.filter_h == 1 && s.filter_w == 1 && w.pad_height == 0 && w.pad_width == 0) {
    if (output_stage_shortcut(*out.d, s.out_depth)) {
      conv_pointwise<true>(s, out, in, weights);
    } else {
      conv_pointwise<false>(s, out, in, weights);
    }
  } else if (output_stage_shortcut(*out.d, s.out_depth)) {
    conv_general<true>(s, out, in, weights);
  } else {
    conv_general<false>(s, out, in, weights);
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& conv_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::CONV_2D, nullptr, 8, plan, init, eval};
  return kRegistration;
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
