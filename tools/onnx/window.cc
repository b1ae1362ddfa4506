#include "tools/onnx/window.h"

#include <fmt/format.h>

#include "tools/onnx/convert_util.h"

namespace mote::tools::onnx_import {

std::int32_t SpatialAxis::out() const {
  return (in + pad_begin + pad_end - effective_kernel()) / stride + 1;
}

bool SpatialAxis::same_matches(std::int32_t out_size) const {
  if (out_size != (in + stride - 1) / stride) return false;
  const std::int32_t total = std::max((out_size - 1) * stride + effective_kernel() - in, 0);
  return total / 2 == pad_begin;
}

std::vector<SpatialAxis> read_window(Importer& im, const Shape& in, const Shape& kernel_default) {
  const Attributes& a = im.attributes();
  const std::size_t n = in.size();
  const auto kernel = a.ints(
      "kernel_shape", std::vector<std::int64_t>(kernel_default.begin(), kernel_default.end()));
  const auto strides = a.ints("strides", std::vector<std::int64_t>(n, 1));
  const auto dilations = a.ints("dilations", std::vector<std::int64_t>(n, 1));
  const auto pads = a.ints("pads", std::vector<std::int64_t>(2 * n, 0));
  const std::string auto_pad = a.s("auto_pad", "NOTSET");
  if (kernel.size() != n || strides.size() != n || dilations.size() != n || pads.size() != 2 * n) {
    im.fail(fmt::format("kernel_shape, strides, dilations or pads do not match the {} spatial axes",
                        n));
  }
  std::vector<SpatialAxis> axes(n);
  for (std::size_t i = 0; i < n; ++i) {
    SpatialAxis& s = axes[i];
    s.in = in[i];
    s.kernel = static_cast<std::int32_t>(kernel[i]);
    s.stride = static_cast<std::int32_t>(strides[i]);
    s.dilation = static_cast<std::int32_t>(dilations[i]);
    if (s.kernel < 1 || s.stride < 1 || s.dilation < 1) {
      im.fail("kernel, stride and dilation must be at least 1");
    }
    if (auto_pad == "NOTSET") {
      s.pad_begin = static_cast<std::int32_t>(pads[i]);
      s.pad_end = static_cast<std::int32_t>(pads[i + n]);
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const std::int32_t out = (s.in + s.stride - 1) / s.stride;
      const std::int32_t total = std::max((out - 1) * s.stride + s.effective_kernel() - s.in, 0);
      const std::int32_t small = total / 2;
      s.pad_begin = auto_pad == "SAME_UPPER" ? small : total - small;
      s.pad_end = total - s.pad_begin;
    } else if (auto_pad != "VALID") {
      im.fail(fmt::format("auto_pad '{}' is not an ONNX padding mode", auto_pad));
    }
    if (s.pad_begin < 0 || s.pad_end < 0) im.fail("negative pads are not supported");
    if (s.in + s.pad_begin + s.pad_end < s.effective_kernel()) {
      im.fail(fmt::format("the window ({}) is larger than the padded input ({})",
                          s.effective_kernel(), s.in + s.pad_begin + s.pad_end));
    }
  }
  return axes;
}

std::int32_t window_input(Importer& im, Value& x) {
  if (x.shape.size() != 3 && x.shape.size() != 4) {
    im.fail(fmt::format("input has shape {}; mote converts 1-D (NCW) and 2-D (NCHW) windows",
                        shape_text(x.shape)));
  }
  const Layout layout = conv_layout(x.shape);
  return im.stored(x, layout, direct_shape(layout));
}

void add_unit_height(std::vector<SpatialAxis>& axes) { axes.insert(axes.begin(), SpatialAxis{}); }

std::int32_t pad_spatial(Importer& im, std::int32_t tensor, const std::vector<SpatialAxis>& axes,
                         float value, const std::vector<std::int32_t>& extra_end) {
  const Shape in = im.tensor(tensor).shape;  // NHWC
  std::vector<std::int32_t> paddings{0, 0};
  Shape out{in[0]};
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const std::int32_t end = axes[i].pad_end + (i < extra_end.size() ? extra_end[i] : 0);
    paddings.push_back(axes[i].pad_begin);
    paddings.push_back(end);
    out.push_back(in[i + 1] + axes[i].pad_begin + end);
  }
  paddings.push_back(0);
  paddings.push_back(0);
  out.push_back(in.back());
  const std::string name = im.tensor(tensor).name + "/padded";
  const std::int32_t result = im.add_tensor(name, out);
  const std::int32_t pads = im.add_int32_constant(name + "_paddings", {4, 2}, paddings);
  if (value == 0.0f) {
    im.emit(tflite::BuiltinOperator::PAD, {tensor, pads}, {result},
            options_of(tflite::PadOptionsT{}));
  } else {
    const std::int32_t fill = im.add_float_constant(name + "_value", {1}, {value});
    im.emit(tflite::BuiltinOperator::PADV2, {tensor, pads, fill}, {result});
  }
  return result;
}

}  // namespace mote::tools::onnx_import
