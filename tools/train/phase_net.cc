#include "tools/train/phase_net.h"

#include <string>

namespace mote::tools {
namespace {

std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

PhaseNetImpl::PhaseNetImpl(const PhaseNetSpec& spec) : spec_(spec) {
  conv_output_lengths(spec_);
  int channels = spec_.in_channels;
  for (std::size_t i = 0; i < spec_.convs.size(); ++i) {
    const ConvLayerSpec& c = spec_.convs[i];
    convs_.push_back(register_module(
        "conv" + std::to_string(i + 1),
        torch::nn::Conv1d(torch::nn::Conv1dOptions(channels, c.out_channels, c.kernel)
                              .stride(c.stride)
                              .padding(0))));
    channels = c.out_channels;
  }
  int features = flattened_features(spec_);
  for (std::size_t i = 0; i <= spec_.hidden.size(); ++i) {
    const int out = i < spec_.hidden.size() ? spec_.hidden[i] : spec_.classes;
    const std::string name = i < spec_.hidden.size() ? "dense" + std::to_string(i + 1) : "logits";
    dense_.push_back(register_module(name, torch::nn::Linear(features, out)));
    features = out;
  }
}

torch::Tensor PhaseNetImpl::forward(torch::Tensor windows) {
  // [B, W, C] -> [B, C, W] for Conv1d; back to time-major before the flatten so that the
  // feature order is the NHWC order of the exported RESHAPE.
  torch::Tensor x = windows.permute({0, 2, 1});
  for (auto& conv : convs_) x = torch::relu(conv->forward(x));
  x = x.permute({0, 2, 1}).reshape({x.size(0), -1});
  for (std::size_t i = 0; i < dense_.size(); ++i) {
    // Dropout only while training (is_training()); the exported graph is the eval-mode network.
    if (spec_.dropout > 0.0) x = torch::dropout(x, spec_.dropout, is_training());
    x = dense_[i]->forward(x);
    if (i + 1 < dense_.size()) x = torch::relu(x);
  }
  return x;
}

PhaseNetWeights PhaseNetImpl::weights() const {
  PhaseNetWeights w;
  w.spec = spec_;
  int channels = spec_.in_channels;
  for (std::size_t i = 0; i < convs_.size(); ++i) {
    ConvWeights c;
    c.layer = spec_.convs[i];
    c.in_channels = channels;
    c.weights = values(convs_[i]->weight);
    c.bias = values(convs_[i]->bias);
    w.convs.push_back(std::move(c));
    channels = spec_.convs[i].out_channels;
  }
  for (const auto& layer : dense_) {
    DenseWeights d;
    d.in_features = static_cast<int>(layer->weight.size(1));
    d.out_features = static_cast<int>(layer->weight.size(0));
    d.weights = values(layer->weight);
    d.bias = values(layer->bias);
    w.dense.push_back(std::move(d));
  }
  check_weights(w);
  return w;
}

}  // namespace mote::tools
