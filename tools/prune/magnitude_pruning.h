// Unstructured (magnitude) pruning: the weights of CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED closest to zero become zero, to a target share per layer or over the whole
// model. Int8 weights that end up smaller in TFLite's sparse storage than dense are marked to be
// written sparse when their kernel runs sparse weights (int8 FULLY_CONNECTED and CONV_2D).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

enum class SparsityScope { kPerLayer, kGlobal };

struct MagnitudeOptions {
  double sparsity = 0.5;  // share of the weights to zero, in [0, 1]
  SparsityScope scope = SparsityScope::kPerLayer;
  bool store_sparse = true;  // mark weights for sparse storage where that is smaller
};

struct MagnitudeLayer {
  std::size_t op = 0;
  std::string op_name;
  std::string weights;
  std::size_t elements = 0;
  std::size_t zeros_before = 0;
  std::size_t zeros_after = 0;
  bool stored_sparse = false;
};

// Prunes `graph` in place; one row per weight tensor pruned. Throws on a sparsity outside [0, 1]
// or when the model has no prunable weights.
std::vector<MagnitudeLayer> prune_magnitude(Graph& graph, const MagnitudeOptions& options);

// Where `t` (int8, written in row form) is smaller sparse than dense.
bool sparse_storage_pays(const GraphTensor& t);

}  // namespace mote::tools
