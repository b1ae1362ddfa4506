// DEPTHWISE_CONV_2D, optimized for int8 on cores with the DSP extension (portable C elsewhere):
// four output channels per step, their inputs and weights loaded as one word each and expanded
// to 16-bit pairs, one 16x16 multiply-accumulate per channel and tap (channels do not sum
// together, so the dual multiply-accumulate does not apply). Two cases run here: depth
// multiplier 1 (output channel c reads input channel c) and a one-channel input (every output
// channel reads it, e.g. micro_speech's first layer); others, and float and 16x8, run the
// reference kernel (runtime/kernels/depthwise_conv_2d.cc), whose planning and op data these
// share, so the arena is the same to the byte.
#include <cstdint>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/internal/element_access.h"
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
  int32_t in_h, in_w, in_depth;
  int32_t filter_h, filter_w;
  int32_t out_h, out_w, out_depth;
};

Status plan(PlanContext& ctx) { return kernels::depthwise_conv_2d().plan(ctx); }
Status init(InitContext& ctx) { return kernels::depthwise_conv_2d().init(ctx); }

// The filter taps [lo, hi) along one axis that land inside an input of `size` for a window
// starting at `start`.
void valid_taps(int32_t start, int32_t taps, int32_t dilation, int32_t size, int32_t* lo,
                int32_t* hi) {
  *lo = 0;
  while (*lo < taps && start + *lo * dilation < 0) ++*lo;
  *hi = taps;
  while (*hi > *lo && start + (*hi - 1) * dilation >= size) --*hi;
}

// Where a window's taps are: the first tap's input and weights, and the steps between taps.
struct Taps {
  int32_t rows, cols;  // taps inside the input
  int32_t x_step;      // input bytes from one tap to the next along a row
  int32_t x_row_step;  // ... from one row of taps to the next
  int32_t w_step;      // weight bytes from one tap to the next (the output depth)
  int32_t w_row_step;  // ... from one row of taps to the next
};

// One row of taps, four output channels: a[k] += sum over `cols` taps of
// (x[j · x_step + k'] + input_offset) · w[j · w_step + k] (k' = k, or 0 for a one-channel
// input). The general form, for any steps.
template <bool kOneInput>
inline void row4(const int8_t* x, int32_t x_step, const int8_t* w, int32_t w_step, int32_t cols,
                 int32_t input_offset, int32_t offsets, int32_t a[4]) {
  for (int32_t j = 0; j < cols; ++j) {
    int32_t x_even, x_odd;
    if (kOneInput) {
      x_even = simd::splat16(*x + input_offset);
      x_odd = x_even;
    } else {
      const int32_t xw = simd::load4(x);
      x_even = simd::extend_even_add(offsets, xw);
      x_odd = simd::extend_odd_add(offsets, xw);
    }
    const int32_t ww = simd::load4(w);
    const int32_t w_even = simd::extend_even(ww);
    const int32_t w_odd = simd::extend_odd(ww);
    a[0] = simd::mul_add_lane0(x_even, w_even, a[0]);
    a[2] = simd::mul_add_lane1(x_even, w_even, a[2]);
    a[1] = simd::mul_add_lane0(x_odd, w_odd, a[1]);
    a[3] = simd::mul_add_lane1(x_odd, w_odd, a[3]);
    x += x_step;
    w += w_step;
  }
}

