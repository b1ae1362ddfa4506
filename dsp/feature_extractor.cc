#include "dsp/feature_extractor.h"

namespace mote::dsp {

Status FeatureExtractor::init(const FeatureConfig& config, const ErrorReporter* reporter) {
  BiquadDesign design;
  MOTE_RETURN_IF_ERROR(design_butterworth_bandpass(config.band_order, config.band_low_hz,
                                                   config.band_high_hz, config.sample_rate_hz,
                                                   reporter, &design));
  if (!(config.dc_cutoff_hz < config.band_low_hz)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "features: the DC blocker's corner (%f Hz) must lie below the band's "
                        "low edge (%f Hz)",
                        config.dc_cutoff_hz, config.band_low_hz);
  }
  for (int c = 0; c < kComponents; ++c) {
    MOTE_RETURN_IF_ERROR(dc_[c].init(config.dc_cutoff_hz, config.sample_rate_hz, reporter));
    band_[c].set_sections(design.sections, design.count);
  }
  config_ = config;
  return Status::kOk;
}

float FeatureExtractor::step(int component, float x) {
  return band_[component].step(dc_[component].step(x));
}

void FeatureExtractor::push(const float in[kComponents], float out[kComponents]) {
  for (int c = 0; c < kComponents; ++c) out[c] = step(c, in[c]);
}

Status FeatureExtractor::filter_component(int component, const float* in, uint32_t samples,
                                          float* out, const ErrorReporter* reporter) {
  if (component < 0 || component >= kComponents) {
    return report_error(reporter, Status::kInvalidArgument, "features: component %d outside 0..%d",
                        component, kComponents - 1);
  }
  if (samples > 0 && (in == nullptr || out == nullptr)) {
    return report_error(reporter, Status::kInvalidArgument, "features: null buffer");
  }
  for (uint32_t t = 0; t < samples; ++t) out[t] = step(component, in[t]);
  return Status::kOk;
}

void FeatureExtractor::reset() {
  for (int c = 0; c < kComponents; ++c) {
    dc_[c].reset();
    band_[c].reset();
  }
}

}  // namespace mote::dsp
