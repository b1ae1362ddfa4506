// Scores picks against analyst picks, as `mote seismic eval` reports them.
//
// Per trace and phase there is at most one true pick. A predicted pick of that phase matches it
// when it is the nearest one and lies within the tolerance (inclusive); every other predicted
// pick of the phase is a false positive. So, summed over traces, for each tolerance:
//   recall = matched / true picks,  precision = matched / predicted picks,
//   F1 = 2 P R / (P + R)            (NaN when a denominator is 0: printed "n/a", JSON null).
// Residuals (predicted - true, seconds; positive = late) are over the matches at the largest
// tolerance: their mean and sample standard deviation.
// False triggers: picks of any phase in the pre-event noise of a trace, which runs from the first
// sample the detector could pick (its warm-up) to the first true onset less the largest tolerance
// (so that a slightly early pick of P counts as a pick of P, not as noise); divided by the hours
// of that noise over all traces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "apps/seismic/picker.h"

namespace mote::tools {

struct TruePicks {
  std::int64_t p = -1;  // sample index, -1 when absent
  std::int64_t s = -1;
};

struct TraceDetections {
  std::vector<seismic::Pick> picks;
  std::int64_t armed_from = 0;  // first sample a pick could fall on
  std::int64_t samples = 0;     // length of the trace
};

struct ToleranceScores {
  double tolerance_s = 0.0;
  std::size_t matched = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

struct PhaseScores {
  std::size_t true_picks = 0;
  std::size_t predicted = 0;
  std::vector<ToleranceScores> at;  // one per tolerance, in the order asked
  std::size_t residual_count = 0;   // matches at the largest tolerance
  double residual_mean_s = 0.0;
  double residual_std_s = 0.0;
  // Share of the matches at the largest tolerance that also lie within the smallest.
  double within_smallest = 0.0;
};

struct DetectionScores {
  PhaseScores p;
  PhaseScores s;
  std::size_t false_triggers = 0;
  double noise_hours = 0.0;
  double false_triggers_per_hour = 0.0;
};

// The tolerances the issue asks for: 0.1 s and 0.5 s.
inline const std::vector<double> kDefaultTolerances = {0.1, 0.5};

// Scores `detections` against `truth` (one entry per trace each) at `sample_rate_hz`; throws
// when the lists differ in length or the tolerances are empty or not positive.
DetectionScores score_detections(std::span<const TruePicks> truth,
                                 std::span<const TraceDetections> detections, double sample_rate_hz,
                                 const std::vector<double>& tolerances_s = kDefaultTolerances);

}  // namespace mote::tools
