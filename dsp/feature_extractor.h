// The pre-processing chain the seismic node and the training side share, per component:
//
//   raw counts -> DcBlocker (first-order high-pass, default 0.1 Hz) -> Butterworth band-pass
//   (default order 4, 1-20 Hz at 100 Hz: 4 biquads) -> filtered sample
//
// Causal and recursive, so the node filters each sample as it arrives (push) and the training
// side filters a whole recording one component at a time (filter_component). Both run the same
// per-sample arithmetic on the same state, so the same samples give the same bits; windows are
// then normalised with normalize_window().
#pragma once

#include <cstdint>

#include "dsp/biquad.h"
#include "dsp/butterworth.h"
#include "dsp/dc_blocker.h"
#include "dsp/sample_ring.h"
#include "runtime/core/error_reporter.h"

namespace mote::dsp {

struct FeatureConfig {
  double sample_rate_hz = 100.0;
  // Corner of the DC blocker; far below the band so that it only takes the offset away.
  double dc_cutoff_hz = 0.1;
  // Butterworth band-pass: order N gives N biquads and a 2N-pole response.
  int band_order = 4;
  double band_low_hz = 1.0;
  double band_high_hz = 20.0;
};

// The default band, designed at compile time (the node can use it without running the design).
inline constexpr BiquadDesign kDefaultBand = butterworth_bandpass(4, 1.0, 20.0, 100.0);
static_assert(kDefaultBand.count == 4 && kDefaultBand.error == DesignError::kNone,
              "the 1-20 Hz band at 100 Hz is an order-4 band-pass of 4 sections");

class FeatureExtractor {
 public:
  // Designs the filters for `config`; refuses a bad rate, corner or band with a message.
  Status init(const FeatureConfig& config, const ErrorReporter* reporter);

  // Filters one 3-component sample (E, N, Z) into `out` (which may be `in`).
  void push(const float in[kComponents], float out[kComponents]);

  // Filters `samples` consecutive values of one component (continuing its state) from `in` into
  // `out` (which may be `in`): the block form for recordings stored component by component.
  Status filter_component(int component, const float* in, uint32_t samples, float* out,
                          const ErrorReporter* reporter);

  // Clears all filter state, as before the first sample.
  void reset();

  const FeatureConfig& config() const { return config_; }
  const BiquadCascade& band(int component) const { return band_[component]; }

 private:
  float step(int component, float x);

  FeatureConfig config_;
  DcBlocker dc_[kComponents];
  BiquadCascade band_[kComponents];
};

}  // namespace mote::dsp
