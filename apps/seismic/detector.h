// The node's detection path, sample by sample:
//
//   raw sample (E, N, Z counts) -> dsp::FeatureExtractor -> ring of filtered samples
//     -> every hop: ScoreSource (model or STA/LTA) -> Picker -> picks (P or S, time, confidence)
//
// No heap: the ring and the source are the caller's (static on a device); the detector holds the
// filters, the picker and one hop of scores. The evaluation (`mote seismic eval`) runs exactly
// this code over each recording.
#pragma once

#include <cstdint>

#include "apps/seismic/picker.h"
#include "apps/seismic/score_source.h"
#include "dsp/feature_extractor.h"
#include "dsp/sample_ring.h"
#include "runtime/core/error_reporter.h"

namespace mote::seismic {

// Most frames a source may write per hop (the detector's score buffer).
constexpr uint32_t kMaxFramesPerHop = 128;

struct DetectorConfig {
  dsp::FeatureConfig features;
  uint32_t hop_samples = 10;  // 0.1 s at 100 Hz
  PickerConfig picker;
};

class Detector {
 public:
  // `ring` receives the filtered samples and `source` scores them; both must outlive the detector.
  Detector(dsp::SampleRing* ring, ScoreSource* source) : ring_(ring), source_(source) {}

  // Designs the filters and checks that the pieces fit: hop >= 1, the source's frames per hop
  // within kMaxFramesPerHop, the ring large enough for the source's history, the picker's config.
  Status init(const DetectorConfig& config, const ErrorReporter* reporter);

  // Most picks one push() or flush() can write; pass at least this much room.
  uint32_t max_picks() const { return picker_.max_picks_per_hop(); }

  // Takes one raw sample (E, N, Z); when it completes a hop, scores the hop and writes the picks
  // it finishes to `out`, their number to `*count`.
  Status push(const float sample[dsp::kComponents], Pick* out, uint32_t capacity, uint32_t* count);
  // Ends open triggers at the end of a recording.
  Status flush(Pick* out, uint32_t capacity, uint32_t* count);
  // Forgets the stream: filters, ring, source and picker start over.
  void reset();

  // Samples taken since init or reset.
  uint64_t samples() const { return ring_ == nullptr ? 0 : ring_->pushed(); }
  // Stream position before which no pick can occur (the source's warm-up or history).
  uint64_t armed_from() const;
  const DetectorConfig& config() const { return config_; }
  // The filtered samples the detector keeps (null only for a detector built without a ring).
  const dsp::SampleRing* ring() const { return ring_; }

 private:
  dsp::SampleRing* ring_;
  ScoreSource* source_;
  const ErrorReporter* reporter_ = nullptr;
  DetectorConfig config_;
  dsp::FeatureExtractor features_;
  Picker picker_;
  uint32_t frames_per_hop_ = 0;
  uint32_t in_hop_ = 0;
  bool ready_ = false;
  float scores_[kMaxFramesPerHop * kNumPhases] = {};
};

}  // namespace mote::seismic
