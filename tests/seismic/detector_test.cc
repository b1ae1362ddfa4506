// The node's detector end to end on synthetic recordings: an arrival at a known sample in
// Gaussian noise must come out as one pick near that sample, from the STA/LTA source and from a
// probability source (a test double standing in for the trained model).
#include "apps/seismic/detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "apps/seismic/sta_lta_source.h"
#include "apps/seismic/stalta_baseline.h"
#include "dsp/sample_ring.h"

namespace mote::seismic {
namespace {

constexpr uint32_t kHop = 10;

// [samples][3] raw counts: Gaussian noise (sigma 50 counts, offset 1000) and, from `onset` on, a
// 10 Hz wave of amplitude `amplitude` under a 3 s decay with noise-like jitter.
std::vector<float> synthetic_recording(std::size_t samples, std::size_t onset, double amplitude,
                                       unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 50.0);
  std::vector<float> x(samples * 3);
  for (std::size_t t = 0; t < samples; ++t) {
    for (int c = 0; c < 3; ++c) {
      double v = 1000.0 + noise(rng);
      if (t >= onset) {
        const double age = (t - onset) / 100.0;
        v += amplitude * std::exp(-age / 3.0) * std::sin(2.0 * M_PI * 10.0 * age + c) *
             (1.0 + 0.3 * noise(rng) / 50.0);
      }
      x[t * 3 + c] = static_cast<float>(v);
    }
  }
  return x;
}

std::vector<Pick> stream(Detector& detector, const std::vector<float>& samples) {
  std::vector<Pick> all, out(detector.max_picks() + 2);
  for (std::size_t t = 0; t < samples.size() / 3; ++t) {
    uint32_t count = 0;
    EXPECT_EQ(detector.push(&samples[t * 3], out.data(), static_cast<uint32_t>(out.size()), &count),
              Status::kOk);
    all.insert(all.end(), out.begin(), out.begin() + count);
  }
  uint32_t count = 0;
  EXPECT_EQ(detector.flush(out.data(), static_cast<uint32_t>(out.size()), &count), Status::kOk);
  all.insert(all.end(), out.begin(), out.begin() + count);
  return all;
}

TEST(StaLtaDetector, PicksSyntheticOnsetsWithinATenthOfASecond) {
  StaLtaSource source;
  ASSERT_EQ(source.init(stalta_config(), nullptr), Status::kOk);
  dsp::SampleRingWithStorage<kHop> ring;
  Detector detector(&ring, &source);
  ASSERT_EQ(detector.init(stalta_detector_config(), nullptr), Status::kOk);
  EXPECT_EQ(detector.armed_from(), 500u);
  for (std::size_t onset = 3000; onset < 3010; ++onset) {  // every position inside a hop
    SCOPED_TRACE(onset);
    detector.reset();
    const auto picks = stream(detector, synthetic_recording(6000, onset, 1000.0, 17 + onset));
    ASSERT_EQ(picks.size(), 1u);
    EXPECT_EQ(picks[0].phase, Phase::kP);
    // The causal band-pass delays the crossing by a few samples; never early.
    EXPECT_GE(picks[0].sample, onset - 1.0);
    EXPECT_LE(picks[0].sample, onset + 10.0);
    EXPECT_GT(picks[0].confidence, 0.75f);  // peak ratio above the trigger's 4
  }
}

TEST(StaLtaDetector, StaysQuietInStationaryNoise) {
  StaLtaSource source;
  ASSERT_EQ(source.init(stalta_config(), nullptr), Status::kOk);
  dsp::SampleRingWithStorage<kHop> ring;
  Detector detector(&ring, &source);
  ASSERT_EQ(detector.init(stalta_detector_config(), nullptr), Status::kOk);
  EXPECT_TRUE(stream(detector, synthetic_recording(30000, 30000, 0.0, 3)).empty());
}

// A stand-in for the trained model: reads the vertical channel's newest hop from the ring and
// reports a P probability that rises with the hop's energy relative to a fixed noise level —
// enough to exercise the detector's plumbing (ring, hop timing, picker, confidence).
class EnergySource : public ScoreSource {
 public:
  uint32_t history_samples(uint32_t hop) const override { return hop; }
  uint32_t warmup_samples() const override { return 200; }
  Status score_hop(const dsp::SampleRing& ring, uint32_t hop, float* scores,
                   const ErrorReporter*) override {
    ++calls;
    double energy = 0.0;
    for (uint32_t i = 0; i < hop; ++i) {
      const float z = ring.at_age(i)[dsp::kVertical];
      energy += double(z) * z;
    }
    const double ratio =
        energy / hop / (50.0 * 50.0 * 0.4);  // band-passed noise power ~ 0.4 sigma^2
    const bool warm = ring.pushed() >= warmup_samples() + hop;
    const auto p = static_cast<float>(warm ? ratio / (ratio + 20.0) : 0.0);
    scores[0] = 1.0f - p;
    scores[1] = p;
    scores[2] = 0.0f;
    return Status::kOk;
  }
  int calls = 0;
};

TEST(ProbabilityDetector, PicksAnOnsetFromPerHopProbabilities) {
  EnergySource source;
  dsp::SampleRingWithStorage<kHop> ring;
  Detector detector(&ring, &source);
  DetectorConfig config;
  config.picker.p = PhaseTrigger{true, 0.5f, 0.25f, 1.0f, 2.0f, PickRefinement::kOnset};
  config.picker.s.enabled = false;
  ASSERT_EQ(detector.init(config, nullptr), Status::kOk);
  const auto picks = stream(detector, synthetic_recording(5000, 2503, 2000.0, 5));
  EXPECT_EQ(source.calls, 500);  // once per hop
  ASSERT_EQ(picks.size(), 1u);
  // One frame per hop at the hop's centre: an onset pick within about a hop.
  EXPECT_NEAR(picks[0].sample, 2503.0, 12.0);
  EXPECT_GE(picks[0].confidence, 0.5f);
  EXPECT_EQ(picks[0].confidence, picks[0].peak_score);  // probabilities are their own confidence
}

TEST(Detector, RefusesPiecesThatDoNotFit) {
  StaLtaSource source;
  ASSERT_EQ(source.init(stalta_config(), nullptr), Status::kOk);
  dsp::SampleRingWithStorage<4> small;  // smaller than a hop
  Detector detector(&small, &source);
  EXPECT_EQ(detector.init(stalta_detector_config(), nullptr), Status::kInvalidArgument);
  dsp::SampleRingWithStorage<kHop> ring;
  Detector zero_hop(&ring, &source);
  DetectorConfig config = stalta_detector_config();
  config.hop_samples = 0;
  EXPECT_EQ(zero_hop.init(config, nullptr), Status::kInvalidArgument);
  config = stalta_detector_config();
  config.hop_samples = 200;  // 200 frames per hop > kMaxFramesPerHop
  dsp::SampleRingWithStorage<200> big;
  Detector too_many(&big, &source);
  EXPECT_EQ(too_many.init(config, nullptr), Status::kInvalidArgument);
  Detector uninitialised(&ring, &source);
  float sample[3] = {};
  Pick out[20];
  uint32_t count = 0;
  EXPECT_EQ(uninitialised.push(sample, out, 20, &count), Status::kNotAllocated);
}

}  // namespace
}  // namespace mote::seismic
