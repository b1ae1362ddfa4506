// Trains the phase net with LibTorch on windows from WindowSampler. The interface is free of
// LibTorch: weights come back as plain vectors, and the network's own outputs on a few windows
// come back too, so that the export can be checked against them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "apps/seismic/phase.h"
#include "tools/data/seismic_dataset.h"
#include "tools/data/training_windows.h"
#include "tools/train/balanced_batches.h"
#include "tools/train/phase_net_spec.h"

namespace mote::tools {

// The sampler's settings for training: a P or S label when the onset lies in the newest 30
// samples (three of the node's hops: a wider, surer peak for the picker, which refines it), and
// more pre-event noise among the draws than WindowConfig's defaults.
WindowConfig training_window_config();

struct TrainOptions {
  PhaseNetSpec spec;
  WindowConfig windows = training_window_config();
  AugmentConfig augment;
  std::size_t steps = 4000;
  std::size_t batch = 48;
  std::array<double, seismic::kNumPhases> class_shares = {3.0, 1.0, 1.0};  // noise, P, S
  double learning_rate = 2e-3;                                             // Adam, cosine decay ...
  double final_learning_rate = 5e-5;  // ... to this at the last step
  double weight_decay = 0.05;         // AdamW's decoupled weight decay
  std::uint64_t seed = 1;             // torch::manual_seed and the samplers' seeds
  int threads = 1;  // torch::set_num_threads (2 ran 8x slower on a busy 2-core machine)
  std::size_t validation_windows = 600;
  std::size_t check_windows = 8;  // windows on which the network's probabilities are returned
};

// Per-class results on labelled windows: confusion[true][predicted].
struct ClassScores {
  std::array<std::array<std::size_t, seismic::kNumPhases>, seismic::kNumPhases> confusion{};

  std::size_t windows(seismic::Phase c) const;
  // Share of class `c`'s windows predicted as `c` (NaN when there are none).
  double accuracy(seismic::Phase c) const;
  // Share of all windows predicted right.
  double overall() const;
  void add(seismic::Phase truth, seismic::Phase predicted);
};

// Argmax class of each row of `probabilities` [n][3] scored against `labels`.
ClassScores score_classes(const std::vector<float>& probabilities,
                          const std::vector<std::int64_t>& labels);

struct TrainResult {
  PhaseNetWeights weights;
  std::vector<float> losses;                    // mean cross-entropy of every step's batch
  WindowBatch validation;                       // balanced, without augmentation
  std::vector<float> validation_probabilities;  // the network's, [n][3]
  ClassScores validation_scores;
  WindowBatch check;                       // the first check_windows validation windows
  std::vector<float> check_probabilities;  // the network's, [n][3]
  std::size_t windows_drawn = 0;
  double seconds = 0.0;
};

// Reports step `step` of `steps` with the mean loss of the recent steps.
using TrainProgress = std::function<void(std::size_t step, std::size_t steps, float loss)>;

// Trains on windows of `train_traces` (augmented, class-balanced) and validates on balanced,
// unaugmented windows of `validation_traces` (of `train_traces` when that is empty). Throws
// std::invalid_argument on bad options, std::runtime_error when the data cannot give windows.
TrainResult train_phase_net(const SeismicDataset& data,
                            const std::vector<std::size_t>& train_traces,
                            const std::vector<std::size_t>& validation_traces,
                            const TrainOptions& options, const TrainProgress& progress = {});

}  // namespace mote::tools
