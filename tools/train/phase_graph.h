// The trained phase net as a float graph in the tools' IR, ready to be written as a .tflite that
// satisfies the model contract of apps/seismic/model_source.h: input [1, 1, W, 3] float32 (NHWC,
// height 1), output [1, 3] softmax probabilities of noise, P and S.
#pragma once

#include "tools/graph/graph.h"
#include "tools/train/phase_net_spec.h"

namespace mote::tools {

// CONV_2D (height 1, VALID, fused ReLU, weights [out, 1, k, in]) per convolution, RESHAPE to
// [1, features], FULLY_CONNECTED (ReLU on hidden layers), SOFTMAX. Throws on inconsistent weights.
Graph phase_net_graph(const PhaseNetWeights& weights);

}  // namespace mote::tools
