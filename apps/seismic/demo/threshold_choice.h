// The picker's trigger level for a phase model, chosen on the validation stations of the training
// side (never on the held-out stations the demo scores): the streaming detector runs over their
// recordings at each candidate level and the level with the best P F1 + S F1 at 0.5 s wins.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "tools/data/seismic_dataset.h"

namespace mote::seismic::demo {

struct ThresholdTrial {
  float threshold = 0;
  double p_f1 = 0;  // at 0.5 s
  double s_f1 = 0;
  double p_recall = 0;
  double false_triggers_per_hour = 0;
};

struct ThresholdChoice {
  float threshold = 0;
  std::size_t traces = 0;  // validation recordings it was chosen on
  std::vector<ThresholdTrial> trials;
};

// The levels tried: 0.5 to 0.95 in steps of 0.05.
std::vector<float> default_threshold_candidates();

// Runs `model` over `traces` of `data` at each of `candidates` and keeps the best; ties go to the
// higher level (fewer false triggers). Throws std::invalid_argument without traces or candidates.
ThresholdChoice choose_threshold(const tools::SeismicDataset& data,
                                 const std::vector<std::size_t>& traces,
                                 const std::filesystem::path& model,
                                 const std::vector<float>& candidates);

}  // namespace mote::seismic::demo
