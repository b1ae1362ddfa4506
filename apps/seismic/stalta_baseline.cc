#include "apps/seismic/stalta_baseline.h"

namespace mote::seismic {

dsp::StaLtaConfig stalta_config() {
  dsp::StaLtaConfig c;
  c.sample_rate_hz = 100.0;
  c.sta_s = 0.2;
  c.lta_s = 5.0;
  return c;
}

DetectorConfig stalta_detector_config() {
  DetectorConfig c;
  c.features = dsp::FeatureConfig{};
  c.hop_samples = 10;
  c.picker.sample_rate_hz = c.features.sample_rate_hz;
  c.picker.p.enabled = true;
  c.picker.p.on = kStaLtaOn;
  c.picker.p.off = kStaLtaOff;
  c.picker.p.holdoff_s = 0.0f;
  c.picker.p.max_duration_s = 1.0f;
  c.picker.p.refinement = PickRefinement::kOnset;
  c.picker.s.enabled = false;
  return c;
}

}  // namespace mote::seismic
