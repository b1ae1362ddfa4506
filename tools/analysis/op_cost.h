// Multiply-accumulates an op performs per invoke, from the shapes in the model. Only ops built on
// multiply-accumulate count (convolutions, fully connected, recurrent cells); element-wise ops,
// pooling and data movement count as 0. Sparse weights count only their stored values.
#pragma once

#include <cstdint>

#include "runtime/model/model.h"

namespace mote::tools {

// MACs of op `op_index` of a verified model.
std::uint64_t op_macs(const Model& model, std::uint32_t op_index);

// Sum of op_macs over all ops.
std::uint64_t model_macs(const Model& model);

// Elements and bytes of all constant tensors (weights, biases, tables); a sparse tensor counts its
// stored values, and its bytes include its index vectors.
struct WeightTotals {
  std::uint64_t parameters = 0;
  std::uint64_t bytes = 0;
};
WeightTotals weight_totals(const Model& model);

}  // namespace mote::tools
