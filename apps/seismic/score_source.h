// What the picker listens to: anything that, once per hop, turns the newest filtered samples into
// scores for noise, P and S. The trained model (through the runtime) is one source; the classic
// STA/LTA characteristic function is another; tests use doubles that play a scripted curve.
//
// Frames: a source writes timing().frames_per_hop frames of kNumPhases scores per hop (a model
// that predicts "is there an onset in the newest hop" writes one; STA/LTA writes one per sample).
// Frame f of the hop whose first sample has stream index h stands for stream position
// h + first_offset + f * step (in samples, fractional positions allowed).
#pragma once

#include <cstdint>

#include "apps/seismic/phase.h"
#include "dsp/sample_ring.h"
#include "runtime/core/error_reporter.h"

namespace mote::seismic {

struct FrameTiming {
  uint32_t frames_per_hop = 1;
  float first_offset = 0.0f;
  float step = 1.0f;
};

// The interface is virtual without pure functions: a pure virtual needs __cxa_pure_virtual from
// the C++ support library, which device images do not link. The base versions refuse politely.
// Every member is defined here, in the header (no key function), so that the vtable and, in
// code built with RTTI such as tests, the type information are emitted wherever they are used:
// the library itself builds without RTTI and provides neither.
class ScoreSource {
 public:
  // Frame timing for hops of `hop_samples` (default: one frame, at the hop's newest sample).
  virtual FrameTiming timing(uint32_t hop_samples) const {
    return {1, static_cast<float>(hop_samples) - 1.0f, static_cast<float>(hop_samples)};
  }
  // Samples of history score_hop() reads from the ring; the ring must hold at least this many.
  virtual uint32_t history_samples(uint32_t hop_samples) const { return hop_samples; }
  // Stream position before which frames carry no information (the source writes zeros there and
  // the picker ignores them).
  virtual uint32_t warmup_samples() const { return 0; }
  // Called once per hop, after the hop's newest sample entered `ring`: writes
  // timing(hop_samples).frames_per_hop frames of kNumPhases scores into `scores`.
  virtual Status score_hop(const dsp::SampleRing& ring, uint32_t hop_samples, float* scores,
                           const ErrorReporter* reporter) {
    (void)ring;
    (void)hop_samples;
    (void)scores;
    return report_error(reporter, Status::kUnsupported,
                        "score source: this source does not implement score_hop");
  }
  // The confidence in [0, 1] of a pick whose score peaked at `peak_score` (default: the score
  // clamped to [0, 1], right for probabilities).
  virtual float confidence(float peak_score) const {
    if (!(peak_score > 0.0f)) return 0.0f;
    return peak_score < 1.0f ? peak_score : 1.0f;
  }
  // Forgets the stream, as before its first sample.
  virtual void reset() {}

 protected:
  ScoreSource() = default;
  ScoreSource(const ScoreSource&) = default;
  ScoreSource& operator=(const ScoreSource&) = default;
  // Not virtual: sources are never deleted through this interface (there is no heap).
  ~ScoreSource() = default;
};

}  // namespace mote::seismic
