// float logistic and tanh as TFLite's reference kernels compute them; shared by the LOGISTIC and
// TANH kernels, the LSTM gates and SVDF's fused activations.
#pragma once

#include <cmath>

namespace mote {
namespace kernels {

// 1 / (1 + e^-x), with TFLite's cut-offs: exactly 1 above 16.619..., e^x below -9.
inline float logistic_float(float x) {
  constexpr float kUpper = 16.619047164916992188f;
  constexpr float kLower = -9.0f;
  if (x > kUpper) return 1.0f;
  if (x < kLower) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

// tanh(x) in float.
inline float tanh_float(float x) { return std::tanh(x); }

}  // namespace kernels
}  // namespace mote
