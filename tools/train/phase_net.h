// The phase net as a LibTorch module (include only where LibTorch is linked: tools/train).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "tools/train/phase_net_spec.h"

namespace mote::tools {

class PhaseNetImpl : public torch::nn::Module {
 public:
  // Builds the layers of `spec` (checked) with LibTorch's default initialisation.
  explicit PhaseNetImpl(const PhaseNetSpec& spec);

  // Windows [B, W, 3] (time-major, as the sampler and the .tflite hold them) to logits [B, 3].
  torch::Tensor forward(torch::Tensor windows);

  // The weights as plain vectors in LibTorch's layouts (for the export to the graph IR).
  PhaseNetWeights weights() const;

  const PhaseNetSpec& spec() const { return spec_; }

 private:
  PhaseNetSpec spec_;
  std::vector<torch::nn::Conv1d> convs_;
  std::vector<torch::nn::Linear> dense_;
};
TORCH_MODULE(PhaseNet);

}  // namespace mote::tools
