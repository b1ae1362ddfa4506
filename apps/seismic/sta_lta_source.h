// The classic STA/LTA trigger as a score source: the recursive STA/LTA characteristic function of
// the band-passed vertical component, one frame per sample, written as the P score (STA/LTA
// cannot tell S from P, so its S score stays 0). Used with PickRefinement::kOnset and on = 4,
// off = 1, it is the trigger seismic networks run today and the baseline the model must beat.
#pragma once

#include "apps/seismic/score_source.h"
#include "dsp/sta_lta.h"

namespace mote::seismic {

class StaLtaSource : public ScoreSource {
 public:
  Status init(const dsp::StaLtaConfig& config, const ErrorReporter* reporter);

  // One frame per sample, at the sample.
  FrameTiming timing(uint32_t hop_samples) const override;
  uint32_t history_samples(uint32_t hop_samples) const override { return hop_samples; }
  uint32_t warmup_samples() const override { return sta_lta_.warmup_samples(); }
  Status score_hop(const dsp::SampleRing& ring, uint32_t hop_samples, float* scores,
                   const ErrorReporter* reporter) override;
  // 1 - 1/ratio, clamped to [0, 1]: the share of the short-term energy that the long-term level
  // does not explain (0.75 at the usual trigger ratio of 4).
  float confidence(float peak_ratio) const override;
  void reset() override { sta_lta_.reset(); }

 private:
  dsp::RecursiveStaLta sta_lta_;
};

}  // namespace mote::seismic
