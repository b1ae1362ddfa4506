// CONV_2D, optimized for int8 on cores with the DSP extension (portable C elsewhere): two output
// pixels by two output channels per inner loop, inputs and weights expanded to 16-bit pairs on
// the fly (int8_dot.h) so that no scratch buffer is needed and the arena is the reference
// kernel's to the byte. Planning, checks and op data are the reference kernel's own
// (runtime/kernels/conv_2d.cc); float, 16x8 and grouped convolutions run the reference code.
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

// Every channel of output pixels p0 and p1 (p1 < 0: p0 alone) for a filter of taps that read
// depth-long rows: x0[t] and x1[t] are the input rows of tap t, or null where the tap lies in
// the padding; tap t's weights start t · depth into each channel's weights.
void conv_pixels(const Shape& s, const Output& out, const int8_t* filter, int32_t taps,
                 const int8_t* const* x0, const int8_t* const* x1, int32_t p0, int32_t p1) {
  const ConvOpData& d = *out.d;
  const int32_t offsets = simd::splat16(d.input_offset);
  const int32_t weights_per_channel = s.filter_h * s.filter_w * s.depth;
  int32_t c = 0;
  for (; c < s.out_depth; c += 2) {
    const bool two = c + 1 < s.out_depth;
    const int8_t* w0 = filter + c * weights_per_channel;
    // A lone last channel runs against its own row twice; only the first result is kept.
    const int8_t* w1 = two ? w0 + weights_per_channel : w0;
    int32_t acc[2][2] = {{bias_of(out, c), two ? bias_of(out, c + 1) : 0},
                         {bias_of(out, c), two ? bias_of(out, c + 1) : 0}};
    if (p1 >= 0) {
      for (int32_t t = 0; t < taps; ++t) {
        dot_2x2(x0[t], x1[t], w0 + t * s.depth, w1 + t * s.depth, s.depth, d.input_offset, offsets,
                acc);
      }
    } else {
      for (int32_t t = 0; t < taps; ++t) {
        if (x0[t] == nullptr) continue;
        dot_1x2(x0[t], w0 + t * s.depth, w1 + t * s.depth, s.depth, d.input_offset, offsets,
                acc[0]);
      }
    }
    store(out, s.out_depth, p0, c, acc[0], two);
    if (p1 >= 0) store(out, s.out_depth, p1, c, acc[1], two);
  }
}

// 1x1 filters: every output pixel reads one input row of `depth` bytes.
void conv_pointwise(const Shape& s, const Output& out, const int8_t* input, const int8_t* filter) {
  const ConvWindow& w = out.d->window;
  const int32_t pixels = s.batches * s.out_h * s.out_w;
  auto row = [&](int32_t pixel) {
    const int32_t x = pixel % s.out_w;
    const int32_t rest = pixel / s.out_w;
    const int32_t y = rest % s.out_h;
    const int32_t b = rest / s.out_h;
    const int32_t iy = y * w.stride_height - w.pad_height;
    const int32_t ix = x * w.stride_width - w.pad_width;
    return input + ((b * s.in_h + iy) * s.in_w + ix) * s.depth;
  };
  int32_t p = 0;
  for (; p + 2 <= pixels; p += 2) {
    const int8_t* x0 = row(p);
    const int8_t* x1 = row(p + 1);
    conv_pixels(s, out, filter, 1, &x0, &x1, p, p + 1);
  }
  if (p < pixels) {
    const int8_t* x0 = row(p);
    conv_pixels(s, out, filter, 1, &x0, nullptr, p, -1);
  }
}

// Taps a general window may have and still run here (the reference kernel takes larger ones).
constexpr int32_t kMaxTaps = 32;

// Any window: output pixels in pairs along each row where both see no padding, else alone with
// the taps in the padding skipped.
void conv_general(const Shape& s, const Output& out, const int8_t* input, const int8_t* filter) {
  const ConvWindow& w = out.d->window;
  const int32_t taps = s.filter_h * s.filter_w;
  const int8_t* rows0[kMaxTaps];
  const int8_t* rows1[kMaxTaps];
  // Fills `rows` for output (b, y, x); returns whether every tap lies inside the input.
  auto gather = [&](int32_t b, int32_t y, int32_t x, const int8_t** rows) {
    bool inside = true;
    const int32_t iy0 = y * w.stride_height - w.pad_height;
    const int32_t ix0 = x * w.stride_width - w.pad_width;
    for (int32_t fy = 0; fy < s.filter_h; ++fy) {
      const int32_t iy = iy0 + fy * w.dilation_height;
      for (int32_t fx = 0; fx < s.filter_w; ++fx) {
        const int32_t ix = ix0 + fx * w.dilation_width;
        const bool in = iy >= 0 && iy < s.in_h && ix >= 0 && ix < s.in_w;
        rows[fy * s.filter_w + fx] =
            in ? input + ((b * s.in_h + iy) * s.in_w + ix) * s.depth : nullptr;
        inside = inside && in;
      }
    }
    return inside;
  };
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t y = 0; y < s.out_h; ++y) {
      const int32_t pixel0 = (b * s.out_h + y) * s.out_w;
      int32_t x = 0;
      while (x < s.out_w) {
        const bool inside0 = gather(b, y, x, rows0);
        if (inside0 && x + 1 < s.out_w && gather(b, y, x + 1, rows1)) {
          conv_pixels(s, out, filter, taps, rows0, rows1, pixel0 + x, pixel0 + x + 1);
          x += 2;
        } else {
          conv_pixels(s, out, filter, taps, rows0, nullptr, pixel0 + x, -1);
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
  if (input.type != TensorType::INT8 || grouped || s.filter_h * s.filter_w > kMaxTaps) {
    return kernels::conv_2d().eval(ctx);
  }
  const Output out{ctx.op_data<ConvOpData>(), ctx.input_data<int32_t>(kBias),
                   ctx.output_data<int8_t>(0)};
  const int8_t* in = ctx.input_data<int8_t>(kInput);
  const int8_t* weights = ctx.input_data<int8_t>(kFilter);
  const ConvWindow& w = out.d->window;
  // A 1x1 filter reads one input row per output pixel; with zero padding that row always exists.
  if (s.filter_h == 1 && s.filter_w == 1 && w.pad_height == 0 && w.pad_width == 0) {
    conv_pointwise(s, out, in, weights);
  } else {
    conv_general(s, out, in, weights);
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
