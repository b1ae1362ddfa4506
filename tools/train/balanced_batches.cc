#include "tools/train/balanced_batches.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mote::tools {

void WindowBatch::append(const TrainingWindow& window) {
  features.insert(features.end(), window.features.begin(), window.features.end());
  labels.push_back(static_cast<std::int64_t>(window.label));
  ++count;
}

BalancedBatches::BalancedBatches(WindowSampler& sampler,
                                 std::array<double, seismic::kNumPhases> shares,
                                 std::size_t pool_capacity)
    : sampler_(sampler), shares_(shares), capacity_(std::max<std::size_t>(pool_capacity, 1)) {
  double total = 0.0;
  for (double s : shares_) {
    if (!(s > 0.0)) throw std::invalid_argument("balanced batches: every class share must be > 0");
    total += s;
  }
  for (double& s : shares_) s /= total;
}

WindowBatch BalancedBatches::next(std::size_t size) {
  // Largest-remainder rounding so that the counts add up to `size`.
  std::array<std::size_t, seismic::kNumPhases> want{};
  std::array<double, seismic::kNumPhases> remainder{};
  std::size_t given = 0;
  for (int c = 0; c < seismic::kNumPhases; ++c) {
    const double exact = shares_[c] * static_cast<double>(size);
    want[c] = static_cast<std::size_t>(std::floor(exact));
    remainder[c] = exact - std::floor(exact);
    given += want[c];
  }
  while (given < size) {
    const auto c = static_cast<std::size_t>(std::max_element(remainder.begin(), remainder.end()) -
                                            remainder.begin());
    ++want[c];
    remainder[c] = -1.0;
    ++given;
  }

  for (int c = 0; c < seismic::kNumPhases; ++c) {
    std::size_t misses = 0;
    while (pools_[c].size() < want[c]) {
      TrainingWindow w = sampler_.next();
      ++drawn_;
      const auto label = static_cast<std::size_t>(w.label);
      if (label != static_cast<std::size_t>(c) && ++misses > 100000) {
        throw std::runtime_error(std::string("balanced batches: no ") +
                                 seismic::phase_name(static_cast<seismic::Phase>(c)) +
                                 " window in 100000 draws");
      }
      if (pools_[label].size() < std::max(capacity_, want[label])) {
        pools_[label].push_back(std::move(w));
      }
    }
  }

  WindowBatch batch;
  batch.features.reserve(size * sampler_.config().window_samples * 3);
  std::array<std::size_t, seismic::kNumPhases> taken{};
  while (batch.count < size) {
    for (int c = 0; c < seismic::kNumPhases; ++c) {
      if (taken[c] == want[c]) continue;
      batch.append(pools_[c].front());
      pools_[c].pop_front();
      ++taken[c];
    }
  }
  return batch;
}

WindowBatch draw_windows(WindowSampler& sampler, std::size_t count) {
  WindowBatch batch;
  batch.features.reserve(count * sampler.config().window_samples * 3);
  for (std::size_t i = 0; i < count; ++i) batch.append(sampler.next());
  return batch;
}

}  // namespace mote::tools
