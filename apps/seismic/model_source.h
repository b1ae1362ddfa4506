// A trained phase model as a score source, run by the runtime's interpreter every hop.
//
// The model contract (what `mote seismic train` must produce to plug in here):
//   input 0   [1, 1, W, 3] (a CONV_2D of height 1, NHWC), or any shape [1, ..., 3] of W * 3
//             elements: the newest W filtered samples (E, N, Z), oldest first, normalised per
//             window with dsp::normalize_window; float32, or int8 with per-tensor quantization
//             (the source quantizes as TFLite does: round(x / scale) + zero_point, clamped);
//   output 0  [1, F, 3] or [1, 3] (F = 1): for each of F frames of the newest hop, the
//             probabilities of noise, P and S (after a softmax), float32 or int8 / int16 with
//             per-tensor quantization (dequantized as (q - zero_point) * scale).
// Frame f of a hop of H samples stands for the middle of its H / F samples (H must divide by F):
// a model that says "an onset lies in the newest hop" puts its frame at the hop's centre, which
// is where such an onset lies on average; the picker's parabola refines it between hops.
// Frames before stream position W + settle get zeros (the filters are still settling and the
// window is not full); the detector's picker ignores them.
#pragma once

#include <cstdint>

#include "apps/seismic/score_source.h"
#include "runtime/interpreter/interpreter.h"

namespace mote::seismic {

// Samples the filters are given to settle before the first inference: 1 s (the band-pass's
// slowest poles, near 1 Hz, decay e-fold in about 0.3 s).
constexpr uint32_t kModelSettleSamples = 100;

class ModelSource : public ScoreSource {
 public:
  // `interpreter` must be allocated; `window` is scratch for the window, room for
  // `window_capacity` samples of 3 floats (at least the model's W). Checks the contract above.
  Status init(Interpreter* interpreter, float* window, uint32_t window_capacity,
              const ErrorReporter* reporter, uint32_t settle_samples = kModelSettleSamples);

  uint32_t window_samples() const { return window_samples_; }
  uint32_t frames_per_hop() const { return frames_; }

  FrameTiming timing(uint32_t hop_samples) const override;
  uint32_t history_samples(uint32_t) const override { return window_samples_; }
  uint32_t warmup_samples() const override { return window_samples_ + settle_samples_; }
  Status score_hop(const dsp::SampleRing& ring, uint32_t hop_samples, float* scores,
                   const ErrorReporter* reporter) override;

 private:
  Interpreter* interpreter_ = nullptr;
  float* window_ = nullptr;
  uint32_t window_samples_ = 0;
  uint32_t frames_ = 0;
  uint32_t settle_samples_ = 0;
};

}  // namespace mote::seismic
