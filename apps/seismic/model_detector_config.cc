#include "apps/seismic/model_detector_config.h"

namespace mote::seismic {

DetectorConfig model_detector_config(float threshold) {
  DetectorConfig c;
  c.hop_samples = 10;
  c.picker.sample_rate_hz = c.features.sample_rate_hz;
  PhaseTrigger* const triggers[] = {&c.picker.p, &c.picker.s};
  for (PhaseTrigger* t : triggers) {
    t->enabled = true;
    t->on = threshold;
    t->off = 0.5f * threshold;
    t->holdoff_s = 1.0f;
    t->max_duration_s = 2.0f;
    t->refinement = PickRefinement::kPeak;
  }
  return c;
}

}  // namespace mote::seismic