// row4 for depth multiplier 1 without dilation, where input and weights advance by the same
// step (the channel count): one register fewer, so that the loop keeps all in registers.
inline void row4_same_step(const int8_t* x, const int8_t* w, int32_t step, int32_t cols,
                           int32_t offsets, int32_t a[4]) {
#if MOTE_HAVE_DSP
  // GCC 12 spills from the C form; written out, 12 instructions per tap and 4 channels.
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  // The index runs from -cols · step up to 0 against pointers to the row's end, so that the
  // addition that advances it also ends the loop.
  int32_t i = -cols * step;
  x -= i;
  w -= i;
  int32_t t0, t1, t2, t3;
  __asm__ volatile(
      "1:\n\t"
      "ldr %[t0], [%[x], %[i]]\n\t"
      "ldr %[t1], [%[w], %[i]]\n\t"
      "sxtab16 %[t2], %[off], %[t0]\n\t"
      "sxtab16 %[t0], %[off], %[t0], ror #8\n\t"
      "sxtb16 %[t3], %[t1]\n\t"
      "sxtb16 %[t1], %[t1], ror #8\n\t"
      "smlabb %[a0], %[t2], %[t3], %[a0]\n\t"
      "smlatt %[a2], %[t2], %[t3], %[a2]\n\t"
      "smlabb %[a1], %[t0], %[t1], %[a1]\n\t"
      "smlatt %[a3], %[t0], %[t1], %[a3]\n\t"
      "adds %[i], %[i], %[step]\n\t"
      "bne 1b\n\t"
      : [i] "+r"(i), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [t0] "=&r"(t0),
        [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [x] "r"(x), [w] "r"(w), [step] "r"(step), [off] "r"(offsets)
      : "cc", "memory");
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
#else
  row4<false>(x, step, w, step, cols, 0, offsets, a);
#endif
}

// row4 for a one-channel input without dilation: consecutive taps are consecutive input bytes,
// so four taps load as one word, and each multiply picks its tap's lane (no splat per tap).
inline void row4_one_input(const int8_t* x, const int8_t* w, int32_t w_step, int32_t cols,
                           int32_t input_offset, int32_t offsets, int32_t a[4]) {
  int32_t blocks = cols / 4;
  if (blocks > 0) {
#if MOTE_HAVE_DSP
    int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    int32_t xe, xo, we, wo;
    __asm__ volatile(
        "1:\n\t"
        "ldr %[xe], [%[x]], #4\n\t"
        "ldr %[we], [%[w]]\n\t"
        "add %[w], %[w], %[step]\n\t"
        "sxtab16 %[xo], %[off], %[xe], ror #8\n\t"
        "sxtab16 %[xe], %[off], %[xe]\n\t"
        "sxtb16 %[wo], %[we], ror #8\n\t"
        "sxtb16 %[we], %[we]\n\t"
        "smlabb %[a0], %[xe], %[we], %[a0]\n\t"
        "smlabt %[a2], %[xe], %[we], %[a2]\n\t"
        "smlabb %[a1], %[xe], %[wo], %[a1]\n\t"
        "smlabt %[a3], %[xe], %[wo], %[a3]\n\t"
        "ldr %[we], [%[w]]\n\t"
        "add %[w], %[w], %[step]\n\t"
        "sxtb16 %[wo], %[we], ror #8\n\t"
        "sxtb16 %[we], %[we]\n\t"
        "smlabb %[a0], %[xo], %[we], %[a0]\n\t"
        "smlabt %[a2], %[xo], %[we], %[a2]\n\t"
        "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"
        "smlabt %[a3], %[xo], %[wo], %[a3]\n\t"
        "ldr %[we], [%[w]]\n\t"
        "add %[w], %[w], %[step]\n\t"
        "sxtb16 %[wo], %[we], ror #8\n\t"
        "sxtb16 %[we], %[we]\n\t"
        "smlatb %[a0], %[xe], %[we], %[a0]\n\t"
        "smlatt %[a2], %[xe], %[we], %[a2]\n\t"
        "smlatb %[a1], %[xe], %[wo], %[a1]\n\t"
        "smlatt %[a3], %[xe], %[wo], %[a3]\n\t"
        "ldr %[we], [%[w]]\n\t"
        "add %[w], %[w], %[step]\n\t"
        "sxtb16 %[wo], %[we], ror #8\n\t"
        "sxtb16 %[we], %[we]\n\t"
        "smlatb %[a0], %[xo], %[we], %[a0]\n\t"
        "smlatt %[a2], %[xo], %[we], %[a2]\n\t"
        "smlatb %[a1], %[xo], %[wo], %[a1]\n\t"
        "smlatt %[a3], %[xo], %[wo], %[a3]\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [x] "+r"(x), [w] "+r"(w), [n] "+r"(blocks), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2),
          [a3] "+r"(a3), [xe] "=&r"(xe), [xo] "=&r"(xo), [we] "=&r"(we), [wo] "=&r"(wo)
        : [step] "r"(w_step), [off] "r"(offsets)
        : "cc", "memory");
    a[0] = a0;
    a[1] = a1;
    a[2] = a2;
    a[3] = a3;
#else
    // The same arithmetic: (x0, x2) and (x1, x3) with the offset, each tap's lane picked.
    for (; blocks > 0; --blocks) {
      const int32_t xw = simd::load4(x);
      const int32_t pairs[2] = {simd::extend_even_add(offsets, xw),
                                simd::extend_odd_add(offsets, xw)};
      for (int32_t k = 0; k < 4; ++k) {
        const int32_t xk = simd::splat16(simd::lane16(pairs[k % 2], k / 2));
        const int32_t ww = simd::load4(w);
        const int32_t w_even = simd::extend_even(ww);
        const int32_t w_odd = simd::extend_odd(ww);
        a[0] = simd::mul_add_lane0(xk, w_even, a[0]);
        a[2] = simd::mul_add_lane1(xk, w_even, a[2]);
        a[1] = simd::mul_add_lane0(xk, w_odd, a[1]);
        a[3] = simd::mul_add_lane1(xk, w_odd, a[3]);
        w += w_step;
      }
      x += 4;
    }
#endif
  }
  row4<true>(x, 1, w, w_step, cols % 4, input_offset, offsets, a);
}

#if MOTE_HAVE_DSP
// One tap of four channels in row4_same_step's instructions, loading input and weights at the
// given addressing expressions.
#define MOTE_DW_TAP(X_ADDR, W_ADDR)          \
  "ldr %[t0], " X_ADDR                       \
  "\n\t"                                     \
  "ldr %[t1], " W_ADDR                       \
  "\n\t"                                     \
  "sxtab16 %[t2], %[off], %[t0]\n\t"         \
  "sxtab16 %[t0], %[off], %[t0], ror #8\n\t" \
  "sxtb16 %[t3], %[t1]\n\t"                  \
  "sxtb16 %[t1], %[t1], ror #8\n\t"          \
  "smlabb %[a0], %[t2], %[t3], %[a0]\n\t"    \
  "smlatt %[a2], %[t2], %[t3], %[a2]\n\t"    \
  "smlabb %[a1], %[t0], %[t1], %[a1]\n\t"    \
  "smlatt %[a3], %[t0], %[t1], %[a3]\n\t"

// Depth multiplier 1, no dilation, a window three taps wide wholly inside the input (MobileNet's
// 3x3 depthwise layers away from the left and right edges): every row of taps straight-line, the
// rows looped, 12 instructions per tap and 4 channels with no per-row call. x, w: the first
// tap's input and weights; step: channels; x_row_step: input bytes from row to row.
__attribute__((noinline)) void accumulate4_3wide(const int8_t* x, const int8_t* w, int32_t step,
                                                 int32_t x_row_step, int32_t rows, int32_t offsets,
                                                 int32_t a[4]) {
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  // After the third tap x has moved two steps; the next row starts x_row_step after the first.
  // (Read from memory once per row: the loop has no register left for it.)
  const int32_t x_advance = x_row_step - 2 * step;
  int32_t t0, t1, t2, t3;
  __asm__ volatile(
      "1:\n\t"                                           //
      MOTE_DW_TAP("[%[x]]", "[%[w]]")                    //
      MOTE_DW_TAP("[%[x], %[step]]", "[%[w], %[step]]")  //
      "add %[x], %[x], %[step], lsl #1\n\t"              //
      "add %[w], %[w], %[step], lsl #1\n\t"              //
      MOTE_DW_TAP("[%[x]]", "[%[w]]")                    //
      "ldr %[t0], %[adv]\n\t"                            //
      "add %[x], %[x], %[t0]\n\t"                        //
      "add %[w], %[w], %[step]\n\t"                      //
      "subs %[rows], %[rows], #1\n\t"                    //
      "bne 1b\n\t"
      : [x] "+r"(x), [w] "+r"(w), [rows] "+r"(rows), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2),
        [a3] "+r"(a3), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [step] "r"(step), [adv] "m"(x_advance), [off] "r"(offsets)
      : "cc", "memory");
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
}
#undef MOTE_DW_TAP

