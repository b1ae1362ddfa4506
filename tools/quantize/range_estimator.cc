#include "tools/quantize/range_estimator.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mote::tools {
namespace {

// Candidate ends per side for the MSE search (fractions 1/K .. K/K of the observed extreme).
constexpr int kMseSteps = 200;
constexpr int kMseRounds = 3;

QuantParams params_for(RealRange range, TensorType type) {
  return type == TensorType::INT16 ? symmetric_params(range, 32767)
                                   : asymmetric_params(range, -128, 127);
}

}  // namespace

const char* range_method_name(RangeMethod method) {
  switch (method) {
    case RangeMethod::kMinMax:
      return "minmax";
    case RangeMethod::kPercentile:
      return "percentile";
    case RangeMethod::kMse:
      return "mse";
  }
  return "?";
}

RangeMethod parse_range_method(const std::string& name) {
  if (name == "minmax") return RangeMethod::kMinMax;
  if (name == "percentile") return RangeMethod::kPercentile;
  if (name == "mse") return RangeMethod::kMse;
  throw std::runtime_error("unknown calibration method '" + name +
                           "': use minmax, percentile or mse");
}

void TensorStats::observe_range(std::span<const float> values) {
  for (float v : values) {
    if (count_ == 0) {
      min_ = max_ = v;
    } else {
      min_ = std::min(min_, v);
      max_ = std::max(max_, v);
    }
    ++count_;
  }
}

void TensorStats::start_histogram(std::size_t bins) {
  if (bins < 2) throw std::invalid_argument("a histogram needs at least 2 bins");
  histogram_.assign(bins, 0);
}

void TensorStats::observe_histogram(std::span<const float> values) {
  if (histogram_.empty()) throw std::logic_error("observe_histogram before start_histogram");
  const double width = static_cast<double>(max_) - static_cast<double>(min_);
  const std::size_t last = histogram_.size() - 1;
  for (float v : values) {
    std::size_t b = 0;
    if (width > 0.0) {
      const double position =
          (static_cast<double>(v) - min_) / width * static_cast<double>(last + 1);
      b = position <= 0.0 ? 0 : std::min(last, static_cast<std::size_t>(position));
    }
    ++histogram_[b];
  }
}

float TensorStats::bin_center(std::size_t b) const {
  const double width = (static_cast<double>(max_) - min_) / static_cast<double>(histogram_.size());
  return static_cast<float>(min_ + (static_cast<double>(b) + 0.5) * width);
}

RealRange TensorStats::choose(const RangeOptions& options, TensorType type) const {
  if (count_ == 0) return {};
  if (options.method == RangeMethod::kMinMax || histogram_.empty() || max_ <= min_) {
    return {min_, max_};
  }
  if (options.method == RangeMethod::kPercentile) return percentile_range(options.percentile);
  return mse_range(type);
}

RealRange TensorStats::percentile_range(double percentile) const {
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    throw std::runtime_error("percentile must be in (50, 100], got " + std::to_string(percentile));
  }
  std::uint64_t total = 0;
  for (std::uint64_t c : histogram_) total += c;
  const double width = (static_cast<double>(max_) - min_) / static_cast<double>(histogram_.size());
  // The value below which `share` of the values lie, interpolated inside its bin.
  auto quantile = [&](double share) {
    const double target = share * static_cast<double>(total);
    double below = 0.0;
    for (std::size_t b = 0; b < histogram_.size(); ++b) {
      const double c = static_cast<double>(histogram_[b]);
      if (below + c >= target && c > 0.0) {
        const double within = (target - below) / c;
        return static_cast<float>(min_ + (static_cast<double>(b) + within) * width);
      }
      below += c;
    }
    return max_;
  };
  const double tail = (100.0 - percentile) / 100.0;
  RealRange range{quantile(tail), quantile(1.0 - tail)};
  range.min = std::max(range.min, min_);
  range.max = std::min(range.max, max_);
  return range;
}

RealRange TensorStats::mse_range(TensorType type) const {
  std::vector<float> centers(histogram_.size());
  for (std::size_t b = 0; b < centers.size(); ++b) centers[b] = bin_center(b);
  auto error = [&](RealRange r) {
    return expected_quantization_error(centers, histogram_, params_for(r, type), type);
  };
  const float lo_extreme = std::min(min_, 0.0f);
  const float hi_extreme = std::max(max_, 0.0f);
  RealRange best{lo_extreme, hi_extreme};
  double best_error = error(best);
  if (type == TensorType::INT16) {
    // Symmetric: one extent to choose.
    const float extent = std::max(-lo_extreme, hi_extreme);
    for (int k = 1; k <= kMseSteps; ++k) {
      const float e = extent * static_cast<float>(k) / kMseSteps;
      const RealRange r{-e, e};
      const double err = error(r);
      if (err < best_error) {
        best_error = err;
        best = r;
      }
    }
    return best;
  }
  // Asymmetric: each end in turn, holding the other, a few rounds.
  for (int round = 0; round < kMseRounds; ++round) {
    const RealRange start = best;
    for (int side = 0; side < 2; ++side) {
      const float extreme = side == 0 ? hi_extreme : lo_extreme;
      if (extreme == 0.0f) continue;
      for (int k = 1; k <= kMseSteps; ++k) {
        RealRange r = best;
        (side == 0 ? r.max : r.min) = extreme * static_cast<float>(k) / kMseSteps;
        const double err = error(r);
        if (err < best_error) {
          best_error = err;
          best = r;
        }
      }
    }
    if (best.min == start.min && best.max == start.max) break;
  }
  return best;
}

double expected_quantization_error(std::span<const float> centers,
                                   std::span<const std::uint64_t> counts, const QuantParams& params,
                                   TensorType type) {
  const double scale = params.scale.at(0);
  if (!(scale > 0.0)) return INFINITY;
  std::int64_t qmin = 0, qmax = 0;
  integer_limits(type, &qmin, &qmax);
  const double zero_point = static_cast<double>(params.zero_point.at(0));
  const double low = (static_cast<double>(qmin) - zero_point) * scale;
  const double high = (static_cast<double>(qmax) - zero_point) * scale;
  const double rounding = scale * scale / 12.0;
  double total = 0.0;
  for (std::size_t b = 0; b < centers.size(); ++b) {
    if (counts[b] == 0) continue;
    const double v = centers[b];
    double e = rounding;
    if (v < low) e = (low - v) * (low - v);
    if (v > high) e = (v - high) * (v - high);
    total += e * static_cast<double>(counts[b]);
  }
  return total;
}

}  // namespace mote::tools
