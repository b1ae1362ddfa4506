// The classic STA/LTA trigger that seismic nodes run today, as the node's detector runs it:
// vertical component, 1-20 Hz order-4 Butterworth band-pass (after the DC blocker), recursive
// STA 0.2 s / LTA 5 s, trigger on at a ratio of 4, off below 1, the pick at the trigger-on time.
//
// The off level (detrigger) is 1: the trigger ends when the short-term energy is back at the
// long-term level, so one arrival gives one trigger even through its coda; a higher level (1.5,
// 2) re-arms sooner and fires more often on a long coda. There is no hold-off beyond that, as in
// ObsPy's trigger_onset. The pick is sent at most 1 s after the trigger starts (its time is the
// trigger-on time whatever the wait; the wait only finds the peak ratio for the confidence).
#pragma once

#include "apps/seismic/detector.h"
#include "dsp/sta_lta.h"

namespace mote::seismic {

constexpr float kStaLtaOn = 4.0f;
constexpr float kStaLtaOff = 1.0f;

// STA 0.2 s, LTA 5 s at 100 Hz.
dsp::StaLtaConfig stalta_config();

// Features 1-20 Hz, hop 10 samples, P trigger 4 / 1 by onset, no S.
DetectorConfig stalta_detector_config();

}  // namespace mote::seismic
