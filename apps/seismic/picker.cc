#include "apps/seismic/picker.h"

#include <cmath>

namespace mote::seismic {
namespace {

Status check_trigger(const char* name, const PhaseTrigger& t, const ErrorReporter* reporter) {
  if (!t.enabled) return Status::kOk;
  if (!std::isfinite(t.on) || !std::isfinite(t.off) || !(t.on > t.off)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "picker: %s trigger needs finite thresholds with on > off (on %f, off %f)",
                        name, static_cast<double>(t.on), static_cast<double>(t.off));
  }
  if (!(t.holdoff_s >= 0.0f) || !std::isfinite(t.holdoff_s)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "picker: %s hold-off %f s must be finite and >= 0", name,
                        static_cast<double>(t.holdoff_s));
  }
  if (!(t.max_duration_s > 0.0f) || !std::isfinite(t.max_duration_s)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "picker: %s maximum trigger duration %f s must be finite and > 0", name,
                        static_cast<double>(t.max_duration_s));
  }
  return Status::kOk;
}

}  // namespace

Status Picker::init(const PickerConfig& config, const FrameTiming& timing,
                    const ErrorReporter* reporter) {
  if (!(config.sample_rate_hz > 0.0) || !std::isfinite(config.sample_rate_hz)) {
    return report_error(reporter, Status::kInvalidArgument, "picker: sample rate %f Hz",
                        config.sample_rate_hz);
  }
  if (timing.frames_per_hop == 0 || !(timing.step > 0.0f) || !std::isfinite(timing.step) ||
      !std::isfinite(timing.first_offset)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "picker: frame timing needs at least one frame per hop and a positive "
                        "step (got %u frames, step %f)",
                        static_cast<unsigned>(timing.frames_per_hop),
                        static_cast<double>(timing.step));
  }
  MOTE_RETURN_IF_ERROR(check_trigger("P", config.p, reporter));
  MOTE_RETURN_IF_ERROR(check_trigger("S", config.s, reporter));
  config_ = config;
  timing_ = timing;
  reset();
  return Status::kOk;
}

void Picker::reset() {
  for (PhaseState& s : state_) s = PhaseState{};
}

Pick Picker::finish(int phase) {
  PhaseState& s = state_[phase];
  const PhaseTrigger& t = phase == static_cast<int>(Phase::kP) ? config_.p : config_.s;
  Pick pick;
  pick.phase = static_cast<Phase>(phase);
  pick.peak_score = s.peak;
  if (t.refinement == PickRefinement::kOnset) {
    pick.sample = s.onset;
  } else {
    double delta = 0.0;
    if (s.after_known) {
      const double y0 = s.before_peak, y1 = s.peak, y2 = s.after_peak;
      const double curvature = y0 - 2.0 * y1 + y2;
      if (curvature < 0.0) {
        delta = 0.5 * (y0 - y2) / curvature;
        if (delta > 0.5) delta = 0.5;
        if (delta < -0.5) delta = -0.5;
      }
    }
    pick.sample = s.peak_position + delta * timing_.step;
  }
  s.triggered = false;
  s.has_last_pick = true;
  s.last_pick = pick.sample;
  return pick;
}

bool Picker::frame(int phase, float score, double position, Pick* pick) {
  PhaseState& s = state_[phase];
  const PhaseTrigger& t = phase == static_cast<int>(Phase::kP) ? config_.p : config_.s;
  bool ended = false;
  if (!s.triggered) {
    if (score < t.off) s.armed = true;
    if (s.armed && score >= t.on) {
      double onset = position;
      if (s.has_previous && s.previous < t.on) {
        onset = position - timing_.step * (static_cast<double>(score) - t.on) /
                               (static_cast<double>(score) - s.previous);
      }
      const double holdoff = static_cast<double>(t.holdoff_s) * config_.sample_rate_hz;
      if (!s.has_last_pick || onset - s.last_pick >= holdoff) {
        s.triggered = true;
        s.armed = false;
        s.start = position;
        s.onset = onset;
        s.peak = score;
        s.peak_position = position;
        s.before_peak = s.has_previous ? s.previous : score;
        s.after_known = false;
      }
    }
  } else {
    if (score > s.peak) {
      s.before_peak = s.previous;
      s.peak = score;
      s.peak_position = position;
      s.after_known = false;
    } else if (!s.after_known) {
      s.after_peak = score;
      s.after_known = true;
    }
    const double max_duration = static_cast<double>(t.max_duration_s) * config_.sample_rate_hz;
    if (score < t.off) {
      *pick = finish(phase);
      s.armed = true;
      ended = true;
    } else if (position - s.start >= max_duration) {
      *pick = finish(phase);
      ended = true;
    }
  }
  s.previous = score;
  s.has_previous = true;
  return ended;
}

Status Picker::push_hop(const float* scores, uint64_t hop_first_sample, Pick* out,
                        uint32_t capacity, uint32_t* count, const ErrorReporter* reporter) {
  if (scores == nullptr || out == nullptr || count == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "picker: null argument");
  }
  *count = 0;
  if (capacity < max_picks_per_hop()) {
    return report_error(
        reporter, Status::kInvalidArgument, "picker: room for %u picks, a hop may finish %u",
        static_cast<unsigned>(capacity), static_cast<unsigned>(max_picks_per_hop()));
  }
  const int phases[2] = {static_cast<int>(Phase::kP), static_cast<int>(Phase::kS)};
  for (uint32_t f = 0; f < timing_.frames_per_hop; ++f) {
    const double position = static_cast<double>(hop_first_sample) + timing_.first_offset +
                            static_cast<double>(f) * timing_.step;
    if (position < ignore_before_) continue;
    for (int phase : phases) {
      const PhaseTrigger& t = phase == static_cast<int>(Phase::kP) ? config_.p : config_.s;
      if (!t.enabled) continue;
      Pick pick;
      if (frame(phase, scores[f * kNumPhases + phase], position, &pick)) out[(*count)++] = pick;
    }
  }
  return Status::kOk;
}

Status Picker::flush(Pick* out, uint32_t capacity, uint32_t* count, const ErrorReporter* reporter) {
  if (out == nullptr || count == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "picker: null argument");
  }
  *count = 0;
  if (capacity < 2) {
    return report_error(reporter, Status::kInvalidArgument,
                        "picker: room for %u picks at flush, 2 may be open",
                        static_cast<unsigned>(capacity));
  }
  const int phases[2] = {static_cast<int>(Phase::kP), static_cast<int>(Phase::kS)};
  for (int phase : phases) {
    if (state_[phase].triggered) out[(*count)++] = finish(phase);
  }
  return Status::kOk;
}

}  // namespace mote::seismic
