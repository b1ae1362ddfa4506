#include "dsp/butterworth.h"

namespace mote::dsp {

const char* design_error_text(DesignError error) {
  switch (error) {
    case DesignError::kNone:
      return "no error";
    case DesignError::kBadOrder:
      return "the filter order must be between 1 and 8";
    case DesignError::kBadSampleRate:
      return "the sample rate must be positive";
    case DesignError::kBadBand:
      return "the band edges must satisfy 0 < low < high < sample_rate / 2";
  }
  return "unknown design error";
}

Status design_butterworth_bandpass(int order, double low_hz, double high_hz, double sample_rate_hz,
                                   const ErrorReporter* reporter, BiquadDesign* out) {
  if (out == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "band-pass design: null output");
  }
  *out = butterworth_bandpass(order, low_hz, high_hz, sample_rate_hz);
  if (out->error != DesignError::kNone) {
    return report_error(reporter, Status::kInvalidArgument,
                        "band-pass design (order %d, %f-%f Hz at %f Hz): %s", order, low_hz,
                        high_hz, sample_rate_hz, design_error_text(out->error));
  }
  return Status::kOk;
}

}  // namespace mote::dsp
