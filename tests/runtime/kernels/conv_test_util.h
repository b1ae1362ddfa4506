// Plain double-precision reference convolutions for the CONV_2D, DEPTHWISE_CONV_2D and
// TRANSPOSE_CONV kernel tests, written straight from the ops' definitions (window positions,
// zero padding, scatter for the transposed convolution) so that they share no code with the
// runtime. Quantized expectations are the real-valued result requantized with round-to-nearest.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "runtime/schema/tflite_subset_generated.h"

namespace mote::testing::conv {

using Act = tflite::ActivationFunctionType;
using tflite::Padding;

struct Dims {
  int n, h, w, c;
  int size() const { return n * h * w * c; }
  int at(int b, int y, int x, int ch) const { return ((b * h + y) * w + x) * c + ch; }
};

struct Window {
  Padding padding = Padding::VALID;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
};

// TensorFlow's output size: SAME keeps ceil(in / stride) positions, VALID those where the
// dilated filter fits entirely.
inline int out_size(Padding p, int in, int filter, int stride, int dilation) {
  const int extent = (filter - 1) * dilation + 1;
  if (p == Padding::SAME) return (in + stride - 1) / stride;
  return in >= extent ? (in - extent) / stride + 1 : 0;
}

// Padding before the first element: half of what the positions need, the odd one going after.
inline int pad_before(int in, int filter, int stride, int dilation, int out) {
  const int needed = (out - 1) * stride + (filter - 1) * dilation + 1 - in;
  return std::max(needed, 0) / 2;
}

// Filter [O, KH, KW, I/groups] over input [N, H, W, I]; output dims give O and the positions.
inline std::vector<double> conv_ref(const std::vector<double>& in, Dims id,
                                    const std::vector<double>& w, Dims wd,
                                    const std::vector<double>& bias, Dims od, Window win) {
  const int groups = id.c / wd.c;
  const int per_group = od.c / groups;
  const int ph = pad_before(id.h, wd.h, win.stride_h, win.dilation_h, od.h);
  const int pw = pad_before(id.w, wd.w, win.stride_w, win.dilation_w, od.w);
  std::vector<double> out(od.size());
  for (int b = 0; b < od.n; ++b)
    for (int y = 0; y < od.h; ++y)
      for (int x = 0; x < od.w; ++x)
        for (int o = 0; o < od.c; ++o) {
          double sum = bias.empty() ? 0.0 : bias[o];
          for (int ky = 0; ky < wd.h; ++ky)
            for (int kx = 0; kx < wd.w; ++kx)
              for (int i = 0; i < wd.c; ++i) {
                const int iy = y * win.stride_h - ph + ky * win.dilation_h;
                const int ix = x * win.stride_w - pw + kx * win.dilation_w;
                if (iy < 0 || iy >= id.h || ix < 0 || ix >= id.w) continue;
                sum += in[id.at(b, iy, ix, (o / per_group) * wd.c + i)] * w[wd.at(o, ky, kx, i)];
              }
          out[od.at(b, y, x, o)] = sum;
        }
  return out;
}

// Filter [1, KH, KW, I·multiplier]; output channel o reads input channel o / multiplier.
inline std::vector<double> depthwise_ref(const std::vector<double>& in, Dims id,
                                         const std::vector<double>& w, Dims wd,
                                         const std::vector<double>& bias, Dims od, Window win,
                                         int multiplier) {
  const int ph = pad_before(id.h, wd.h, win.stride_h, win.dilation_h, od.h);
  const int pw = pad_before(id.w, wd.w, win.stride_w, win.dilation_w, od.w);
  std::vector<double> out(od.size());
  for (int b = 0; b < od.n; ++b)
    for (int y = 0; y < od.h; ++y)
      for (int x = 0; x < od.w; ++x)
        for (int o = 0; o < od.c; ++o) {
          double sum = bias.empty() ? 0.0 : bias[o];
          for (int ky = 0; ky < wd.h; ++ky)
            for (int kx = 0; kx < wd.w; ++kx) {
              const int iy = y * win.stride_h - ph + ky * win.dilation_h;
              const int ix = x * win.stride_w - pw + kx * win.dilation_w;
              if (iy < 0 || iy >= id.h || ix < 0 || ix >= id.w) continue;
              sum += in[id.at(b, iy, ix, o / multiplier)] * w[wd.at(0, ky, kx, o)];
            }
          out[od.at(b, y, x, o)] = sum;
        }
  return out;
}

// Transposed convolution by scattering every input element through the filter [O, KH, KW, I];
// the padding is the one a convolution from the output back to the input would use.
inline std::vector<double> transpose_ref(const std::vector<double>& in, Dims id,
                                         const std::vector<double>& w, Dims wd,
                                         const std::vector<double>& bias, Dims od, Window win) {
  const int ph = pad_before(od.h, wd.h, win.stride_h, 1, id.h);
  const int pw = pad_before(od.w, wd.w, win.stride_w, 1, id.w);
  std::vector<double> out(od.size(), 0.0);
  for (int b = 0; b < id.n; ++b)
    for (int iy = 0; iy < id.h; ++iy)
      for (int ix = 0; ix < id.w; ++ix)
        for (int i = 0; i < id.c; ++i)
          for (int ky = 0; ky < wd.h; ++ky)
            for (int kx = 0; kx < wd.w; ++kx)
              for (int o = 0; o < od.c; ++o) {
                const int y = iy * win.stride_h - ph + ky;
                const int x = ix * win.stride_w - pw + kx;
                if (y < 0 || y >= od.h || x < 0 || x >= od.w) continue;
                out[od.at(b, y, x, o)] += in[id.at(b, iy, ix, i)] * w[wd.at(o, ky, kx, i)];
              }
  if (!bias.empty()) {
    for (int k = 0; k < od.size(); ++k) out[k] += bias[k % od.c];
  }
  return out;
}

inline double activate(double v, Act act) {
  switch (act) {
    case Act::RELU:
      return std::max(v, 0.0);
    case Act::RELU6:
      return std::clamp(v, 0.0, 6.0);
    case Act::RELU_N1_TO_1:
      return std::clamp(v, -1.0, 1.0);
    default:
      return v;
  }
}

// `real` requantized to scale / zero point, clamped to [qmin, qmax] and to the activation.
inline int requantize(double real, double scale, int zero_point, int qmin, int qmax, Act act) {
  const double q = std::round(activate(real, act) / scale) + zero_point;
  return static_cast<int>(std::clamp(q, static_cast<double>(qmin), static_cast<double>(qmax)));
}

template <typename T>
std::vector<T> random_ints(int n, int lo, int hi, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(gen));
  return v;
}

inline std::vector<float> random_floats(int n, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

// Real values of quantized `q`: (q − zero_point) · scale (scale 1, zero point 0 for floats).
template <typename T>
std::vector<double> dequantize(const std::vector<T>& q, double scale = 1.0, int zero_point = 0) {
  std::vector<double> v(q.size());
  for (size_t k = 0; k < q.size(); ++k) v[k] = (static_cast<double>(q[k]) - zero_point) * scale;
  return v;
}

// Per-channel weights: value k of a tensor whose channel is `channel_of(k)` scaled by scales.
template <typename T, typename ChannelOf>
std::vector<double> dequantize_per_channel(const std::vector<T>& q,
                                           const std::vector<float>& scales, ChannelOf channel_of) {
  std::vector<double> v(q.size());
  for (size_t k = 0; k < q.size(); ++k) {
    v[k] = static_cast<double>(q[k]) * static_cast<double>(scales[channel_of(static_cast<int>(k))]);
  }
  return v;
}

}  // namespace mote::testing::conv
