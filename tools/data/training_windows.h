// Training windows for a per-hop phase detector, cut at random from seismic recordings.
//
// A window is `window_samples` of filtered, normalised 3-component samples ending at sample `end`
// of a trace; its label says what arrived in its newest hop (the last `hop_samples` samples):
// P, S (the later of the two if both), or noise. That is the question the node asks its model
// every hop. Each window is drawn as one of four kinds:
//   P / S  — the onset lands uniformly inside the newest hop, widened by `max_time_shift` samples
//            on either side (time-shift augmentation: onsets just outside the hop teach the edge;
//            their label follows where the onset really is, and p_offset / s_offset give its
//            exact place for soft targets). The P position is never fixed (every trace of
//            ncedc154 has P at sample 3000: a fixed crop would teach the position);
//   noise  — ends at least `noise_guard_samples` before P: pre-event noise;
//   coda   — ends after P's hop: the ringing after an arrival, which must not fire again.
// Augmentation works on the raw counts of the window plus `warmup_samples` before it, which are
// then filtered by dsp::FeatureExtractor from a fresh state (the warm-up lets the filters settle
// as they have on a node that has been streaming), cut to the window and normalised:
//   noise mixing — adds pre-event noise of another trace, scaled per component to a random share
//                  of the window's own RMS (lower SNR with real, coloured noise);
//   Gaussian     — adds white noise with a random share of each component's RMS;
//   gain         — one log-uniform factor for all components (the per-window normalisation
//                  should undo it; kept so that a change of normalisation does not go unnoticed);
//   dropout      — zeroes the horizontals (as the 39 vertical-only stations) or one component.
// Everything is drawn from one seeded generator: the same seed gives the same windows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "apps/seismic/phase.h"
#include "dsp/feature_extractor.h"
#include "tools/data/random.h"
#include "tools/data/seismic_dataset.h"

namespace mote::tools {

enum class WindowKind : std::uint8_t { kP, kS, kNoise, kCoda };

// "P", "S", "noise" or "coda".
const char* window_kind_name(WindowKind kind);

struct WindowConfig {
  std::uint32_t window_samples = 400;       // 4 s at 100 Hz
  std::uint32_t hop_samples = 10;           // the node's hop: 0.1 s
  std::uint32_t warmup_samples = 500;       // filtered before the window and dropped
  std::uint32_t max_time_shift = 10;        // onsets up to this far outside the newest hop
  std::uint32_t noise_guard_samples = 200;  // noise windows end at least 2 s before P
  // Shares of the kinds (normalised; a kind a trace cannot give is redrawn).
  double p_share = 0.3;
  double s_share = 0.3;
  double noise_share = 0.3;
  double coda_share = 0.1;
  dsp::FeatureConfig features;
};

struct AugmentConfig {
  bool enabled = true;
  double mix_probability = 0.3;
  double mix_min_ratio = 0.1;  // added noise RMS / window RMS, log-uniform in [min, max]
  double mix_max_ratio = 1.0;
  double gaussian_probability = 0.3;
  double gaussian_max_ratio = 0.3;  // white-noise sigma / component RMS, uniform in [0, max]
  double gain_min = 0.1;
  double gain_max = 10.0;
  double dropout_probability = 0.15;  // half of it zeroes E and N, half one random component
};

struct TrainingWindow {
  std::vector<float> features;  // [window_samples][3], normalised
  seismic::Phase label = seismic::Phase::kNoise;
  std::int64_t p_offset = -1;  // P onset's index inside the window, or -1
  std::int64_t s_offset = -1;  // S onset's index inside the window, or -1
  std::size_t trace = 0;
  std::int64_t end = 0;  // the window's last sample in the trace
  WindowKind kind = WindowKind::kNoise;
};

// The label of a window ending at `end` with `hop` samples per hop: the later phase whose onset
// lies in [end - hop + 1, end], else noise.
seismic::Phase window_label(std::int64_t p_index, std::int64_t s_index, std::int64_t end,
                            std::uint32_t hop);

class WindowSampler {
 public:
  // Draws from `traces` of `data` (which must outlive the sampler). Throws when the configuration
  // is inconsistent, the traces are too short for window + warm-up, or no trace is usable.
  WindowSampler(const SeismicDataset& data, std::vector<std::size_t> traces, WindowConfig config,
                AugmentConfig augment, std::uint64_t seed);

  // The next window.
  TrainingWindow next();

  const WindowConfig& config() const { return config_; }

 private:
  // The window's last sample for `kind` in `trace`, or -1 when the trace cannot give that kind.
  std::int64_t draw_end(WindowKind kind, std::size_t trace);
  // Adds pre-event noise of another trace to the [3][length] raw segment.
  void mix_noise(std::vector<float>& segment, std::size_t length, std::size_t trace);

  const SeismicDataset& data_;
  std::vector<std::size_t> traces_;
  std::vector<std::size_t> noise_traces_;  // traces with at least one noise stretch
  WindowConfig config_;
  AugmentConfig augment_;
  Random random_;
  dsp::FeatureExtractor extractor_;
};

}  // namespace mote::tools
