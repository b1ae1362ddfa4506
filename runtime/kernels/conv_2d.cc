// CONV_2D: output[b, y, x, o] = act(bias[o] + sum over (ky, kx, i) of
//   input[b, y·sh − ph + ky·dh, x·sw − pw + kx·dw, g·D + i] · filter[o, ky, kx, i]),
// where D = filter depth and g = o / (output depth / groups) for grouped convolution (input depth
// = D × groups); taps outside the input count as zero. float32; int8 (int8 weights per tensor or
// per channel, int32 bias); 16x8 (int16 activations, int8 weights, int64 bias with 64-bit
// accumulation, or int32 bias / no bias with 32-bit accumulation, as TFLM chooses). Integer
// arithmetic follows TFLM's reference ConvPerChannel. Sparse int8 filters (TFLite sparsity in row
// form: one compressed row of input channels per (out_c, ky, kx) tap) run a path that skips the
// zeros and gives the dense path's bytes.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/internal/sparse_weights.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kFilter = 1;
constexpr int kBias = 2;
constexpr int32_t kChannelDim = 0;  // filter [out_c, kh, kw, in_c] is quantized per out_c

struct Shape {
  int32_t batches;
  int32_t in_h, in_w, in_depth;
  int32_t filter_h, filter_w, filter_depth;
  int32_t out_h, out_w, out_depth;
};

Shape shape_of(const Tensor& input, const Tensor& filter, const Tensor& output) {
  return {input.dim(0),  input.dim(1),  input.dim(2),  input.dim(3),  filter.dim(1),
          filter.dim(2), filter.dim(3), output.dim(1), output.dim(2), output.dim(3)};
}

Activation activation_of(const OpContext& ctx) {
  return ctx.options<tflite::Conv2DOptions>()->fused_activation_function();
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 3, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor bias = ctx.input(kBias);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, filter, "weights"));
  const auto* options = ctx.options<tflite::Conv2DOptions>();
  if (options == nullptr) return ctx.fail(Status::kInvalidModel, "has no Conv2DOptions");
  const Activation activation = options->fused_activation_function();
  MOTE_RETURN_IF_ERROR(check_activation(ctx, activation));

  MOTE_RETURN_IF_ERROR(check_rank(ctx, input, 4, "input"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, filter, 4, "weights"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, output, 4, "output"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, filter, "weights"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, output, "output"));
  const Shape s = shape_of(input, filter, output);
  if (output.dim(0) != s.batches) {
    return ctx.fail(Status::kInvalidModel, "input has %d batches but output has %d", s.batches,
                    output.dim(0));
  }
  if (filter.dim(0) != s.out_depth) {
    return ctx.fail(Status::kInvalidModel, "weights have %d output channels but output has %d",
                    filter.dim(0), s.out_depth);
  }
  // Grouped convolution: the input's channels split into groups of the filter's depth, and the
  // output channels into as many equal groups.
  if (s.in_depth % s.filter_depth != 0) {
    return ctx.fail(Status::kInvalidModel,
                    "input has %d channels, not a multiple of the weights' depth %d", s.in_depth,
                    s.filter_depth);
  }
  const int32_t groups = s.in_depth / s.filter_depth;
  if (s.out_depth % groups != 0) {
    return ctx.fail(Status::kInvalidModel,
                    "%d output channels do not split into the %d groups of the input (%d / %d)",
                    s.out_depth, groups, s.in_depth, s.filter_depth);
  }
  const WindowSpec spec{options->padding(), options->stride_h(), options->stride_w(),
                        options->dilation_h_factor(), options->dilation_w_factor()};
  ConvWindow window;
  MOTE_RETURN_IF_ERROR(plan_window(ctx, spec, s.in_h, s.in_w, "input", s.filter_h, s.filter_w,
                                   s.out_h, s.out_w, "output", &window));
  const auto channels = static_cast<uint32_t>(s.out_depth);
  if (bias.present()) MOTE_RETURN_IF_ERROR(check_conv_bias(ctx, bias, channels));

  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  switch (input.type) {
    case TensorType::FLOAT32:
      MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::FLOAT32, "weights"));
      if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::FLOAT32, "bias"));
      ctx.set_op_data_bytes(conv_op_data_bytes(0));
      return Status::kOk;
    case TensorType::INT8:
      MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::INT8, "weights"));
      if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT32, "bias"));
      MOTE_RETURN_IF_ERROR(check_conv_quantization(ctx, input, filter, output, channels,
                                                   kChannelDim, activation, 30));
      break;
    case TensorType::INT16: {
      MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::INT8, "weights"));
      // TFLM accumulates in 64 bits only when the bias is int64; without a bias, or with an
      // int32 one, it accumulates and rescales in 32 bits.
      const bool wide = bias.present() && bias.type == TensorType::INT64;
      if (bias.present() && !wide) {
        MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT32, "bias"));
      }
      MOTE_RETURN_IF_ERROR(check_conv_quantization(ctx, input, filter, output, channels,
                                                   kChannelDim, activation, wide ? 7 : 30));
      if (wide) MOTE_RETURN_IF_ERROR(check_wide_accumulation(ctx, filter.elements / channels));
      break;
    }
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                      tensor_type_name(input.type));
  }
  if (is_sparse_input(ctx, kFilter)) {
    if (input.type != TensorType::INT8) {
      return ctx.fail(Status::kUnsupported, "sparse weights run with int8 inputs only, not %s",
                      tensor_type_name(input.type));
    }
    MOTE_RETURN_IF_ERROR(plan_sparse_rows(ctx, kFilter, "weights"));
  }
  ctx.set_op_data_bytes(conv_op_data_bytes(channels));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor output = ctx.output(0);
  const auto* options = ctx.options<tflite::Conv2DOptions>();
  auto* d = ctx.op_data<ConvOpData>();
  const Shape s = shape_of(input, filter, output);
  const WindowSpec spec{options->padding(), options->stride_h(), options->stride_w(),
                        options->dilation_h_factor(), options->dilation_w_factor()};
  // plan() accepted this window; computing it again cannot fail.
  MOTE_RETURN_IF_ERROR(plan_window(ctx, spec, s.in_h, s.in_w, "input", s.filter_h, s.filter_w,
                                   s.out_h, s.out_w, "output", &d->window));
  d->depth_multiplier = 1;
  if (input.type == TensorType::FLOAT32) {
    d->num_channels = 0;
    init_conv_float(activation_of(ctx), d);
  } else {
    d->num_channels = static_cast<uint32_t>(s.out_depth);
    init_conv_quantized(input, filter, output, activation_of(ctx), d);
  }
  return Status::kOk;
}

