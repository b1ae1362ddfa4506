// Structured pruning: whole output channels of CONV_2D and FULLY_CONNECTED layers go, those with
// the smallest L1 norm, and the graph is rewritten smaller — the layer's filters, bias and
// per-channel quantization, every tensor the channels flow through (activations, pooling,
// padding, reshapes, DEPTHWISE_CONV_2D with multiplier 1 and its weights), and the matching
// input channels of the CONV_2D / FULLY_CONNECTED layers that consume them. A layer whose
// channels reach anything that cannot drop them consistently (an ADD or CONCATENATION joining
// them with other channels, a model output, ...) is left whole, with the reason.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

struct ChannelLayer {
  std::size_t op = 0;
  std::string op_name;
  std::string output;  // the layer's output tensor
  std::size_t channels_before = 0;
  std::size_t channels_after = 0;
  std::string skipped;  // why the layer kept all its channels; empty when pruned
};

// Removes floor(fraction × channels) channels (at least one kept) from every layer that can lose
// them; one row per CONV_2D / FULLY_CONNECTED layer. Throws on a fraction outside [0, 1).
std::vector<ChannelLayer> prune_channels(Graph& graph, double fraction);

}  // namespace mote::tools
