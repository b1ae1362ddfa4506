// TRANSPOSE_CONV: the gradient of a convolution with respect to its input. Each input element
// spreads through the filter onto the output:
//   output[b, y, x, o] = act(bias[o] + sum over (iy, ix, i) with y = iy·sh − ph + ky and
//     x = ix·sw − pw + kx inside the filter of input[b, iy, ix, i] · filter[o, ky, kx, i]).
// Inputs: output shape (int32[4], which TFLM ignores: the output tensor's static shape rules),
// filter [out_c, kh, kw, in_c], input, optional bias. float32; int8 (int32 bias); 16x8 (int16
// activations, int8 weights, int64 or int16 bias, 64-bit accumulation).
//
// TFLM scatters every input element into an accumulator buffer the size of the output. This
// kernel gathers instead: for each output element it visits the contributing input elements in
// the order the scatter reaches them (input row, then column, then channel), so float sums round
// identically and integer sums are the same numbers, with no scratch buffer at all.
#include <cstdint>
#include <cstring>
#include <type_traits>

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

constexpr int kOutputShape = 0;
constexpr int kFilter = 1;
constexpr int kInput = 2;
constexpr int kBias = 3;
constexpr int32_t kChannelDim = 0;  // filter [out_c, kh, kw, in_c] is quantized per out_c

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

WindowSpec window_spec(const tflite::TransposeConvOptions& o) {
  return {o.padding(), o.stride_h(), o.stride_w(), 1, 1};
}

// The window of a transposed convolution slides over its output: a convolution with the same
// options over the output gives the input's size. plan_window checks that and yields the padding.
Status plan_transposed_window(const OpContext& ctx, const tflite::TransposeConvOptions& options,
                              const Shape& s, ConvWindow* window) {
  return plan_window(ctx, window_spec(options), s.out_h, s.out_w, "output", s.filter_h, s.filter_w,
                     s.in_h, s.in_w, "input", window);
}

Status check_output_shape(const OpContext& ctx, const Tensor& shape, const Tensor& output) {
  MOTE_RETURN_IF_ERROR(check_present(ctx, shape, "output shape"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, shape, TensorType::INT32, "output shape"));
  if (shape.elements != 4) {
    return ctx.fail(Status::kInvalidModel, "output shape tensor %d '%s' has %u elements, not 4",
                    shape.index, shape.name, shape.elements);
  }
  // Like TFLM, the kernel computes with the output tensor's static shape; a constant shape
  // input that says otherwise is a broken model.
  if (shape.is_constant) {
    for (int i = 0; i < 4; ++i) {
      int32_t value;
      std::memcpy(&value, static_cast<const uint8_t*>(shape.data) + 4 * i, sizeof(value));
      if (value != output.dim(i)) {
        return ctx.fail(Status::kInvalidModel,
                        "output shape tensor %d says dimension %d is %d but the output has %d",
                        shape.index, i, value, output.dim(i));
      }
    }
  }
  return Status::kOk;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 3, 4, 1));
  const Tensor filter = ctx.input(kFilter);
  const Tensor input = ctx.input(kInput);
  const Tensor bias = ctx.input(kBias);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, filter, "weights"));
  const auto* options = ctx.options<tflite::TransposeConvOptions>();
  if (options == nullptr) return ctx.fail(Status::kInvalidModel, "has no TransposeConvOptions");
  const Activation activation = options->fused_activation_function();
  MOTE_RETURN_IF_ERROR(check_activation(ctx, activation));

  MOTE_RETURN_IF_ERROR(check_rank(ctx, input, 4, "input"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, filter, 4, "weights"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, output, 4, "output"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, filter, "weights"));
  MOTE_RETURN_IF_ERROR(check_no_empty_dims(ctx, output, "output"));
  MOTE_RETURN_IF_ERROR(check_output_shape(ctx, ctx.input(kOutputShape), output));
  const Shape s = shape_of(input, filter, output);
  if (output.dim(0) != s.batches) {
    return ctx.fail(Status::kInvalidModel, "input has %d batches but output has %d", s.batches,
                    output.dim(0));
  }
  if (filter.dim(0) != s.out_depth) {
    return ctx.fail(Status::kInvalidModel, "weights have %d output channels but output has %d",
                    filter.dim(0), s.out_depth);
  }
  if (filter.dim(3) != s.in_depth) {
    return ctx.fail(Status::kInvalidModel, "weights have depth %d but input has %d channels",
                    filter.dim(3), s.in_depth);
  }
  ConvWindow window;
  MOTE_RETURN_IF_ERROR(plan_transposed_window(ctx, *options, s, &window));
  const auto channels = static_cast<uint32_t>(s.out_depth);
  if (bias.present()) MOTE_RETURN_IF_ERROR(check_conv_bias(ctx, bias, channels));

  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  if (input.type == TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::FLOAT32, "weights"));
    if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::FLOAT32, "bias"));
    ctx.set_op_data_bytes(conv_op_data_bytes(0));
    return Status::kOk;
  }
  if (input.type != TensorType::INT8 && input.type != TensorType::INT16) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                    tensor_type_name(input.type));
  }
  // TFLM's quantized kernels never apply the fused activation; running such a model would either
  // differ from TFLM or from the model's meaning, so it is refused.
  if (activation != Activation::NONE) {
    return ctx.fail(Status::kUnsupported,
                    "fused activation %s on a quantized transposed convolution is not supported "
                    "(TFLM ignores it)",
                    tflite::EnumNameActivationFunctionType(activation));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, filter, TensorType::INT8, "weights"));
  const bool is_16x8 = input.type == TensorType::INT16;
  if (bias.present() && !is_16x8) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT32, "bias"));
  }
  if (bias.present() && is_16x8 && bias.type != TensorType::INT16) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT64, "bias"));
  }
  MOTE_RETURN_IF_ERROR(check_conv_quantization(ctx, input, filter, output, channels, kChannelDim,
                                               activation, is_16x8 ? 7 : 30));
  if (is_16x8) MOTE_RETURN_IF_ERROR(check_wide_accumulation(ctx, filter.elements / channels));
  ctx.set_op_data_bytes(conv_op_data_bytes(channels));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor filter = ctx.input(kFilter);
  const Tensor input = ctx.input(kInput);
  const Tensor output = ctx.output(0);
  const auto* options = ctx.options<tflite::TransposeConvOptions>();
  auto* d = ctx.op_data<ConvOpData>();
  // plan() accepted this window; computing it again cannot fail.
  MOTE_RETURN_IF_ERROR(
      plan_transposed_window(ctx, *options, shape_of(input, filter, output), &d->window));
  d->depth_multiplier = 1;
  if (input.type == TensorType::FLOAT32) {
    d->num_channels = 0;
    init_conv_float(options->fused_activation_function(), d);
  } else {
    d->num_channels = static_cast<uint32_t>(filter.dim(0));
    init_conv_quantized(input, filter, output, Activation::NONE, d);
  }
  return Status::kOk;
}