void conv_float(const ConvOpData& d, const Shape& s, const float* input, const float* filter,
                const float* bias, float* output) {
  const ConvWindow& w = d.window;
  const int32_t filters_per_group = s.out_depth / (s.in_depth / s.filter_depth);
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_height - w.pad_height;
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_width - w.pad_width;
        for (int32_t oc = 0; oc < s.out_depth; ++oc) {
          const int32_t in_channel0 = (oc / filters_per_group) * s.filter_depth;
          float total = 0.0f;
          for (int32_t fy = 0; fy < s.filter_h; ++fy) {
            const int32_t iy = iy0 + fy * w.dilation_height;
            if (iy < 0 || iy >= s.in_h) continue;
            for (int32_t fx = 0; fx < s.filter_w; ++fx) {
              const int32_t ix = ix0 + fx * w.dilation_width;
              if (ix < 0 || ix >= s.in_w) continue;
              const float* in =
                  input + ((b * s.in_h + iy) * s.in_w + ix) * s.in_depth + in_channel0;
              const float* f = filter + ((oc * s.filter_h + fy) * s.filter_w + fx) * s.filter_depth;
              for (int32_t i = 0; i < s.filter_depth; ++i) total += in[i] * f[i];
            }
          }
          const float value = total + (bias != nullptr ? bias[oc] : 0.0f);
          output[((b * s.out_h + oy) * s.out_w + ox) * s.out_depth + oc] =
              clamp(value, d.float_min, d.float_max);
        }
      }
    }
  }
}

