// The detector settings for a trained phase model: one place for the host's evaluation and
// replay and for the node firmware, so that every build of the node picks with the same rules.
#pragma once

#include "apps/seismic/detector.h"

namespace mote::seismic {

// The picker settings for a probability model: hops of 0.1 s; P and S each on at `threshold`,
// off at half of it, hold-off 1 s, pick at the refined peak, sent at most 2 s after the trigger
// starts.
DetectorConfig model_detector_config(float threshold = 0.5f);

}  // namespace mote::seismic