// One tap of four channels with weights pre-expanded to 16-bit pairs (expand_taps): 8
// instructions.
#define MOTE_DW_TAPX(X_ADDR)                 \
  "ldr %[t0], " X_ADDR                       \
  "\n\t"                                     \
  "ldrd %[t1], %[t3], [%[w]], #8\n\t"        \
  "sxtab16 %[t2], %[off], %[t0]\n\t"         \
  "sxtab16 %[t0], %[off], %[t0], ror #8\n\t" \
  "smlabb %[a0], %[t2], %[t1], %[a0]\n\t"    \
  "smlatt %[a2], %[t2], %[t1], %[a2]\n\t"    \
  "smlabb %[a1], %[t0], %[t3], %[a1]\n\t"    \
  "smlatt %[a3], %[t0], %[t3], %[a3]\n\t"

// accumulate4_3wide with the weights already expanded (w: the window's first tap in
// expand_taps' layout, rows of three taps following one another). With 13 registers it
// inlines (the others do not fit inline), which saves the call at every pixel.
inline __attribute__((always_inline)) void accumulate4_3wide_expanded(
    const int8_t* x, const int32_t* w, int32_t step, int32_t x_row_step, int32_t rows,
    int32_t offsets, int32_t a[4]) {
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  int32_t t0, t1, t2, t3;
  __asm__ volatile(
      "1:\n\t"                                 //
      MOTE_DW_TAPX("[%[x]]")                   //
      MOTE_DW_TAPX("[%[x], %[step]]")          //
      MOTE_DW_TAPX("[%[x], %[step], lsl #1]")  //
      "ldr %[t0], %[xrow]\n\t"                 //
      "add %[x], %[x], %[t0]\n\t"              //
      "subs %[rows], %[rows], #1\n\t"          //
      "bne 1b\n\t"
      : [x] "+r"(x), [w] "+r"(w), [rows] "+r"(rows), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2),
        [a3] "+r"(a3), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [step] "r"(step), [xrow] "m"(x_row_step), [off] "r"(offsets)
      : "cc", "memory");
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
}
#undef MOTE_DW_TAPX

