// Causal DC removal: a first-order high-pass, the bilinear transform of s / (s + wc).
//
//   H(z) = g (1 - z^-1) / (1 - r z^-1),  w = tan(pi fc / fs),  r = (1 - w) / (1 + w),  g = 1 / (1 +
//   w) |H(f)| = W / sqrt(W^2 + w^2),  W = tan(pi f / fs)   (-3 dB at fc, exactly)
//
// A sensor's raw counts carry an offset that may be thousands of times the signal; removing it
// first keeps the band-pass sections' state small. The first sample primes the filter (as if the
// input had always been at that level), so a stream that starts at an offset produces no step.
#pragma once

#include "runtime/core/error_reporter.h"

namespace mote::dsp {

class DcBlocker {
 public:
  // Designs the filter for corner `cutoff_hz` at `sample_rate_hz` (0 < cutoff < fs / 2).
  Status init(double cutoff_hz, double sample_rate_hz, const ErrorReporter* reporter);

  // Filters one sample.
  float step(float x);
  // Forgets the past: the next sample primes the filter again.
  void reset() { primed_ = false; }

  float pole() const { return r_; }
  float gain() const { return g_; }

 private:
  float r_ = 0.0f;
  float g_ = 1.0f;
  float x_prev_ = 0.0f;
  float y_prev_ = 0.0f;
  bool primed_ = false;
};

}  // namespace mote::dsp
