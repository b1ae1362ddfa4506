#include "apps/seismic/sta_lta_source.h"

namespace mote::seismic {

Status StaLtaSource::init(const dsp::StaLtaConfig& config, const ErrorReporter* reporter) {
  return sta_lta_.init(config, reporter);
}

FrameTiming StaLtaSource::timing(uint32_t hop_samples) const { return {hop_samples, 0.0f, 1.0f}; }

Status StaLtaSource::score_hop(const dsp::SampleRing& ring, uint32_t hop_samples, float* scores,
                               const ErrorReporter* reporter) {
  if (scores == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "STA/LTA source: null scores");
  }
  if (ring.size() < hop_samples) {
    return report_error(reporter, Status::kInvalidArgument,
                        "STA/LTA source: the ring holds %u samples, a hop is %u",
                        static_cast<unsigned>(ring.size()), static_cast<unsigned>(hop_samples));
  }
  for (uint32_t i = 0; i < hop_samples; ++i) {
    const float* sample = ring.at_age(hop_samples - 1 - i);
    float* frame = scores + i * kNumPhases;
    frame[static_cast<int>(Phase::kNoise)] = 0.0f;
    frame[static_cast<int>(Phase::kP)] = sta_lta_.step(sample[dsp::kVertical]);
    frame[static_cast<int>(Phase::kS)] = 0.0f;
  }
  return Status::kOk;
}

float StaLtaSource::confidence(float peak_ratio) const {
  if (!(peak_ratio > 1.0f)) return 0.0f;
  const float c = 1.0f - 1.0f / peak_ratio;
  return c < 1.0f ? c : 1.0f;
}

}  // namespace mote::seismic
