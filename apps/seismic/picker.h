// Turns score curves into picks: a trigger with an on and an off threshold per phase, a hold-off
// between picks of the same phase, and a pick time refined inside the hop.
//
// Per phase, frame by frame (a frame is one score at one stream position, see score_source.h):
//   idle      -> triggered  when the score reaches `on`, the phase is armed (the score fell below
//                           `off` since the last trigger) and `holdoff_s` has passed since the
//                           previous pick of this phase;
//   triggered -> idle       when the score falls below `off` (the pick is sent and the phase is
//                           armed again), or `max_duration_s` after the trigger started (the pick
//                           is sent so that no event waits longer; the phase re-arms only once
//                           the score falls below `off`).
// Pick time, by the phase's refinement:
//   kPeak  — the frame with the highest score, moved by the vertex of the parabola through it and
//            its two neighbours: delta = (y[-1] - y[+1]) / (2 (y[-1] - 2 y[0] + y[+1])), clamped
//            to half a frame (for probability curves: the most likely onset, between frames);
//   kOnset — where the curve crossed `on`, interpolated linearly between the frames on either
//            side (for STA/LTA: the classic trigger-on time, to a fraction of a sample).
#pragma once

#include <cstdint>

#include "apps/seismic/phase.h"
#include "apps/seismic/score_source.h"
#include "runtime/core/error_reporter.h"

namespace mote::seismic {

enum class PickRefinement : uint8_t { kPeak, kOnset };

struct PhaseTrigger {
  bool enabled = true;
  float on = 0.5f;
  float off = 0.25f;
  float holdoff_s = 1.0f;
  float max_duration_s = 2.0f;
  PickRefinement refinement = PickRefinement::kPeak;
};

struct PickerConfig {
  double sample_rate_hz = 100.0;
  PhaseTrigger p;
  PhaseTrigger s;
};

struct Pick {
  Phase phase = Phase::kNoise;
  double sample = 0.0;      // stream position of the arrival, in samples (fractional)
  float peak_score = 0.0f;  // highest score during the trigger
  float confidence = 0.0f;  // in [0, 1]; the detector sets it through its source
};

class Picker {
 public:
  // Checks `config` (on > off, finite thresholds, non-negative hold-off, positive duration) and
  // `timing` (at least one frame, positive step).
  Status init(const PickerConfig& config, const FrameTiming& timing, const ErrorReporter* reporter);

  // Most picks one push_hop() can write: a phase ends at most one trigger per frame.
  uint32_t max_picks_per_hop() const { return 2 * timing_.frames_per_hop; }

  // Consumes one hop of frames ([frames_per_hop][kNumPhases] scores) whose hop starts at stream
  // sample `hop_first_sample`; writes the picks it finishes to `out` and their number to
  // `*count`. `capacity` must be at least max_picks_per_hop().
  Status push_hop(const float* scores, uint64_t hop_first_sample, Pick* out, uint32_t capacity,
                  uint32_t* count, const ErrorReporter* reporter);

  // Ends the triggers still open (end of a recording) and writes their picks; `capacity` must be
  // at least 2.
  Status flush(Pick* out, uint32_t capacity, uint32_t* count, const ErrorReporter* reporter);

  // Forgets the stream, as before its first frame.
  void reset();

  // Frames before stream position `position` are ignored (a source's warm-up: its zeros are no
  // evidence, and an onset must not be interpolated from them). Kept across reset().
  void ignore_before(double position) { ignore_before_ = position; }

 private:
  struct PhaseState {
    bool triggered = false;
    bool armed = true;
    bool has_previous = false;
    bool has_last_pick = false;
    bool after_known = false;
    float previous = 0.0f;
    float peak = 0.0f;
    float before_peak = 0.0f;
    float after_peak = 0.0f;
    double start = 0.0;
    double onset = 0.0;
    double peak_position = 0.0;
    double last_pick = 0.0;
  };

  // Runs one frame of one phase; returns true and fills `pick` when a trigger ends.
  bool frame(int phase, float score, double position, Pick* pick);
  Pick finish(int phase);

  PickerConfig config_;
  FrameTiming timing_;
  PhaseState state_[kNumPhases];
  double ignore_before_ = 0.0;
};

}  // namespace mote::seismic
