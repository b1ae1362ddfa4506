#include "runtime/kernels/internal/conv_params.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "runtime/kernels/internal/padding.h"

namespace mote {
namespace kernels {
namespace {

constexpr int64_t kMaxIndex = std::numeric_limits<int32_t>::max();

const char* padding_name(tflite::Padding padding) {
  return padding == tflite::Padding::SAME ? "SAME" : "VALID";
}

// True when an activation bound quantizes (in float, as TFLite does) well inside int32, so that
// adding the zero point cannot overflow either. TFLite refuses bounds beyond int32.
bool quantized_bound_fits(float bound, float scale) {
  const float q = std::round(bound / scale);
  constexpr float kLimit = 1073741824.0f;  // 2^30
  return q >= -kLimit && q <= kLimit;
}

}  // namespace

Status plan_window(const OpContext& ctx, const WindowSpec& spec, int32_t in_h, int32_t in_w,
                   const char* in_role, int32_t filter_h, int32_t filter_w, int32_t out_h,
                   int32_t out_w, const char* out_role, ConvWindow* window) {
  if (spec.padding != tflite::Padding::SAME && spec.padding != tflite::Padding::VALID) {
    return ctx.fail(Status::kUnsupported, "padding type %d is not supported",
                    static_cast<int>(spec.padding));
  }
  if (spec.stride_height < 1 || spec.stride_width < 1) {
    return ctx.fail(Status::kInvalidModel, "stride %dx%d (height x width) must be positive",
                    spec.stride_height, spec.stride_width);
  }
  if (spec.dilation_height < 1 || spec.dilation_width < 1) {
    return ctx.fail(Status::kInvalidModel, "dilation %dx%d (height x width) must be positive",
                    spec.dilation_height, spec.dilation_width);
  }
  const int64_t expect_h =
      windowed_output_size(spec.padding, in_h, filter_h, spec.stride_height, spec.dilation_height);
  const int64_t expect_w =
      windowed_output_size(spec.padding, in_w, filter_w, spec.stride_width, spec.dilation_width);
  if (expect_h != out_h || expect_w != out_w) {
    return ctx.fail(Status::kInvalidModel,
                    "%s is %dx%d but a %dx%d filter with stride %dx%d, dilation %dx%d and %s "
                    "padding over a %dx%d %s gives %lldx%lld",
                    out_role, out_h, out_w, filter_h, filter_w, spec.stride_height,
                    spec.stride_width, spec.dilation_height, spec.dilation_width,
                    padding_name(spec.padding), in_h, in_w, in_role,
                    static_cast<long long>(expect_h), static_cast<long long>(expect_w));
  }
  // The furthest index a kernel forms is the last window's origin plus the filter's extent.
  const int64_t reach_h = (static_cast<int64_t>(out_h) - 1) * spec.stride_height +
                          effective_filter_size(filter_h, spec.dilation_height);
  const int64_t reach_w = (static_cast<int64_t>(out_w) - 1) * spec.stride_width +
                          effective_filter_size(filter_w, spec.dilation_width);
  if (reach_h > kMaxIndex || reach_w > kMaxIndex) {
    return ctx.fail(Status::kUnsupported, "stride and dilation reach beyond 32-bit indices");
  }
  window->stride_height = spec.stride_height;
  window->stride_width = spec.stride_width;
  window->dilation_height = spec.dilation_height;
  window->dilation_width = spec.dilation_width;
  window->pad_height = static_cast<int32_t>(
      padding_before(spec.stride_height, spec.dilation_height, in_h, filter_h, out_h));
  window->pad_width = static_cast<int32_t>(
      padding_before(spec.stride_width, spec.dilation_width, in_w, filter_w, out_w));
  return Status::kOk;
}

Status check_no_empty_dims(const OpContext& ctx, const Tensor& t, const char* role) {
  for (int i = 0; i < t.rank; ++i) {
    if (t.dims[i] < 1) {
      return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has dimension %d of size %d", role,
                      t.index, t.name, i, t.dims[i]);
    }
  }
  return Status::kOk;
}

Status check_conv_quantization(const OpContext& ctx, const Tensor& input, const Tensor& filter,
                               const Tensor& output, uint32_t channels, int32_t channel_dim,
                               Activation activation, int max_shift) {
  const Tensor* activations[] = {&input, &output};
  const char* roles[] = {"input", "output"};
  for (int i = 0; i < 2; ++i) {
    const Tensor& t = *activations[i];
    if (t.num_scales != 1 || !(t.scales[0] > 0.0f) || !std::isfinite(t.scales[0])) {
      return ctx.fail(Status::kInvalidModel,
                      "%s tensor %d '%s' needs one finite positive quantization scale", roles[i],
                      t.index, t.name);
    }
    int32_t qmin, qmax;
    integer_type_range(t.type, &qmin, &qmax);
    if (t.type == TensorType::INT16) qmin = qmax = 0;  // 16x8 kernels have no offsets
    if (t.zero_points[0] < qmin || t.zero_points[0] > qmax) {
      return ctx.fail(Status::kInvalidModel,
                      "%s tensor %d '%s' has zero point %lld, outside [%d, %d]", roles[i], t.index,
                      t.name, static_cast<long long>(t.zero_points[0]), qmin, qmax);
    }
  }
  if (filter.num_scales != 1 && filter.num_scales != channels) {
    return ctx.fail(Status::kInvalidModel,
                    "weights tensor %d '%s' has %u quantization scales for %u output channels",
                    filter.index, filter.name, filter.num_scales, channels);
  }
  if (filter.num_scales > 1 && filter.quantized_dimension != channel_dim) {
    return ctx.fail(Status::kInvalidModel,
                    "weights tensor %d '%s' is quantized along dimension %d, expected %d",
                    filter.index, filter.name, filter.quantized_dimension, channel_dim);
  }
  for (uint32_t c = 0; c < filter.num_scales; ++c) {
    if (filter.zero_points[c] != 0) {
      return ctx.fail(Status::kInvalidModel,
                      "weights tensor %d '%s' has zero point %lld in channel %u; convolution "
                      "weights must be symmetric",
                      filter.index, filter.name, static_cast<long long>(filter.zero_points[c]), c);
    }
    const double real = effective_output_scale(input, filter, output, c);
    if (!(real >= 0.0) || !std::isfinite(real)) {
      return ctx.fail(Status::kInvalidModel, "weights tensor %d '%s' has scale %g in channel %u",
                      filter.index, filter.name, static_cast<double>(filter.scales[c]), c);
    }
    int32_t multiplier;
    int shift;
    quantize_multiplier(real, &multiplier, &shift);
    if (shift > max_shift) {
      return ctx.fail(Status::kUnsupported,
                      "channel %u rescales by %g (input x weights / output scale), beyond the "
                      "kernel's range of 2^%d",
                      c, real, max_shift);
    }
  }
  const float scale = output.scales[0];
  const bool bounds_fit = activation == Activation::NONE ||
                          (quantized_bound_fits(-1.0f, scale) && quantized_bound_fits(6.0f, scale));
  if (!bounds_fit) {
    return ctx.fail(Status::kInvalidModel,
                    "fused activation %s cannot be quantized with output scale %g",
                    tflite::EnumNameActivationFunctionType(activation), static_cast<double>(scale));
  }
  return Status::kOk;
}

Status check_conv_bias(const OpContext& ctx, const Tensor& bias, uint32_t channels) {
  if (bias.elements != channels) {
    return ctx.fail(Status::kInvalidModel, "bias tensor %d '%s' has %u elements for %u channels",
                    bias.index, bias.name, bias.elements, channels);
  }
  if (bias.type == TensorType::INT64 && bias.is_constant) {
    constexpr int64_t kLimit = int64_t{1} << 40;
    for (uint32_t c = 0; c < channels; ++c) {
      int64_t value;
      std::memcpy(&value, static_cast<const uint8_t*>(bias.data) + 8 * c, sizeof(value));
      if (value > kLimit || value < -kLimit) {
        return ctx.fail(Status::kUnsupported,
                        "bias tensor %d '%s' holds %lld in channel %u, beyond the 64-bit "
                        "accumulator's range of 2^40",
                        bias.index, bias.name, static_cast<long long>(value), c);
      }
    }
  }
  return Status::kOk;
}

Status check_wide_accumulation(const OpContext& ctx, uint64_t products) {
  if (products > (uint64_t{1} << 24)) {
    return ctx.fail(Status::kUnsupported,
                    "each output sums %llu products, more than the 2^24 a 64-bit accumulator "
                    "rescales exactly",
                    static_cast<unsigned long long>(products));
  }
  return Status::kOk;
}

void init_conv_float(Activation activation, ConvOpData* d) {
  float_activation_range(activation, &d->float_min, &d->float_max);
}

void init_conv_quantized(const Tensor& input, const Tensor& filter, const Tensor& output,
                         Activation activation, ConvOpData* d) {
  d->input_offset = -input.zero_point();
  d->output_offset = output.zero_point();
  int32_t qmin, qmax;
  integer_type_range(output.type, &qmin, &qmax);
  quantized_activation_range(activation, output.scale(), output.zero_point(), qmin, qmax,
                             &d->act_min, &d->act_max);
  for (uint32_t c = 0; c < d->num_channels; ++c) {
    // A per-tensor filter broadcasts its scale to every channel (effective_output_scale reads
    // scales[0] when the filter has one).
    int shift;
    quantize_multiplier(effective_output_scale(input, filter, output, c), &conv_multipliers(d)[c],
                        &shift);
    conv_shifts(d)[c] = static_cast<int8_t>(shift);
  }
}

}  // namespace kernels
}  // namespace mote
