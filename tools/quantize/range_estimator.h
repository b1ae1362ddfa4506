// Per-tensor statistics of calibration values and the range each method chooses from them:
// min/max, a percentile of the histogram, or the range that minimises the expected squared
// quantization error over the histogram.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/core/tensor_type.h"
#include "tools/quantize/quant_params.h"

namespace mote::tools {

enum class RangeMethod { kMinMax, kPercentile, kMse };

// "minmax", "percentile", "mse".
const char* range_method_name(RangeMethod method);
// Parses a method name; throws listing the valid names.
RangeMethod parse_range_method(const std::string& name);

struct RangeOptions {
  RangeMethod method = RangeMethod::kMinMax;
  double percentile = 99.99;  // kPercentile: keep this share (in %) of values at each end
  std::size_t bins = 2048;    // histogram bins between the observed min and max
};

// Statistics of one tensor's values over a calibration set. Min/max come from a first pass; the
// histogram methods need a second pass over the same data (start_histogram, then observe again).
class TensorStats {
 public:
  // First pass: widens the observed range.
  void observe_range(std::span<const float> values);
  // Fixes the histogram's bins over the observed range.
  void start_histogram(std::size_t bins);
  // Second pass: counts values into the histogram (values outside the range go to the end bins).
  void observe_histogram(std::span<const float> values);

  bool empty() const { return count_ == 0; }
  float min() const { return min_; }
  float max() const { return max_; }
  std::uint64_t count() const { return count_; }
  const std::vector<std::uint64_t>& histogram() const { return histogram_; }

  // The range `options.method` chooses for a tensor quantized to `type` (int8 asymmetric or
  // int16 symmetric); min/max when no histogram was collected.
  RealRange choose(const RangeOptions& options, TensorType type) const;

 private:
  RealRange percentile_range(double percentile) const;
  RealRange mse_range(TensorType type) const;
  float bin_center(std::size_t b) const;

  float min_ = 0.0f;
  float max_ = 0.0f;
  std::uint64_t count_ = 0;
  std::vector<std::uint64_t> histogram_;
};

// Expected squared error of quantizing a histogram (bin centers `centers`, counts `counts`) with
// `params` into `type`: scale²/12 for values inside the representable range, the squared distance
// to its nearest end outside it.
double expected_quantization_error(std::span<const float> centers,
                                   std::span<const std::uint64_t> counts, const QuantParams& params,
                                   TensorType type);

}  // namespace mote::tools
