// DEPTHWISE_CONV_2D: each input channel c is convolved separately with depth_multiplier filters;
// output channel o = c · depth_multiplier + m:
//   output[b, y, x, o] = act(bias[o] + sum over (ky, kx) of
//     input[b, y·sh − ph + ky·dh, x·sw − pw + kx·dw, c] · filter[0, ky, kx, o]),
// taps outside the input counting as zero. float32; int8 (int8 weights per tensor or per
// channel, int32 bias); 16x8 (int16 activations, int8 weights, int64 bias, 64-bit accumulation).
// Integer arithmetic follows TFLM's reference DepthwiseConvPerChannel.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kFilter = 1;
constexpr int kBias = 2;
constexpr int32_t kChannelDim = 3;  // filter [1, kh, kw, out_c] is quantized per out_c

struct Shape {
  int32_t batches;
  int32_t in_h, in_w, in_depth;
  int32_t filter_h, filter_w;
  int32_t out_h, out_w, out_depth;
};

Shape shape_of(const Tensor& input, const Tensor& filter, const Tensor& output) {
  return {input.dim(0),  input.dim(1),  input.dim(2),  input.dim(3), filter.dim(1),
          filter.dim(2), output.dim(1), output.dim(2), output.dim(3)};
}

WindowSpec window_spec(const tflite::DepthwiseConv2DOptions& o) {
  return {o.padding(), o.stride_h(), o.stride_w(), o.dilation_h_factor(), o.dilation_w_factor()};
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 3, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor bias = ctx.input(kBias);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, filter, "weights"));
  const auto* options = ctx.options<tflite::DepthwiseConv2DOptions>();
  if (options == nullptr) {
    return ctx.fail(Status::kInvalidModel, "has no DepthwiseConv2DOptions");
  }
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
  if (filter.dim(0) != 1) {
    return ctx.fail(Status::kInvalidModel, "weights' first dimension is %d, expected 1",
                    filter.dim(0));
  }
  if (filter.dim(3) != s.out_depth) {
    return ctx.fail(Status::kInvalidModel, "weights have %d output channels but output has %d",
                    filter.dim(3), s.out_depth);
  }
  const int32_t multiplier = options->depth_multiplier();
  if (multiplier < 1 || static_cast<int64_t>(s.in_depth) * multiplier != s.out_depth) {
    return ctx.fail(Status::kInvalidModel,
                    "%d input channels with depth multiplier %d do not give the %d output "
                    "channels",
                    s.in_depth, multiplier, s.out_depth);
  }
  ConvWindow window;
  MOTE_RETURN_IF_ERROR(plan_window(ctx, window_spec(*options), s.in_h, s.in_w, "input", s.filter_h,
                                   s.filter_w, s.out_h, s.out_w, "output", &window));
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
    case TensorType::INT16:
      // TFLM's 16x8 depthwise kernel reads the bias as int64 whatever its type; other bias
      // types would be misread, so they are refused.
      MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::INT8, "weights"));
      if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT64, "bias"));
      MOTE_RETURN_IF_ERROR(check_conv_quantization(ctx, input, filter, output, channels,
                                                   kChannelDim, activation, 7));
      MOTE_RETURN_IF_ERROR(check_wide_accumulation(ctx, filter.elements / channels));
      break;
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                      tensor_type_name(input.type));
  }
  ctx.set_op_data_bytes(conv_op_data_bytes(channels));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor filter = ctx.input(kFilter);
  const Tensor output = ctx.output(0);
  const auto* options = ctx.options<tflite::DepthwiseConv2DOptions>();
  auto* d = ctx.op_data<ConvOpData>();
  const Shape s = shape_of(input, filter, output);
  // plan() accepted this window; computing it again cannot fail.
  MOTE_RETURN_IF_ERROR(plan_window(ctx, window_spec(*options), s.in_h, s.in_w, "input", s.filter_h,
                                   s.filter_w, s.out_h, s.out_w, "output", &d->window));
  d->depth_multiplier = options->depth_multiplier();
  const Activation activation = options->fused_activation_function();
  if (input.type == TensorType::FLOAT32) {
    d->num_channels = 0;
    init_conv_float(activation, d);
  } else {
    d->num_channels = static_cast<uint32_t>(s.out_depth);
    init_conv_quantized(input, filter, output, activation, d);
  }
  return Status::kOk;
}