// One tap of four channels reading a one-channel input: the input byte plus its offset sits in
// the bottom lane, which SMLABB / SMLABT multiply by each channel's weight (no splat needed).
#define MOTE_DW_TAP1(X_ADDR, W_ADDR)      \
  "ldrsb %[t0], " X_ADDR                  \
  "\n\t"                                  \
  "ldr %[t1], " W_ADDR                    \
  "\n\t"                                  \
  "add %[t0], %[t0], %[ioff]\n\t"         \
  "sxtb16 %[t2], %[t1]\n\t"               \
  "sxtb16 %[t1], %[t1], ror #8\n\t"       \
  "smlabb %[a0], %[t0], %[t2], %[a0]\n\t" \
  "smlabt %[a2], %[t0], %[t2], %[a2]\n\t" \
  "smlabb %[a1], %[t0], %[t1], %[a1]\n\t" \
  "smlabt %[a3], %[t0], %[t1], %[a3]\n\t"

// accumulate4_3wide for a one-channel input (person_detect's first layer): nine instructions
// per tap and 4 channels.
__attribute__((noinline)) void accumulate4_3wide_one_input(const int8_t* x, const int8_t* w,
                                                           int32_t step, int32_t x_row_step,
                                                           int32_t rows, int32_t input_offset,
                                                           int32_t a[4]) {
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  int32_t t0, t1, t2;
  __asm__ volatile("1:\n\t"                                       //
                   MOTE_DW_TAP1("[%[x]]", "[%[w]]")               //
                   MOTE_DW_TAP1("[%[x], #1]", "[%[w], %[step]]")  //
                   "add %[w], %[w], %[step], lsl #1\n\t"          //
                   MOTE_DW_TAP1("[%[x], #2]", "[%[w]]")           //
                   "add %[x], %[x], %[xrow]\n\t"                  //
                   "add %[w], %[w], %[step]\n\t"                  //
                   "subs %[rows], %[rows], #1\n\t"                //
                   "bne 1b\n\t"
                   : [x] "+r"(x), [w] "+r"(w), [rows] "+r"(rows), [a0] "+r"(a0), [a1] "+r"(a1),
                     [a2] "+r"(a2), [a3] "+r"(a3), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2)
                   : [step] "r"(step), [xrow] "r"(x_row_step), [ioff] "r"(input_offset)
                   : "cc", "memory");
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
}
#undef MOTE_DW_TAP1

