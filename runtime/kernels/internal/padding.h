// Output size and padding of windowed ops (convolutions, transposed convolutions, pooling),
// defined as TensorFlow's GetWindowedOutputSize and TFLite's ComputePaddingHeightWidth define them.
// Everything is computed in 64 bits so that plan() can refuse sizes that do not fit the 32-bit
// index arithmetic of the kernels instead of overflowing.
#pragma once

#include <cstdint>
#include <limits>

#include "runtime/schema/tflite_subset_generated.h"

namespace mote {
namespace kernels {

// Extent of a filter of `filter_size` taps spread `dilation` apart.
inline int64_t effective_filter_size(int64_t filter_size, int64_t dilation) {
  return (filter_size - 1) * dilation + 1;
}

// Number of window positions along one axis of `in_size` elements; 0 or less when none fits.
// `stride` and `dilation` must be positive.
inline int64_t windowed_output_size(tflite::Padding padding, int64_t in_size, int64_t filter_size,
                                    int64_t stride, int64_t dilation) {
  if (padding == tflite::Padding::SAME) return (in_size + stride - 1) / stride;
  return (in_size + stride - effective_filter_size(filter_size, dilation)) / stride;
}

// Padding before the first element along one axis: half the total padding `out_size` windows
// need, rounded down (the odd element, if any, goes after the last element).
inline int64_t padding_before(int64_t stride, int64_t dilation, int64_t in_size,
                              int64_t filter_size, int64_t out_size) {
  const int64_t total =
      (out_size - 1) * stride + effective_filter_size(filter_size, dilation) - in_size;
  return total > 0 ? total / 2 : 0;
}

// Where a pooling window lands along one axis (pooling has no dilation).
struct PoolAxis {
  int32_t out_size = 0;
  int32_t padding = 0;  // cells of implicit padding before the first input cell
};

// Fills `axis` for `in_size` input cells and windows of `filter` cells moved by `stride`; false
// when an argument is invalid (filter or stride below 1, negative size, unknown padding) or VALID
// padding gives a negative size. Division truncates towards zero, so a slightly negative VALID
// numerator gives an empty output, as in TFLite.
inline bool pool_axis_geometry(tflite::Padding padding, int32_t in_size, int32_t filter,
                               int32_t stride, PoolAxis* axis) {
  if (in_size < 0 || filter < 1 || stride < 1) return false;
  if (padding != tflite::Padding::SAME && padding != tflite::Padding::VALID) return false;
  const int64_t out = windowed_output_size(padding, in_size, filter, stride, 1);
  if (out < 0 || out > std::numeric_limits<int32_t>::max()) return false;
  axis->out_size = static_cast<int32_t>(out);
  axis->padding = static_cast<int32_t>(padding_before(stride, 1, in_size, filter, out));
  return true;
}

}  // namespace kernels
}  // namespace mote