// The quantized window walk shared by dense and sparse filters: `tap_dot(acc, in, row)` adds the
// products of filter row `row` (output channel, filter y, filter x) with the input channels at
// `in`; the walk skips taps in the padding and applies bias, rescale and activation.
template <typename In, typename Acc, typename Bias, typename TapDot>
void conv_window(const ConvOpData& d, const Shape& s, const In* input, const void* bias, In* output,
                 const TapDot& tap_dot) {
  const ConvWindow& w = d.window;
  const int32_t filters_per_group = s.out_depth / (s.in_depth / s.filter_depth);
  const int32_t* multipliers = conv_multipliers(&d);
  const int8_t* shifts = conv_shifts(&d);
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_height - w.pad_height;
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_width - w.pad_width;
        for (int32_t oc = 0; oc < s.out_depth; ++oc) {
          const int32_t in_channel0 = (oc / filters_per_group) * s.filter_depth;
          Acc acc = 0;
          for (int32_t fy = 0; fy < s.filter_h; ++fy) {
            const int32_t iy = iy0 + fy * w.dilation_height;
            if (iy < 0 || iy >= s.in_h) continue;
            for (int32_t fx = 0; fx < s.filter_w; ++fx) {
              const int32_t ix = ix0 + fx * w.dilation_width;
              if (ix < 0 || ix >= s.in_w) continue;
              const In* in = input + ((b * s.in_h + iy) * s.in_w + ix) * s.in_depth + in_channel0;
              acc = tap_dot(acc, in, (oc * s.filter_h + fy) * s.filter_w + fx);
            }
          }
          if (bias != nullptr)
            acc = accumulate(acc, static_cast<Acc>(load_unaligned<Bias>(bias, oc)));
          int32_t scaled = multiply_by_quantized_multiplier(acc, multipliers[oc], shifts[oc]);
          scaled += d.output_offset;
          output[((b * s.out_h + oy) * s.out_w + ox) * s.out_depth + oc] =
              static_cast<In>(clamp(scaled, d.act_min, d.act_max));
        }
      }
    }
  }
}

// int8 (Acc = int32, Bias = int32) and 16x8 (Acc = int64 with int64 bias, or int32 with int32 or
// no bias). For 16x8 the offsets are zero (plan() checks), which is what TFLM's 16-bit kernel
// assumes by leaving them out.
template <typename In, typename Acc, typename Bias>
void conv_quantized(const ConvOpData& d, const Shape& s, const In* input, const int8_t* filter,
                    const void* bias, In* output) {
  const int32_t depth = s.filter_depth;
  conv_window<In, Acc, Bias>(d, s, input, bias, output,
                             [&d, filter, depth](Acc acc, const In* in, int32_t row) {
                               const int8_t* f = filter + row * depth;
                               for (int32_t i = 0; i < depth; ++i) {
                                 const int32_t product = f[i] * (in[i] + d.input_offset);
                                 acc = accumulate(acc, static_cast<Acc>(product));
                               }
                               return acc;
                             });
}

// The int8 path over a sparse filter: for each tap inside the input only the stored (non-zero)
// weights of its row are multiplied. Filters are symmetric (plan() checks), so a skipped weight
// adds exactly 0 to the dense path's sum.
void conv_int8_sparse(const ConvOpData& d, const Shape& s, const int8_t* input, const SparseRows& f,
                      const void* bias, int8_t* output) {
  conv_window<int8_t, int32_t, int32_t>(
      d, s, input, bias, output, [&d, &f](int32_t acc, const int8_t* in, int32_t row) {
        const auto r = static_cast<uint32_t>(row);
        const uint32_t end = f.segments.get(r + 1);
        for (uint32_t k = f.segments.get(r); k < end; ++k) {
          acc = accumulate(acc, f.values[k] * (in[f.indices.get(k)] + d.input_offset));
        }
        return acc;
      });
}

Status eval(EvalContext& ctx) {
  const ConvOpData& d = *ctx.op_data<ConvOpData>();
  const Tensor input = ctx.input(kInput);
  const Tensor bias = ctx.input(kBias);
  const Shape s = shape_of(input, ctx.input(kFilter), ctx.output(0));
  switch (input.type) {
    case TensorType::FLOAT32:
      // The build-option checks: allocate() refused the types a build leaves out.
      if (!kFloatKernels) break;
      conv_float(d, s, ctx.input_data<float>(kInput), ctx.input_data<float>(kFilter),
                 ctx.input_data<float>(kBias), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      if (is_sparse_input(ctx, kFilter)) {
        conv_int8_sparse(d, s, ctx.input_data<int8_t>(kInput), sparse_rows(ctx, kFilter),
                         ctx.input_data<void>(kBias), ctx.output_data<int8_t>(0));
        break;
      }
      conv_quantized<int8_t, int32_t, int32_t>(
          d, s, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kFilter),
          ctx.input_data<void>(kBias), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;
      if (bias.present() && bias.type == TensorType::INT64) {
        conv_quantized<int16_t, int64_t, int64_t>(
            d, s, ctx.input_data<int16_t>(kInput), ctx.input_data<int8_t>(kFilter),
            ctx.input_data<void>(kBias), ctx.output_data<int16_t>(0));
      } else {
        conv_quantized<int16_t, int32_t, int32_t>(
            d, s, ctx.input_data<int16_t>(kInput), ctx.input_data<int8_t>(kFilter),
            ctx.input_data<void>(kBias), ctx.output_data<int16_t>(0));
      }
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& conv_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::CONV_2D, nullptr, 8, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
