#include "dsp/dc_blocker.h"

#include "dsp/design_math.h"

namespace mote::dsp {

Status DcBlocker::init(double cutoff_hz, double sample_rate_hz, const ErrorReporter* reporter) {
  if (!(sample_rate_hz > 0.0) || !(cutoff_hz > 0.0 && cutoff_hz < sample_rate_hz / 2.0)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "DC blocker: cutoff %f Hz must lie in (0, %f) for %f Hz sampling",
                        cutoff_hz, sample_rate_hz / 2.0, sample_rate_hz);
  }
  const double w = design::tan(design::kPi * cutoff_hz / sample_rate_hz);
  r_ = static_cast<float>((1.0 - w) / (1.0 + w));
  g_ = static_cast<float>(1.0 / (1.0 + w));
  reset();
  return Status::kOk;
}

float DcBlocker::step(float x) {
  if (!primed_) {
    x_prev_ = x;
    y_prev_ = 0.0f;
    primed_ = true;
  }
  const float y = g_ * (x - x_prev_) + r_ * y_prev_;
  x_prev_ = x;
  y_prev_ = y;
  return y;
}

}  // namespace mote::dsp