// One tap of four channels of a one-channel input with weights from expand_taps: 6
// instructions.
#define MOTE_DW_TAP1X(X_ADDR)             \
  "ldrsb %[t0], " X_ADDR                  \
  "\n\t"                                  \
  "ldrd %[t1], %[t2], [%[w]], #8\n\t"     \
  "add %[t0], %[t0], %[ioff]\n\t"         \
  "smlabb %[a0], %[t0], %[t1], %[a0]\n\t" \
  "smlabt %[a2], %[t0], %[t1], %[a2]\n\t" \
  "smlabb %[a1], %[t0], %[t2], %[a1]\n\t" \
  "smlabt %[a3], %[t0], %[t2], %[a3]\n\t"

// accumulate4_3wide_one_input with the weights already expanded; few enough registers to
// inline.
inline __attribute__((always_inline)) void accumulate4_3wide_one_input_expanded(
    const int8_t* x, const int32_t* w, int32_t x_row_step, int32_t rows, int32_t input_offset,
    int32_t a[4]) {
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  int32_t t0, t1, t2;
  __asm__ volatile("1:\n\t"                         //
                   MOTE_DW_TAP1X("[%[x]]")          //
                   MOTE_DW_TAP1X("[%[x], #1]")      //
                   MOTE_DW_TAP1X("[%[x], #2]")      //
                   "add %[x], %[x], %[xrow]\n\t"    //
                   "subs %[rows], %[rows], #1\n\t"  //
                   "bne 1b\n\t"
                   : [x] "+r"(x), [w] "+r"(w), [rows] "+r"(rows), [a0] "+r"(a0), [a1] "+r"(a1),
                     [a2] "+r"(a2), [a3] "+r"(a3), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2)
                   : [xrow] "r"(x_row_step), [ioff] "r"(input_offset)
                   : "cc", "memory");
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
}
#undef MOTE_DW_TAP1X

// Whether accumulate4_3wide (or its one-channel form) applies to the op's windows that keep all
// three columns.
inline bool three_wide_layout(const Taps& t, bool one_input, int32_t filter_w) {
  return filter_w == 3 && t.x_step == (one_input ? 1 : t.w_step) && t.w_row_step == 3 * t.w_step;
}
#else
inline bool three_wide_layout(const Taps&, bool, int32_t) { return false; }
// Never called without the DSP extension (three_wide is false there).
inline void accumulate4_3wide(const int8_t*, const int8_t*, int32_t, int32_t, int32_t, int32_t,
                              int32_t*) {}
inline void accumulate4_3wide_one_input(const int8_t*, const int8_t*, int32_t, int32_t, int32_t,
                                        int32_t, int32_t*) {}
inline void accumulate4_3wide_one_input_expanded(const int8_t*, const int32_t*, int32_t, int32_t,
                                                 int32_t, int32_t*) {}
inline void accumulate4_3wide_expanded(const int8_t*, const int32_t*, int32_t, int32_t, int32_t,
                                       int32_t, int32_t*) {}
#endif

// acc[k] += the window's sum for output channels c + k, k < 4, given the first tap's input and
// weights for channel c. kOneInput: every channel reads the input's one channel. Not inlined:
// the written-out loops need 13 registers, which only a small function leaves free.
template <bool kOneInput>
__attribute__((noinline)) void accumulate4(const Taps& t, const int8_t* x_row, const int8_t* w_row,
                                           int32_t input_offset, int32_t offsets, int32_t acc[4]) {
  const bool dense = t.x_step == (kOneInput ? 1 : t.w_step);
  for (int32_t r = t.rows; r > 0; --r) {
    if (!dense) {
      row4<kOneInput>(x_row, t.x_step, w_row, t.w_step, t.cols, input_offset, offsets, acc);
    } else if (kOneInput) {
      row4_one_input(x_row, w_row, t.w_step, t.cols, input_offset, offsets, acc);
    } else {
      row4_same_step(x_row, w_row, t.w_step, t.cols, offsets, acc);
    }
    x_row += t.x_row_step;
    w_row += t.w_row_step;
  }
}

