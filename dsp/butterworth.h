// Butterworth band-pass filters as cascades of biquads, designed in double precision with
// dsp/design_math.h (constexpr: the default band is a compile-time constant, and a design done at
// init on a device gives the same bits as on the host).
//
// The design is the textbook one that scipy.signal.butter(N, [lo, hi], 'bandpass') and ObsPy's
// bandpass(corners=N) also follow:
//   1. Prewarp the band edges for the bilinear transform: w = tan(pi f / fs) (frequencies in the
//      analog domain normalised so that the bilinear transform is s = (z - 1) / (z + 1)).
//   2. Analog Butterworth low-pass prototype of order N: poles p_k = exp(j pi (2k + N + 1) / 2N),
//      k = 0 .. N-1, all on the unit circle in the left half-plane, H(s) = 1 / prod(s - p_k).
//   3. Low-pass to band-pass: s -> (s^2 + w0^2) / (B s), with B = w_hi - w_lo and
//      w0^2 = w_lo w_hi. Each prototype pole p gives two band-pass poles, the roots of
//      s^2 - p B s + w0^2 = 0, and one factor B s of the numerator.
//   4. Group the 2N poles in conjugate pairs: section(s) = B s / (s^2 - 2 Re(a) s + |a|^2).
//   5. Bilinear transform of each section with s = (z - 1) / (z + 1); with a1 = -2 Re(a),
//      a0 = |a|^2 and d = 1 + a1 + a0:  b = B/d [1, 0, -1],  a = [1, (2 a0 - 2)/d, (1 - a1 +
//      a0)/d].
// Each section has a zero at DC and one at Nyquist, so the first section already removes any
// offset. The magnitude response is exactly
//   |H(f)| = 1 / sqrt(1 + ((W^2 - w0^2) / (W B))^(2N)),   W = tan(pi f / fs),
// which is what the tests compare against. N sections for order N (an order-4 band-pass has 8
// poles and 4 sections). Sections are ordered by prototype pole, lowest Q first.
#pragma once

#include "dsp/biquad.h"
#include "dsp/design_math.h"
#include "runtime/core/error_reporter.h"

namespace mote::dsp {

// Highest Butterworth order the cascade holds (N sections for order N).
constexpr int kMaxButterworthOrder = kMaxBiquadSections;

enum class DesignError : uint8_t {
  kNone = 0,
  kBadOrder,       // order outside 1 .. kMaxButterworthOrder
  kBadSampleRate,  // sample rate not positive
  kBadBand,        // not 0 < low < high < sample_rate / 2
};

struct BiquadDesign {
  BiquadCoefficients sections[kMaxBiquadSections];
  int count = 0;
  DesignError error = DesignError::kNone;
};

namespace design {

// One band-pass section from the analog pole `a` (upper half-plane member of a conjugate pair)
// and the band width `bandwidth`, as in step 5 above.
constexpr BiquadCoefficients bandpass_section(double a1, double a0, double bandwidth) {
  const double d = 1.0 + a1 + a0;
  BiquadCoefficients c;
  c.b0 = static_cast<float>(bandwidth / d);
  c.b1 = 0.0f;
  c.b2 = static_cast<float>(-bandwidth / d);
  c.a1 = static_cast<float>((2.0 * a0 - 2.0) / d);
  c.a2 = static_cast<float>((1.0 - a1 + a0) / d);
  return c;
}

}  // namespace design

// Designs an order-`order` Butterworth band-pass from `low_hz` to `high_hz` (the -3 dB edges)
// for `sample_rate_hz`; on bad parameters returns count 0 and the error.
constexpr BiquadDesign butterworth_bandpass(int order, double low_hz, double high_hz,
                                            double sample_rate_hz) {
  BiquadDesign out;
  if (order < 1 || order > kMaxButterworthOrder) {
    out.error = DesignError::kBadOrder;
    return out;
  }
  if (!(sample_rate_hz > 0.0)) {
    out.error = DesignError::kBadSampleRate;
    return out;
  }
  if (!(low_hz > 0.0 && low_hz < high_hz && high_hz < sample_rate_hz / 2.0)) {
    out.error = DesignError::kBadBand;
    return out;
  }
  const double w_lo = design::tan(design::kPi * low_hz / sample_rate_hz);
  const double w_hi = design::tan(design::kPi * high_hz / sample_rate_hz);
  const double bandwidth = w_hi - w_lo;
  const double w0_squared = w_lo * w_hi;
  // Upper half-plane prototype poles (k < N/2), then the real pole of an odd order.
  for (int k = 0; k < order / 2; ++k) {
    const double angle = design::kPi * (2.0 * k + order + 1.0) / (2.0 * order);
    const design::Complex p{design::cos(angle), design::sin(angle)};
    const design::Complex pb = bandwidth * p;
    const design::Complex disc = pb * pb - design::Complex{4.0 * w0_squared, 0.0};
    const design::Complex root = design::sqrt(disc);
    const design::Complex poles[2] = {0.5 * (pb + root), 0.5 * (pb - root)};
    for (const design::Complex& a : poles) {
      out.sections[out.count++] =
          design::bandpass_section(-2.0 * a.re, a.re * a.re + a.im * a.im, bandwidth);
    }
  }
  if (order % 2 == 1) {
    // p = -1: s^2 + B s + w0^2 is already real.
    out.sections[out.count++] = design::bandpass_section(bandwidth, w0_squared, bandwidth);
  }
  return out;
}

// A short text for `error` ("band edges must satisfy 0 < low < high < fs/2", ...).
const char* design_error_text(DesignError error);

// butterworth_bandpass() that reports a refusal through `reporter` and returns kInvalidArgument.
Status design_butterworth_bandpass(int order, double low_hz, double high_hz, double sample_rate_hz,
                                   const ErrorReporter* reporter, BiquadDesign* out);

}  // namespace mote::dsp
