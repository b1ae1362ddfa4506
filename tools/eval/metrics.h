// Figures that compare a candidate model with a reference: classification accuracy, ROC AUC of
// anomaly scores, and error statistics of real-valued outputs (SQNR in dB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mote::tools {

// Index of the largest value (the first on ties); 0 for an empty span.
std::size_t argmax(std::span<const float> values);

// Area under the ROC curve of `scores` for `positive` labels (non-zero: positive) (higher score =
// more likely positive), ties counted half, as the Mann-Whitney U statistic. NaN without both
// classes.
double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> positive);

// Signal-to-quantization-noise ratio 10·log10(Σ ref² / Σ (ref - x)²) in dB, accumulated over any
// number of value pairs; +inf when the values agree exactly.
class SqnrAccumulator {
 public:
  void add(std::span<const float> reference, std::span<const float> candidate);
  void add(float reference, float candidate);
  double sqnr_db() const;
  double max_abs_error() const { return max_abs_; }
  double mean_abs_error() const {
    return count_ == 0 ? 0.0 : sum_abs_ / static_cast<double>(count_);
  }
  std::uint64_t count() const { return count_; }

 private:
  double signal_ = 0.0;
  double noise_ = 0.0;
  double sum_abs_ = 0.0;
  double max_abs_ = 0.0;
  std::uint64_t count_ = 0;
};

}  // namespace mote::tools
