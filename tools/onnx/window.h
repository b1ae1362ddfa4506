// The geometry of ONNX's windowed ops (Conv, ConvTranspose, MaxPool, AveragePool) along each
// spatial axis, and how it maps onto TFLite's two padding modes: ONNX pads explicitly, TFLite
// knows only SAME (its own split of the padding) and VALID, so explicit pads that SAME does not
// reproduce become a PAD op before a VALID window.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/onnx/importer.h"

namespace mote::tools::onnx_import {

struct SpatialAxis {
  std::int32_t in = 1;
  std::int32_t kernel = 1;
  std::int32_t stride = 1;
  std::int32_t dilation = 1;
  std::int32_t pad_begin = 0;
  std::int32_t pad_end = 0;

  std::int32_t effective_kernel() const { return (kernel - 1) * dilation + 1; }
  // Output size of a forward window (floor rounding).
  std::int32_t out() const;
  // Whether TFLite's SAME padding gives this axis' output size `out` with the same leading pad.
  bool same_matches(std::int32_t out) const;
};

// Reads kernel_shape (or `kernel`), strides, dilations, pads and auto_pad of the current node for
// a forward window over `in` (the input's spatial sizes).
std::vector<SpatialAxis> read_window(Importer& im, const Shape& in, const Shape& kernel);

// For a 1-D op: prepends the unit height axis that runs it as 2-D.
void add_unit_height(std::vector<SpatialAxis>& axes);

// The input of a windowed op stored channels-last (NHWC; N1WC for 1-D); fails for other ranks.
std::int32_t window_input(Importer& im, Value& x);

// PAD (zeros) or PADV2 (`value`) of an NHWC tensor by the axes' pads (`extra_end` more at the end
// of each axis); returns the padded tensor.
std::int32_t pad_spatial(Importer& im, std::int32_t tensor, const std::vector<SpatialAxis>& axes,
                         float value, const std::vector<std::int32_t>& extra_end = {});

}  // namespace mote::tools::onnx_import
