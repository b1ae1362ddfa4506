// Where a pooling window lands along one spatial axis: the output size and the implicit padding
// before the first input cell, as TFLite derives them for SAME and VALID padding (pooling has no
// dilation). Padding cells are never read: pooling kernels clip each window to the input.
#pragma once

#include <cstdint>
#include <limits>

#include "runtime/schema/tflite_subset_generated.h"

namespace mote {
namespace kernels {

struct PoolAxis {
  int32_t out_size = 0;
  int32_t padding = 0;  // cells of implicit padding before the first input cell
};

// Fills `axis` for `in_size` input cells, windows of `filter` cells moved by `stride`; false when
// an argument is invalid (filter or stride below 1, negative size, unknown padding) or VALID
// padding would give a negative output size.
inline bool pool_axis_geometry(tflite::Padding padding, int32_t in_size, int32_t filter,
                               int32_t stride, PoolAxis* axis) {
  if (in_size < 0 || filter < 1 || stride < 1) return false;
  int64_t out = 0;
  switch (padding) {
    case tflite::Padding::SAME:
      out = (int64_t{in_size} + stride - 1) / stride;
      break;
    case tflite::Padding::VALID:
      // Division truncates towards zero, so a slightly negative numerator gives an empty output
      // as in TFLite; only a negative quotient is refused.
      out = (int64_t{in_size} + stride - filter) / stride;
      break;
    default:
      return false;
  }
  if (out < 0 || out > std::numeric_limits<int32_t>::max()) return false;
  // TFLite pads by half the overhang, rounding down: an odd overhang puts the extra cell after
  // the input.
  const int64_t total_padding = (out - 1) * stride + filter - in_size;
  const int64_t padding_before = total_padding > 0 ? total_padding / 2 : 0;
  axis->out_size = static_cast<int32_t>(out);
  axis->padding = static_cast<int32_t>(padding_before);
  return true;
}

}  // namespace kernels
}  // namespace mote
