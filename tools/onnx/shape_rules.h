// ONNX's shape rules, shared by the converters and the constant folder. Each throws
// std::runtime_error naming the problem (the importer adds the node).
#pragma once

#include <cstdint>
#include <vector>

#include "tools/onnx/layout.h"

namespace mote::tools::onnx_import {

// `axis` in [-rank, rank) as an index in [0, rank).
std::int32_t normalize_axis(std::int64_t axis, std::size_t rank);
// NumPy broadcasting of two shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// Reshape's target: 0 copies the input's dimension (unless allowzero), -1 takes the rest.
Shape reshape_target(const Shape& input, const std::vector<std::int64_t>& spec, bool allowzero);
// Flatten to [prod(dims before axis), prod(dims from axis)].
Shape flatten_shape(const Shape& input, std::int64_t axis);
// Squeeze `axes` (all size-1 axes when empty).
Shape squeeze_shape(const Shape& input, const std::vector<std::int64_t>& axes);
// Unsqueeze: insert size-1 axes at `axes` of the output.
Shape unsqueeze_shape(const Shape& input, const std::vector<std::int64_t>& axes);
std::int64_t element_count(const Shape& shape);

}  // namespace mote::tools::onnx_import