// Input row (or column) that reaches output `o` through filter tap `k`, or -1 when none does:
// o = i·stride − pad + k.
inline int32_t source_index(int32_t o, int32_t k, int32_t stride, int32_t pad, int32_t in_size) {
  const int32_t t = o + pad - k;
  if (t < 0 || t % stride != 0) return -1;
  const int32_t i = t / stride;
  return i < in_size ? i : -1;
}

// Sum of input · filter over every input element reaching output (b, oy, ox, oc), in the order
// TFLM's scatter adds them: filter rows and columns descending are input rows and columns
// ascending. `Acc` is float or an integer accumulator; `input_offset` is 0 for float and 16x8.
template <typename Acc, typename In, typename Filter>
Acc gather(const ConvOpData& d, const Shape& s, const In* input, const Filter* filter, int32_t b,
           int32_t oy, int32_t ox, int32_t oc, int32_t input_offset) {
  const ConvWindow& w = d.window;
  Acc acc = 0;
  for (int32_t fy = s.filter_h - 1; fy >= 0; --fy) {
    const int32_t iy = source_index(oy, fy, w.stride_height, w.pad_height, s.in_h);
    if (iy < 0) continue;
    for (int32_t fx = s.filter_w - 1; fx >= 0; --fx) {
      const int32_t ix = source_index(ox, fx, w.stride_width, w.pad_width, s.in_w);
      if (ix < 0) continue;
      const In* in = input + ((b * s.in_h + iy) * s.in_w + ix) * s.in_depth;
      const Filter* f = filter + ((oc * s.filter_h + fy) * s.filter_w + fx) * s.in_depth;
      for (int32_t i = 0; i < s.in_depth; ++i) {
        if constexpr (std::is_floating_point_v<Acc>) {
          acc += in[i] * f[i];
        } else {
          acc = accumulate(acc, static_cast<Acc>((in[i] + input_offset) * f[i]));
        }
      }
    }
  }
  return acc;
}

void transpose_conv_float(const ConvOpData& d, const Shape& s, const float* input,
                          const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        float* out = output + ((b * s.out_h + oy) * s.out_w + ox) * s.out_depth;
        for (int32_t oc = 0; oc < s.out_depth; ++oc) {
          float value = gather<float>(d, s, input, filter, b, oy, ox, oc, 0);
          if (bias != nullptr) value += bias[oc];
          out[oc] = clamp(value, d.float_min, d.float_max);
        }
      }
    }
  }
}

// int8 (Acc = Bias = int32) and 16x8 (Acc = int64, Bias = int64 or int16; offsets zero).
template <typename In, typename Acc, typename Bias>
void transpose_conv_quantized(const ConvOpData& d, const Shape& s, const In* input,
                              const int8_t* filter, const void* bias, In* output) {
  const int32_t* multipliers = conv_multipliers(&d);
  const int8_t* shifts = conv_shifts(&d);
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        In* out = output + ((b * s.out_h + oy) * s.out_w + ox) * s.out_depth;
        for (int32_t oc = 0; oc < s.out_depth; ++oc) {
          Acc acc = gather<Acc>(d, s, input, filter, b, oy, ox, oc, d.input_offset);
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

Status eval(EvalContext& ctx) {
  const ConvOpData& d = *ctx.op_data<ConvOpData>();
  const Tensor input = ctx.input(kInput);
  const Tensor bias = ctx.input(kBias);
  const Shape s = shape_of(input, ctx.input(kFilter), ctx.output(0));
  switch (input.type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      transpose_conv_float(d, s, ctx.input_data<float>(kInput), ctx.input_data<float>(kFilter),
                           ctx.input_data<float>(kBias), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      transpose_conv_quantized<int8_t, int32_t, int32_t>(
          d, s, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kFilter),
          ctx.input_data<void>(kBias), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      if (bias.present() && bias.type == TensorType::INT16) {
        transpose_conv_quantized<int16_t, int64_t, int16_t>(
            d, s, ctx.input_data<int16_t>(kInput), ctx.input_data<int8_t>(kFilter),
            ctx.input_data<void>(kBias), ctx.output_data<int16_t>(0));
      } else {
        transpose_conv_quantized<int16_t, int64_t, int64_t>(
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

const KernelRegistration& transpose_conv() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::TRANSPOSE_CONV, nullptr, 5, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