// One output channel's window sum, added to acc.
template <bool kOneInput>
inline int32_t accumulate1(const Taps& t, const int8_t* x_row, const int8_t* w_row,
                           int32_t input_offset, int32_t acc) {
  for (int32_t r = t.rows; r > 0; --r) {
    for (int32_t k = 0; k < t.cols; ++k) {
      acc = simd::mac(acc, x_row[k * t.x_step] + input_offset, w_row[k * t.w_step]);
    }
    x_row += t.x_row_step;
    w_row += t.w_row_step;
  }
  return acc;
}

// Filters of at most this many taps have a channel group's weights expanded once per op.
constexpr int32_t kMaxExpandedTaps = 32;

// The weights of channels c..c+3 for every tap, as the 16-bit pairs (c, c+2), (c+1, c+3) that
// the tap loops would otherwise extract at every output pixel.
void expand_taps(const int8_t* filter, int32_t taps, int32_t channels, int32_t c, int32_t* out) {
  for (int32_t t = 0; t < taps; ++t) {
    const int32_t word = simd::load4(filter + t * channels + c);
    out[2 * t] = simd::extend_even(word);
    out[2 * t + 1] = simd::extend_odd(word);
  }
}

// kOneInput: the input has one channel that every output channel reads; otherwise output
// channel c reads input channel c. Four channels at a time over every pixel, so that their
// rescaling is split and their biases read once per op.
// Not inlined: inside eval, GCC allocates the loop's registers worse (+4 % instructions on
// person_detect).
template <bool kOneInput, bool kFast>
__attribute__((noinline)) void depthwise(const ConvOpData& d, const Shape& s, const int8_t* input,
                                         const int8_t* filter, const int32_t* bias,
                                         int8_t* output) {
  const ConvWindow& w = d.window;
  const int32_t offsets = simd::splat16(d.input_offset);
  const int32_t* multipliers = conv_multipliers(&d);
  const int8_t* shifts = conv_shifts(&d);
  const int32_t oc = s.out_depth;
  const int32_t output_offset = d.output_offset;
  const int32_t act_min = d.act_min;
  const int32_t act_max = d.act_max;
  Taps t;
  t.x_step = w.dilation_width * s.in_depth;
  t.x_row_step = w.dilation_height * s.in_w * s.in_depth;
  t.w_step = oc;
  t.w_row_step = s.filter_w * oc;
  for (int32_t c = 0; c < oc; c += 4) {
    // The last group may hold fewer than four channels; it runs the one-channel loop.
    const int32_t group = oc - c < 4 ? oc - c : 4;
    Rescale rescales[4];
    int32_t biases[4] = {0, 0, 0, 0};
    const int32_t taps = s.filter_h * s.filter_w;
    alignas(8) int32_t expanded[2 * kMaxExpandedTaps];  // LDRD needs word alignment
    const bool use_expanded = MOTE_HAVE_DSP && group == 4 && taps <= kMaxExpandedTaps;
    if (use_expanded) expand_taps(filter, taps, oc, c, expanded);
    for (int32_t k = 0; k < group; ++k) {
      rescales[k] = make_rescale(multipliers[c + k], shifts[c + k]);
      if (bias != nullptr) biases[k] = load_unaligned<int32_t>(bias, c + k);
    }
    const int8_t* x_base = kOneInput ? input : input + c;
    // A window starting at ix0 lies inside the input's width when ix0 >= 0 and
    // ix0 + x_extent <= in_w; whether whole rows of three taps may run straight-line.
    const int32_t x_extent = (s.filter_w - 1) * w.dilation_width + 1;
    const bool wide3 = group == 4 && three_wide_layout(t, kOneInput, s.filter_w);
    int8_t* out = output + c;
    for (int32_t b = 0; b < s.batches; ++b) {
      for (int32_t y = 0; y < s.out_h; ++y) {
        const int32_t iy0 = y * w.stride_height - w.pad_height;
        int32_t fy_lo, fy_hi;
        valid_taps(iy0, s.filter_h, w.dilation_height, s.in_h, &fy_lo, &fy_hi);
        t.rows = fy_hi - fy_lo;
        const int8_t* x_rows =
            x_base + ((b * s.in_h + iy0 + fy_lo * w.dilation_height) * s.in_w) * s.in_depth;
        for (int32_t x = 0; x < s.out_w; ++x, out += oc) {
          const int32_t ix0 = x * w.stride_width - w.pad_width;
          int32_t fx_lo = 0, fx_hi = s.filter_w;
          if (ix0 < 0 || ix0 + x_extent > s.in_w) {
            valid_taps(ix0, s.filter_w, w.dilation_width, s.in_w, &fx_lo, &fx_hi);
          }
          t.cols = fx_hi - fx_lo;
          int32_t acc[4] = {biases[0], biases[1], biases[2], biases[3]};
          if (t.rows > 0 && t.cols > 0) {
            const int8_t* corner = x_rows + (ix0 + fx_lo * w.dilation_width) * s.in_depth;
            const int8_t* w_corner = filter + (fy_lo * s.filter_w + fx_lo) * oc + c;
            if (wide3 && t.cols == 3) {
              if (kOneInput && use_expanded) {
                accumulate4_3wide_one_input_expanded(corner,
                                                     expanded + 2 * (fy_lo * s.filter_w + fx_lo),
                                                     t.x_row_step, t.rows, d.input_offset, acc);
              } else if (kOneInput) {
                accumulate4_3wide_one_input(corner, w_corner, t.w_step, t.x_row_step, t.rows,
                                            d.input_offset, acc);
              } else if (use_expanded) {
                accumulate4_3wide_expanded(corner, expanded + 2 * (fy_lo * s.filter_w + fx_lo),
                                           t.w_step, t.x_row_step, t.rows, offsets, acc);
              } else {
                accumulate4_3wide(corner, w_corner, t.w_step, t.x_row_step, t.rows, offsets, acc);
              }
            } else if (group == 4) {
              accumulate4<kOneInput>(t, corner, w_corner, d.input_offset, offsets, acc);
            } else {
              for (int32_t k = 0; k < group; ++k) {
                acc[k] = accumulate1<kOneInput>(t, kOneInput ? corner : corner + k, w_corner + k,
                                                d.input_offset, acc[k]);
              }
            }
          }
          if (group == 4) {
            out[0] = to_int8<kFast, kFast>(acc[0], rescales[0], output_offset, act_min, act_max);
            out[1] = to_int8<kFast, kFast>(acc[1], rescales[1], output_offset, act_min, act_max);
            out[2] = to_int8<kFast, kFast>(acc[2], rescales[2], output_offset, act_min, act_max);
            out[3] = to_int8<kFast, kFast>(acc[3], rescales[3], output_offset, act_min, act_max);
          } else {
            for (int32_t k = 0; k < group; ++k) {
              out[k] = to_int8<kFast, kFast>(acc[k], rescales[k], output_offset, act_min, act_max);
            }
          }
        }
      }
    }
  }
}