void depthwise_float(const ConvOpData& d, const Shape& s, const float* input, const float* filter,
                     const float* bias, float* output) {
  const ConvWindow& w = d.window;
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_height - w.pad_height;
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_width - w.pad_width;
        float* out = output + ((b * s.out_h + oy) * s.out_w + ox) * s.out_depth;
        for (int32_t ic = 0; ic < s.in_depth; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            float total = 0.0f;
            for (int32_t fy = 0; fy < s.filter_h; ++fy) {
              const int32_t iy = iy0 + fy * w.dilation_height;
              if (iy < 0 || iy >= s.in_h) continue;
              for (int32_t fx = 0; fx < s.filter_w; ++fx) {
                const int32_t ix = ix0 + fx * w.dilation_width;
                if (ix < 0 || ix >= s.in_w) continue;
                total += input[((b * s.in_h + iy) * s.in_w + ix) * s.in_depth + ic] *
                         filter[(fy * s.filter_w + fx) * s.out_depth + oc];
              }
            }
            const float value = total + (bias != nullptr ? bias[oc] : 0.0f);
            out[oc] = clamp(value, d.float_min, d.float_max);
          }
        }
      }
    }
  }
}

// int8 (Acc = Bias = int32) and 16x8 (Acc = Bias = int64; offsets zero, as plan() checks).
template <typename In, typename Acc, typename Bias>
void depthwise_quantized(const ConvOpData& d, const Shape& s, const In* input, const int8_t* filter,
                         const void* bias, In* output) {
  const ConvWindow& w = d.window;
  const int32_t* multipliers = conv_multipliers(&d);
  const int8_t* shifts = conv_shifts(&d);
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_height - w.pad_height;
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_width - w.pad_width;
        In* out = output + ((b * s.out_h + oy) * s.out_w + ox) * s.out_depth;
        for (int32_t ic = 0; ic < s.in_depth; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            Acc acc = 0;
            for (int32_t fy = 0; fy < s.filter_h; ++fy) {
              const int32_t iy = iy0 + fy * w.dilation_height;
              if (iy < 0 || iy >= s.in_h) continue;
              for (int32_t fx = 0; fx < s.filter_w; ++fx) {
                const int32_t ix = ix0 + fx * w.dilation_width;
                if (ix < 0 || ix >= s.in_w) continue;
                const int32_t x = input[((b * s.in_h + iy) * s.in_w + ix) * s.in_depth + ic];
                const int32_t f = filter[(fy * s.filter_w + fx) * s.out_depth + oc];
                acc = accumulate(acc, static_cast<Acc>(f * (x + d.input_offset)));
              }
            }
            if (bias != nullptr)
              acc = accumulate(acc, static_cast<Acc>(load_unaligned<Bias>(bias, oc)));
            int32_t scaled = multiply_by_quantized_multiplier(acc, multipliers[oc], shifts[oc]);
            scaled += d.output_offset;
            out[oc] = static_cast<In>(clamp(scaled, d.act_min, d.act_max));
          }
        }
      }
    }
  }
}

Status eval(EvalContext& ctx) {
  const ConvOpData& d = *ctx.op_data<ConvOpData>();
  const Tensor input = ctx.input(kInput);
  const Shape s = shape_of(input, ctx.input(kFilter), ctx.output(0));
  switch (input.type) {
    case TensorType::FLOAT32:
      // The build-option checks: allocate() refused the types a build leaves out.
      if (!kFloatKernels) break;
      depthwise_float(d, s, ctx.input_data<float>(kInput), ctx.input_data<float>(kFilter),
                      ctx.input_data<float>(kBias), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      depthwise_quantized<int8_t, int32_t, int32_t>(
          d, s, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kFilter),
          ctx.input_data<void>(kBias), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;
      depthwise_quantized<int16_t, int64_t, int64_t>(
          d, s, ctx.input_data<int16_t>(kInput), ctx.input_data<int8_t>(kFilter),
          ctx.input_data<void>(kBias), ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& depthwise_conv_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::DEPTHWISE_CONV_2D, nullptr, 7, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
