// What a model costs on the device, read from the model exactly as the runtime will hold it:
// the figures `mote prune` compares before and after.
#pragma once

#include <cstdint>

#include "tools/graph/graph.h"

namespace mote::tools {

struct ModelFigures {
  std::uint64_t parameters = 0;       // constant elements (sparse: stored values)
  std::uint64_t nonzero_weights = 0;  // non-zero elements of layer weights (input 1 of MAC ops)
  std::uint64_t weight_elements = 0;  // all elements of those weights
  std::uint64_t macs = 0;             // multiply-accumulates executed per invoke
  std::uint64_t file_bytes = 0;       // the .tflite file
  std::uint64_t weight_bytes = 0;     // constant bytes the runtime reads (with sparse indices)
  std::uint64_t arena_bytes = 0;      // the exact arena
};

// Writes `graph` as the runtime reads it and measures it. Throws when the runtime refuses it.
ModelFigures model_figures(const Graph& graph);

}  // namespace mote::tools
