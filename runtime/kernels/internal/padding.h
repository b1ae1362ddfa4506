// Output size and padding of windowed ops (convolutions, transposed convolutions, pooling),
// defined as TensorFlow's GetWindowedOutputSize and TFLite's ComputePaddingHeightWidth define them.
// Everything is computed in 64 bits so that plan() can refuse sizes that do not fit the 32-bit
// index arithmetic of the kernels instead of overflowing.
#pragma once

#include <cstdint>

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

}  // namespace kernels
}  // namespace mote
