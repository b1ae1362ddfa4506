// Class-balanced batches from a WindowSampler. The sampler's kinds (P, S, noise, coda) are not
// its labels' classes: a P-kind window has the onset in its newest hop only a third of the time
// (time-shift augmentation puts it just before or after), so most windows are labelled noise.
// Windows are sorted into one pool per class as they are drawn and each batch takes its share of
// every class from the pools, drawing more until each share is met.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "apps/seismic/phase.h"
#include "tools/data/training_windows.h"

namespace mote::tools {

// Windows with their labels, flattened: features[n * W * 3 ...], labels[n].
struct WindowBatch {
  std::size_t count = 0;
  std::vector<float> features;
  std::vector<std::int64_t> labels;  // seismic::Phase as an integer

  void append(const TrainingWindow& window);
};

class BalancedBatches {
 public:
  // `shares` of noise, P and S in every batch (normalised; each must be > 0). Each pool keeps at
  // most `pool_capacity` windows; surplus draws of a frequent class are dropped.
  BalancedBatches(WindowSampler& sampler, std::array<double, seismic::kNumPhases> shares,
                  std::size_t pool_capacity = 256);

  // The next batch of `size` windows: per class round(share × size) by largest remainder, classes
  // in turn (noise, P, S, noise, ...). Throws when a class does not turn up in 100000 draws.
  WindowBatch next(std::size_t size);

  // Windows drawn from the sampler so far (used or dropped).
  std::size_t drawn() const { return drawn_; }

 private:
  WindowSampler& sampler_;
  std::array<double, seismic::kNumPhases> shares_;
  std::size_t capacity_;
  std::array<std::deque<TrainingWindow>, seismic::kNumPhases> pools_;
  std::size_t drawn_ = 0;
};

// `count` windows as the sampler draws them (no balancing), e.g. for calibration or validation.
WindowBatch draw_windows(WindowSampler& sampler, std::size_t count);

}  // namespace mote::tools
