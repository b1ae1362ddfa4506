#include "tools/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace mote::tools {

std::size_t argmax(std::span<const float> values) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> positive) {
  if (scores.size() != positive.size()) throw std::invalid_argument("scores and labels differ");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Average ranks (1-based) over runs of equal scores.
  double positive_rank_sum = 0.0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (positive[order[k]]) {
        positive_rank_sum += rank;
        ++positives;
      }
    }
    i = j;
  }
  const std::size_t negatives = scores.size() - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1.0) / 2.0) / (p * static_cast<double>(negatives));
}

void SqnrAccumulator::add(float reference, float candidate) {
  const double r = reference;
  const double e = r - static_cast<double>(candidate);
  signal_ += r * r;
  noise_ += e * e;
  sum_abs_ += std::abs(e);
  max_abs_ = std::max(max_abs_, std::abs(e));
  ++count_;
}

void SqnrAccumulator::add(std::span<const float> reference, std::span<const float> candidate) {
  if (reference.size() != candidate.size()) {
    throw std::invalid_argument("reference and candidate hold different numbers of values");
  }
  for (std::size_t i = 0; i < reference.size(); ++i) add(reference[i], candidate[i]);
}

double SqnrAccumulator::sqnr_db() const {
  if (noise_ == 0.0) return std::numeric_limits<double>::infinity();
  if (signal_ == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal_ / noise_);
}

}  // namespace mote::tools
