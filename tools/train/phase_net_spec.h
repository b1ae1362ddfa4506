// The phase detector's architecture and its trained weights, free of LibTorch so that the export
// to the graph IR, the CLI and the tests compile without it.
//
// The network maps a window [W][3] (newest sample last) to the probabilities of noise, P and S in
// the newest hop: a stack of 1-D convolutions over time (CONV_2D of height 1 in the .tflite),
// each VALID with a stride and ReLU, then the flattened features through dense layers to three
// logits and a softmax. Every convolution must end exactly on its input's last sample, so that
// the newest samples — where the label's onset lies — always reach the output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mote::tools {

struct ConvLayerSpec {
  int out_channels = 8;
  int kernel = 4;
  int stride = 2;
};

struct PhaseNetSpec {
  int window_samples = 400;
  int in_channels = 3;
  // Small on purpose: 111 training traces overfit wider nets (README: the experiments).
  std::vector<ConvLayerSpec> convs = {{6, 4, 2}, {8, 5, 2}, {8, 4, 2}, {12, 4, 2}};
  std::vector<int> hidden = {16};  // dense layers with ReLU between the flatten and the logits
  int classes = 3;
  double dropout = 0.5;  // training only: on the flattened features and hidden layers
};

// Parses convolutions written as "8x4x2,12x5x2" (channels x kernel x stride, in order) and hidden
// layers as "32" or "32,16" ("" or "none": no hidden layer); throws std::invalid_argument.
std::vector<ConvLayerSpec> parse_convs(const std::string& text);
std::vector<int> parse_hidden(const std::string& text);
// The inverse of parse_convs / parse_hidden.
std::string convs_text(const std::vector<ConvLayerSpec>& convs);
std::string hidden_text(const std::vector<int>& hidden);

// Output length of every convolution, in order. Throws std::invalid_argument when a layer is
// malformed or would drop its input's last samples ((length - kernel) not a multiple of stride).
std::vector<int> conv_output_lengths(const PhaseNetSpec& spec);

// Features after the flatten: last conv length × its channels (the window itself without convs).
int flattened_features(const PhaseNetSpec& spec);

// Multiply-accumulates per inference (convolutions and dense layers).
std::uint64_t phase_net_macs(const PhaseNetSpec& spec);

// Trainable parameters (weights and biases).
std::uint64_t phase_net_parameters(const PhaseNetSpec& spec);

// One convolution's weights in LibTorch's Conv1d layout: weights[out][in][kernel], bias[out].
struct ConvWeights {
  ConvLayerSpec layer;
  int in_channels = 0;
  std::vector<float> weights;
  std::vector<float> bias;
};

// One dense layer in LibTorch's Linear layout: weights[out][in], bias[out]. The flatten before
// the first dense layer is time-major (feature index = time × channels + channel), the order of
// an NHWC tensor [1, 1, L, C], so the weights need no permutation on export.
struct DenseWeights {
  int in_features = 0;
  int out_features = 0;
  std::vector<float> weights;
  std::vector<float> bias;
};

struct PhaseNetWeights {
  PhaseNetSpec spec;
  std::vector<ConvWeights> convs;
  std::vector<DenseWeights> dense;  // hidden layers, then the logits layer
};

// Throws std::invalid_argument when `weights` do not have the sizes `weights.spec` implies.
void check_weights(const PhaseNetWeights& weights);

}  // namespace mote::tools
