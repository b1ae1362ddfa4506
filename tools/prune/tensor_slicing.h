// Removing slices of a constant tensor along one axis: what structured pruning does to filters,
// biases and weight matrices.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

// Keeps the indices `i` of axis `axis` of `t` where keep[i] (keep.size() == shape[axis]), for
// constant data and shape alike; per-channel quantization along that axis keeps its matching
// scales and zero points. Throws when the sizes disagree.
void keep_along_axis(GraphTensor& t, int axis, const std::vector<bool>& keep);

// Sum of |value| (dequantized with the channel's scale for quantized tensors) of every slice of
// `t` along axis `axis`: the L1 norm of each output channel of a filter.
std::vector<double> l1_norms(const GraphTensor& t, int axis);

// The real value of element `i` of constant `t` (dequantized with its channel's scale; float32
// as is). Supports float32, int8, int16 and int32.
double real_value(const GraphTensor& t, std::size_t i);

}  // namespace mote::tools
