// DSP host = node: the training side (tools/data: a whole recording filtered component by
// component, then a window cut, interleaved and normalised) and the node side (the detector's
// path: one sample at a time through the filters into the ring, the newest window copied out
// every hop and normalised) must hand a model the same bits for every hop. One implementation,
// two call patterns: a difference in state handling, ring wrap or copy order shows up here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include "dsp/feature_extractor.h"
#include "dsp/sample_ring.h"
#include "dsp/window_normalize.h"
#include "tools/data/seismic_dataset.h"
#include "tools/data/trace_features.h"

namespace mote::dsp {
namespace {

constexpr uint32_t kWindow = 400;
constexpr uint32_t kHop = 10;

// Streams [3][samples] component-major `trace` through the node's path; calls `check(end, window)`
// for every hop whose window is full.
template <typename Check>
void stream(std::span<const float> trace, std::size_t samples, const FeatureConfig& config,
            Check check) {
  FeatureExtractor extractor;
  ASSERT_EQ(extractor.init(config, nullptr), Status::kOk);
  SampleRingWithStorage<kWindow> ring;
  std::vector<float> window(kWindow * kComponents);
  for (std::size_t t = 0; t < samples; ++t) {
    float sample[kComponents] = {trace[t], trace[samples + t], trace[2 * samples + t]};
    extractor.push(sample, sample);
    ring.push(sample);
    if ((t + 1) % kHop != 0 || ring.size() < kWindow) continue;
    ASSERT_EQ(ring.copy_latest(kWindow, window.data(), nullptr), Status::kOk);
    ASSERT_EQ(normalize_window(window.data(), kWindow, kNormalizeEpsilon, window.data(), nullptr),
              Status::kOk);
    check(t, window);
  }
}

void expect_identical(std::span<const float> trace, std::size_t samples,
                      const FeatureConfig& config) {
  const std::vector<float> filtered = tools::filter_trace(trace, samples, config);
  int windows = 0, differing = 0;
  stream(trace, samples, config, [&](std::size_t end, const std::vector<float>& node) {
    const std::vector<float> training = tools::window_features(filtered, samples, end, kWindow);
    ++windows;
    if (std::memcmp(node.data(), training.data(), node.size() * sizeof(float)) != 0) ++differing;
  });
  EXPECT_GT(windows, 0);
  EXPECT_EQ(differing, 0) << "of " << windows << " windows";
}

TEST(StreamEqualsBatch, RealRecordings) {
  const std::filesystem::path dir =
      std::filesystem::path(MOTE_SHARED_DIR) / "data/seismic/ncedc154";
  const auto data = tools::SeismicDataset::load(dir / "waveforms.npy", dir / "labels.csv");
  // A three-component velocity sensor, a vertical-only station and an accelerometer.
  std::vector<std::size_t> chosen;
  for (auto want : {"velocity3", "vertical", "accelerometer"}) {
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& l = data.label(i);
      const bool match =
          std::string(want) == "vertical"
              ? l.vertical_only
              : (!l.vertical_only &&
                 l.instrument == (std::string(want) == "velocity3" ? "velocity" : "accelerometer"));
      if (match) {
        chosen.push_back(i);
        break;
      }
    }
  }
  ASSERT_EQ(chosen.size(), 3u);
  for (std::size_t i : chosen) {
    SCOPED_TRACE(data.label(i).id);
    expect_identical(data.trace(i), data.samples_per_trace(), FeatureConfig{});
  }
}

TEST(StreamEqualsBatch, RawCountsWithAnOffsetAndAnotherBand) {
  // Raw digitiser counts with a large offset (the DC blocker's job), and a non-default band.
  const std::size_t samples = 3000;
  std::vector<float> trace(3 * samples);
  unsigned state = 7;
  for (std::size_t t = 0; t < samples; ++t) {
    for (int c = 0; c < 3; ++c) {
      state = state * 1664525u + 1013904223u;
      const float noise = static_cast<float>(static_cast<int>(state >> 20) - 2048);
      const float quake = t > 1700 ? 40.0f * noise : noise;
      trace[c * samples + t] = std::round(100000.0f * (c + 1) + quake);
    }
  }
  FeatureConfig config;
  config.band_order = 2;
  config.band_low_hz = 2.0;
  config.band_high_hz = 15.0;
  expect_identical(trace, samples, config);
}

TEST(StreamEqualsBatch, DetectsADifference) {
  // The comparison can fail: a band one part in a million wider changes the bits.
  const std::size_t samples = 1000;
  std::vector<float> trace(3 * samples);
  for (std::size_t t = 0; t < samples; ++t) {
    for (int c = 0; c < 3; ++c) trace[c * samples + t] = std::sin(0.3f * t + c) * 100.0f;
  }
  FeatureConfig other;
  other.band_high_hz = 20.00002;
  const std::vector<float> filtered = tools::filter_trace(trace, samples, other);
  int differing = 0;
  stream(trace, samples, FeatureConfig{}, [&](std::size_t end, const std::vector<float>& node) {
    const auto training = tools::window_features(filtered, samples, end, kWindow);
    differing += std::memcmp(node.data(), training.data(), node.size() * sizeof(float)) != 0;
  });
  EXPECT_GT(differing, 0);
}

}  // namespace
}  // namespace mote::dsp
