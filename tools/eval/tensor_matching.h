// Pairs the activations of a quantized model with the float model's tensors they stand for: by
// name first (mote's quantizer and TensorFlow's converter keep names; an interface copy carries
// an _int8/_int16 suffix), then by position when both models run the same ops in the same order
// (QUANTIZE/DEQUANTIZE edge ops aside).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

struct TensorMatch {
  std::int32_t reference = -1;  // float tensor of the reference graph
  std::int32_t candidate = -1;  // integer (quantized) tensor of the candidate graph
  bool by_name = true;          // else by op position
};

// Every quantized activation of `candidate` (int8/int16 with parameters, not constant) that
// stands for a float activation of `reference`, in the candidate's tensor order.
std::vector<TensorMatch> match_tensors(const Graph& reference, const Graph& candidate);

}  // namespace mote::tools
