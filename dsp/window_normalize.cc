#include "dsp/window_normalize.h"

#include <cmath>

namespace mote::dsp {

Status normalize_window(const float* in, uint32_t samples, float epsilon, float* out,
                        const ErrorReporter* reporter) {
  if (in == nullptr || out == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "normalize_window: null buffer");
  }
  if (samples == 0) {
    return report_error(reporter, Status::kInvalidArgument, "normalize_window: empty window");
  }
  if (!(epsilon > 0.0f) || !std::isfinite(epsilon)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "normalize_window: epsilon %f must be finite and > 0",
                        static_cast<double>(epsilon));
  }
  const float inv_n = 1.0f / static_cast<float>(samples);
  for (int c = 0; c < kComponents; ++c) {
    float sum = 0.0f;
    for (uint32_t t = 0; t < samples; ++t) sum += in[t * kComponents + c];
    const float mean = sum * inv_n;
    float squares = 0.0f;
    for (uint32_t t = 0; t < samples; ++t) {
      const float d = in[t * kComponents + c] - mean;
      squares += d * d;
    }
    const float scale = 1.0f / (std::sqrt(squares * inv_n) + epsilon);
    for (uint32_t t = 0; t < samples; ++t) {
      out[t * kComponents + c] = (in[t * kComponents + c] - mean) * scale;
    }
  }
  return Status::kOk;
}

}  // namespace mote::dsp