// depthwise with the output stage's shortcut (output_stage_shortcut()) chosen once per op.
template <bool kOneInput>
void run_depthwise(const ConvOpData& d, const Shape& s, const int8_t* input, const int8_t* filter,
                   const int32_t* bias, int8_t* output) {
  if (output_stage_shortcut(d, s.out_depth)) {
    depthwise<kOneInput, true>(d, s, input, filter, bias, output);
  } else {
    depthwise<kOneInput, false>(d, s, input, filter, bias, output);
  }
}

Status eval(EvalContext& ctx) {
  const ConvOpData& d = *ctx.op_data<ConvOpData>();
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor output = ctx.output(0);
  const Shape s{input.dim(0),  input.dim(1),  input.dim(2),  input.dim(3), filter.dim(1),
                filter.dim(2), output.dim(1), output.dim(2), output.dim(3)};
  if (input.type != TensorType::INT8) return kernels::depthwise_conv_2d().eval(ctx);
  const int8_t* in = ctx.input_data<int8_t>(kInput);
  const int8_t* weights = ctx.input_data<int8_t>(kFilter);
  const int32_t* bias = ctx.input_data<int32_t>(kBias);
  int8_t* out = ctx.output_data<int8_t>(0);
  if (d.depth_multiplier == 1) {
    run_depthwise<false>(d, s, in, weights, bias, out);
  } else if (s.in_depth == 1) {
    run_depthwise<true>(d, s, in, weights, bias, out);
  } else {
    return kernels::depthwise_conv_2d().eval(ctx);
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& depthwise_conv_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::DEPTHWISE_CONV_2D, nullptr, 7, plan, init, eval};
  return kRegistration;
}

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
