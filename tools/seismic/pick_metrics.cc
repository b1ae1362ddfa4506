#include "tools/seismic/pick_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mote::tools {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::size_t num, std::size_t den) {
  return den == 0 ? kNaN : static_cast<double>(num) / static_cast<double>(den);
}

PhaseScores score_phase(seismic::Phase phase, std::span<const TruePicks> truth,
                        std::span<const TraceDetections> detections, double rate,
                        const std::vector<double>& tolerances) {
  PhaseScores out;
  out.at.resize(tolerances.size());
  const double largest = *std::max_element(tolerances.begin(), tolerances.end());
  const double smallest = *std::min_element(tolerances.begin(), tolerances.end());
  std::vector<double> residuals;
  std::size_t within_smallest = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const std::int64_t true_index = phase == seismic::Phase::kP ? truth[i].p : truth[i].s;
    double best = std::numeric_limits<double>::infinity();
    bool any = false;
    for (const seismic::Pick& pick : detections[i].picks) {
      if (pick.phase != phase) continue;
      ++out.predicted;
      if (true_index < 0) continue;
      const double residual = (pick.sample - static_cast<double>(true_index)) / rate;
      if (!any || std::fabs(residual) < std::fabs(best)) best = residual;
      any = true;
    }
    if (true_index < 0) continue;
    ++out.true_picks;
    if (!any) continue;
    for (std::size_t k = 0; k < tolerances.size(); ++k) {
      if (std::fabs(best) <= tolerances[k]) ++out.at[k].matched;
    }
    if (std::fabs(best) <= largest) {
      residuals.push_back(best);
      if (std::fabs(best) <= smallest) ++within_smallest;
    }
  }
  for (std::size_t k = 0; k < tolerances.size(); ++k) {
    ToleranceScores& t = out.at[k];
    t.tolerance_s = tolerances[k];
    t.precision = ratio(t.matched, out.predicted);
    t.recall = ratio(t.matched, out.true_picks);
    t.f1 = (std::isnan(t.precision) || std::isnan(t.recall))
               ? kNaN
               : (t.precision + t.recall > 0.0
                      ? 2.0 * t.precision * t.recall / (t.precision + t.recall)
                      : 0.0);
  }
  out.residual_count = residuals.size();
  if (residuals.empty()) {
    out.residual_mean_s = out.residual_std_s = out.within_smallest = kNaN;
  } else {
    double sum = 0.0;
    for (double r : residuals) sum += r;
    out.residual_mean_s = sum / static_cast<double>(residuals.size());
    double squares = 0.0;
    for (double r : residuals) squares += (r - out.residual_mean_s) * (r - out.residual_mean_s);
    out.residual_std_s =
        residuals.size() > 1 ? std::sqrt(squares / static_cast<double>(residuals.size() - 1)) : 0.0;
    out.within_smallest = ratio(within_smallest, residuals.size());
  }
  return out;
}

}  // namespace

DetectionScores score_detections(std::span<const TruePicks> truth,
                                 std::span<const TraceDetections> detections, double sample_rate_hz,
                                 const std::vector<double>& tolerances_s) {
  if (truth.size() != detections.size()) {
    throw std::runtime_error(fmt::format("scoring: {} traces of truth, {} of detections",
                                         truth.size(), detections.size()));
  }
  if (tolerances_s.empty()) throw std::runtime_error("scoring: no tolerances");
  for (double t : tolerances_s) {
    if (!(t > 0.0)) throw std::runtime_error(fmt::format("scoring: tolerance {} s", t));
  }
  if (!(sample_rate_hz > 0.0)) throw std::runtime_error("scoring: sample rate must be positive");
  DetectionScores out;
  out.p = score_phase(seismic::Phase::kP, truth, detections, sample_rate_hz, tolerances_s);
  out.s = score_phase(seismic::Phase::kS, truth, detections, sample_rate_hz, tolerances_s);
  const double guard = *std::max_element(tolerances_s.begin(), tolerances_s.end()) * sample_rate_hz;
  double noise_samples = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const TraceDetections& d = detections[i];
    double end = static_cast<double>(d.samples);
    if (truth[i].p >= 0)
      end = static_cast<double>(truth[i].p) - guard;
    else if (truth[i].s >= 0)
      end = static_cast<double>(truth[i].s) - guard;
    const auto start = static_cast<double>(d.armed_from);
    if (end <= start) continue;
    noise_samples += end - start;
    for (const seismic::Pick& pick : d.picks) {
      if (pick.sample >= start && pick.sample < end) ++out.false_triggers;
    }
  }
  out.noise_hours = noise_samples / sample_rate_hz / 3600.0;
  out.false_triggers_per_hour =
      out.noise_hours > 0.0 ? static_cast<double>(out.false_triggers) / out.noise_hours : kNaN;
  return out;
}

}  // namespace mote::tools
