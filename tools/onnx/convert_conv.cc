// Conv -> CONV_2D or DEPTHWISE_CONV_2D, ConvTranspose -> TRANSPOSE_CONV; 1-D (NCW) forms run as
// 2-D with height 1. Weights are permuted to TFLite's OHWI / 1HWO at import time.
#include <fmt/format.h>

#include <algorithm>

#include "tools/onnx/convert_util.h"
#include "tools/onnx/converters.h"
#include "tools/onnx/shape_rules.h"
#include "tools/onnx/window.h"

namespace mote::tools::onnx_import {
namespace {

tflite::Padding choose_padding(const std::vector<SpatialAxis>& axes, const Shape& out,
                               bool* explicit_pad) {
  bool zero = true, same = true;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    zero = zero && axes[i].pad_begin == 0 && axes[i].pad_end == 0;
    same = same && axes[i].same_matches(out[i]);
  }
  *explicit_pad = !zero && !same;
  return zero || !same ? tflite::Padding::VALID : tflite::Padding::SAME;
}

// The bias input or zeros: TFLite's converter always gives convolutions a bias, and folding a
// following BatchNormalization needs one.
std::vector<float> bias_or_zeros(Importer& im, std::size_t input, std::int32_t channels) {
  if (!im.has_input(input)) return std::vector<float>(static_cast<std::size_t>(channels), 0.0f);
  const auto b = float_constant(im, input, "the bias");
  if (static_cast<std::int32_t>(b.size()) != channels) {
    im.fail(fmt::format("the bias has {} values for {} output channels", b.size(), channels));
  }
  return to_floats(b);
}

void convert_conv(Importer& im) {
  Value& x = im.input(0);
  const std::int32_t input = window_input(im, x);
  const ConstantValue& w = im.constant_input(1, "the weights");
  const std::size_t spatial = x.shape.size() - 2;
  if (w.shape.size() != x.shape.size()) {
    im.fail(fmt::format("weights of shape {} do not fit input {}", shape_text(w.shape),
                        shape_text(x.shape)));
  }
  const std::int32_t channels = x.shape[1];
  const std::int32_t out_channels = w.shape[0];
  const std::int64_t group = im.attributes().i("group", 1);
  const bool depthwise = group > 1 && group == channels && w.shape[1] == 1;
  if (!depthwise && group != 1) {
    im.fail(
        fmt::format("grouped convolution (group {} of {} channels) is not supported: TFLM "
                    "runs group 1 (CONV_2D) and group = channels (DEPTHWISE_CONV_2D) only",
                    group, channels));
  }
  if (!depthwise && w.shape[1] != channels) {
    im.fail(
        fmt::format("weights take {} input channels but the input has {}", w.shape[1], channels));
  }
  if (depthwise && out_channels % channels != 0) {
    im.fail("depthwise output channels are not a multiple of the input channels");
  }
  Shape in_spatial(x.shape.begin() + 2, x.shape.end());
  Shape kernel(w.shape.begin() + 2, w.shape.end());
  std::vector<SpatialAxis> axes = read_window(im, in_spatial, kernel);
  for (std::size_t i = 0; i < spatial; ++i) {
    if (axes[i].kernel != kernel[i]) {
      im.fail(fmt::format("kernel_shape says {} but the weights are {} wide", axes[i].kernel,
                          kernel[i]));
    }
  }
  if (spatial == 1) add_unit_height(axes);
  Shape out_spatial;
  for (const SpatialAxis& a : axes) out_spatial.push_back(a.out());
  bool explicit_pad = false;
  const tflite::Padding padding = choose_padding(axes, out_spatial, &explicit_pad);
  const std::int32_t padded = explicit_pad ? pad_spatial(im, input, axes, 0.0f) : input;

  const std::int32_t kh = axes[0].kernel, kw = axes[1].kernel;
  // ONNX [O, I, (kh,) kw] -> OHWI; depthwise [O, 1, (kh,) kw] -> [1, kh, kw, O].
  const Shape w4{out_channels, w.shape[1], kh, kw};
  const std::vector<double> weights = transpose_values(
      w.values, w4,
      depthwise ? std::vector<std::int32_t>{1, 2, 3, 0} : std::vector<std::int32_t>{0, 2, 3, 1});
  const std::string name = im.output_name(0);
  const Shape weight_shape =
      depthwise ? Shape{1, kh, kw, out_channels} : Shape{out_channels, kh, kw, channels};
  const std::int32_t weight_tensor =
      im.add_float_constant(name + "/weights", weight_shape, to_floats(weights));
  const std::int32_t bias_tensor =
      im.add_float_constant(name + "/bias", {out_channels}, bias_or_zeros(im, 2, out_channels));

  Shape out_logical{x.shape[0], out_channels};
  if (spatial == 2) out_logical.push_back(out_spatial[0]);
  out_logical.push_back(out_spatial[1]);
  const Layout out_layout = conv_layout(out_logical);
  const std::int32_t output = im.add_tensor(name, direct_shape(out_layout));
  if (depthwise) {
    tflite::DepthwiseConv2DOptionsT o;
    o.padding = padding;
    o.stride_h = axes[0].stride;
    o.stride_w = axes[1].stride;
    o.dilation_h_factor = axes[0].dilation;
    o.dilation_w_factor = axes[1].dilation;
    o.depth_multiplier = out_channels / channels;
    im.emit(tflite::BuiltinOperator::DEPTHWISE_CONV_2D, {padded, weight_tensor, bias_tensor},
            {output}, options_of(o));
  } else {
    tflite::Conv2DOptionsT o;
    o.padding = padding;
    o.stride_h = axes[0].stride;
    o.stride_w = axes[1].stride;
    o.dilation_h_factor = axes[0].dilation;
    o.dilation_w_factor = axes[1].dilation;
    im.emit(tflite::BuiltinOperator::CONV_2D, {padded, weight_tensor, bias_tensor}, {output},
            options_of(o));
  }
  im.define_output(0, out_logical, output, out_layout);
}

void convert_conv_transpose(Importer& im) {
  Value& x = im.input(0);
  const std::int32_t input = window_input(im, x);
  const ConstantValue& w = im.constant_input(1, "the weights");
  const Attributes& a = im.attributes();
  const std::size_t spatial = x.shape.size() - 2;
  if (a.i("group", 1) != 1) im.fail("grouped transposed convolution is not supported");
  const auto kernel_attr = a.ints("kernel_shape");
  if (!kernel_attr.empty() &&
      !std::equal(kernel_attr.begin(), kernel_attr.end(), w.shape.begin() + 2, w.shape.end())) {
    im.fail("kernel_shape does not match the weights");
  }
  if (w.shape.size() != x.shape.size() || w.shape[0] != x.shape[1]) {
    im.fail(fmt::format("weights of shape {} do not fit input {}", shape_text(w.shape),
                        shape_text(x.shape)));
  }
  for (std::int64_t d : a.ints("dilations", std::vector<std::int64_t>(spatial, 1))) {
    if (d != 1) im.fail("dilated transposed convolution is not supported (TFLite has none)");
  }
  const std::int32_t channels = x.shape[1];
  const std::int32_t out_channels = w.shape[1];
  const auto strides = a.ints("strides", std::vector<std::int64_t>(spatial, 1));
  auto pads = a.ints("pads", std::vector<std::int64_t>(2 * spatial, 0));
  const auto output_padding = a.ints("output_padding", std::vector<std::int64_t>(spatial, 0));
  const auto output_shape = a.ints("output_shape");
  const std::string auto_pad = a.s("auto_pad", "NOTSET");
  if (strides.size() != spatial || pads.size() != 2 * spatial || output_padding.size() != spatial) {
    im.fail("strides, pads or output_padding do not match the spatial axes");
  }
  // Per axis: input, kernel, stride, the leading crop and the output size.
  std::vector<std::int32_t> in(spatial), k(spatial), s(spatial), crop(spatial), out(spatial);
  for (std::size_t i = 0; i < spatial; ++i) {
    in[i] = x.shape[i + 2];
    k[i] = w.shape[i + 2];
    s[i] = static_cast<std::int32_t>(strides[i]);
    const std::int64_t full =
        static_cast<std::int64_t>(s[i]) * (in[i] - 1) + output_padding[i] + k[i];
    if (!output_shape.empty() || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const std::int64_t target = output_shape.empty()
                                      ? static_cast<std::int64_t>(in[i]) * s[i]
                                      : output_shape[output_shape.size() - spatial + i];
      const std::int64_t total = full - target;
      const bool upper = auto_pad == "SAME_UPPER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + spatial] = total - pads[i];
    } else if (auto_pad == "VALID") {
      pads[i] = pads[i + spatial] = 0;
    }
    if (pads[i] < 0 || pads[i + spatial] < 0) im.fail("negative pads are not supported");
    if (output_padding[i] >= s[i]) im.fail("output_padding must be smaller than the stride");
    crop[i] = static_cast<std::int32_t>(pads[i]);
    out[i] = static_cast<std::int32_t>(full - pads[i] - pads[i + spatial]);
    if (out[i] < 1) im.fail("the output would be empty");
  }
  if (spatial == 1) {
    in.insert(in.begin(), 1);
    k.insert(k.begin(), 1);
    s.insert(s.begin(), 1);
    crop.insert(crop.begin(), 0);
    out.insert(out.begin(), 1);
  }
  // TFLite's window runs over the output: SAME when its own split reproduces the crop, VALID when
  // nothing is cropped at the start, else VALID over a larger output and a STRIDED_SLICE.
  bool same = true, valid = true;
  for (std::size_t i = 0; i < 2; ++i) {
    SpatialAxis axis;
    axis.in = out[i];
    axis.kernel = k[i];
    axis.stride = s[i];
    axis.pad_begin = crop[i];
    same = same && axis.same_matches(in[i]);
    valid = valid && crop[i] == 0 && out[i] >= k[i] && (out[i] - k[i]) / s[i] + 1 == in[i];
  }
  std::vector<std::int32_t> computed = out;
  if (!same && !valid) {
    for (std::size_t i = 0; i < 2; ++i) {
      computed[i] = std::max(s[i] * (in[i] - 1) + k[i], crop[i] + out[i]);
    }
  }
  const std::string name = im.output_name(0);
  // ONNX [I, O, (kh,) kw] -> TFLite [O, kh, kw, I].
  const std::vector<double> weights =
      transpose_values(w.values, Shape{channels, out_channels, k[0], k[1]}, {1, 2, 3, 0});
  const std::int32_t weight_tensor = im.add_float_constant(
      name + "/weights", {out_channels, k[0], k[1], channels}, to_floats(weights));
  const std::int32_t bias_tensor =
      im.add_float_constant(name + "/bias", {out_channels}, bias_or_zeros(im, 2, out_channels));
  const Shape computed_shape{x.shape[0], computed[0], computed[1], out_channels};
  const std::int32_t shape_tensor =
      im.add_int32_constant(name + "/output_shape", {4}, computed_shape);

  Shape out_logical{x.shape[0], out_channels};
  if (spatial == 2) out_logical.push_back(out[0]);
  out_logical.push_back(out[1]);
  const Layout out_layout = conv_layout(out_logical);
  const bool cropped = !same && !valid;
  const std::int32_t result = im.add_tensor(cropped ? name + "/uncropped" : name,
                                            cropped ? computed_shape : direct_shape(out_layout));
  tflite::TransposeConvOptionsT o;
  o.padding = same ? tflite::Padding::SAME : tflite::Padding::VALID;
  o.stride_h = s[0];
  o.stride_w = s[1];
  im.emit(tflite::BuiltinOperator::TRANSPOSE_CONV,
          {shape_tensor, weight_tensor, input, bias_tensor}, {result}, options_of(o));
  std::int32_t output = result;
  if (cropped) {
    output = im.add_tensor(name, direct_shape(out_layout));
    const Shape begin{0, crop[0], crop[1], 0};
    const Shape end{x.shape[0], crop[0] + out[0], crop[1] + out[1], out_channels};
    im.emit(tflite::BuiltinOperator::STRIDED_SLICE,
            {result, im.add_int32_constant(name + "/crop_begin", {4}, begin),
             im.add_int32_constant(name + "/crop_end", {4}, end),
             im.add_int32_constant(name + "/crop_strides", {4}, {1, 1, 1, 1})},
            {output}, options_of(tflite::StridedSliceOptionsT{}));
    im.note(
        fmt::format("ConvTranspose '{}': its pads are not TFLite's SAME split; a STRIDED_SLICE "
                    "crops the VALID result",
                    im.node().name()));
  }
  im.define_output(0, out_logical, output, out_layout);
}

}  // namespace

void register_conv_converters(ConverterTable& table) {
  table["Conv"] = convert_conv;
  table["ConvTranspose"] = convert_conv_transpose;
}

}  // namespace mote::tools::onnx_import
