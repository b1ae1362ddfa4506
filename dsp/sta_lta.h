// The classic recursive STA/LTA characteristic function (Withers et al. 1998; ObsPy's
// recursive_sta_lta): exponential averages of the squared, band-passed signal over a short and a
// long time, and their ratio.
//
//   sta[n] = sta[n-1] + (x[n]^2 - sta[n-1]) / N_sta          N_sta = round(sta_s * fs)
//   lta[n] = lta[n-1] + (x[n]^2 - lta[n-1]) / N_lta          N_lta = round(lta_s * fs)
//   cf[n]  = (sta[n] / w_sta[n]) / (lta[n] / w_lta[n]), and 0 for the first N_lta samples
//
// ObsPy writes the same update as c x^2 + (1 - c) y; the incremental form loses less in float32.
// One change to the classic form: both averages start at zero, so after n samples they hold only
// w[n] = 1 - (1 - 1/N)^n of the signal's power (63 % for the LTA when the warm-up ends), which
// inflates cf for the first tens of seconds. Dividing by w (computed by the same recursion on a
// constant 1, as Adam's optimiser corrects its moments) makes both averages unbiased from the
// first sample, so a node that has just booted, or an evaluation that starts every recording
// afresh, triggers as the detector does in steady state. w reaches 1 within float precision after
// about 17 N samples; from then on cf is exactly the classic ratio.
// A seismic arrival raises the STA well before the LTA follows, so cf jumps; the usual trigger is
// cf >= 4 (on) and cf < 1 (off), with STA 0.2 s and LTA 5 s at 100 Hz.
#pragma once

#include <cstdint>

#include "runtime/core/error_reporter.h"

namespace mote::dsp {

struct StaLtaConfig {
  double sample_rate_hz = 100.0;
  double sta_s = 0.2;
  double lta_s = 5.0;
  // Divide the averages by their weight (see above); false gives ObsPy's classic form exactly.
  bool unbiased = true;
};

class RecursiveStaLta {
 public:
  // Sets the averaging lengths; refuses 0 < N_sta < N_lta not holding.
  Status init(const StaLtaConfig& config, const ErrorReporter* reporter);

  // Takes one band-passed sample and returns the characteristic function for it.
  float step(float x);
  // Forgets everything, as before the first sample (the warm-up starts again).
  void reset();

  uint32_t sta_samples() const { return sta_samples_; }
  uint32_t lta_samples() const { return lta_samples_; }
  // Samples after which cf is no longer held at 0.
  uint32_t warmup_samples() const { return lta_samples_; }

 private:
  uint32_t sta_samples_ = 0;
  uint32_t lta_samples_ = 0;
  float sta_coefficient_ = 0.0f;
  float lta_coefficient_ = 0.0f;
  float sta_ = 0.0f;
  float lta_ = 0.0f;
  bool unbiased_ = true;
  float sta_weight_ = 0.0f;  // w_sta: the share of the signal the STA holds so far
  float lta_weight_ = 0.0f;
  uint32_t seen_ = 0;  // saturates at lta_samples_
};

}  // namespace mote::dsp
