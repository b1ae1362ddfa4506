// The picker on scripted score curves: where it puts a pick inside the hop, its hysteresis,
// hold-off and bounded latency.
#include "apps/seismic/picker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

namespace mote::seismic {
namespace {

constexpr uint32_t kHop = 10;

// One frame per hop at the hop's centre, as a per-hop model writes them.
constexpr FrameTiming kPerHop{1, 4.5f, 10.0f};

PickerConfig probability_config() {
  PickerConfig c;
  c.p = PhaseTrigger{true, 0.5f, 0.25f, 1.0f, 2.0f, PickRefinement::kPeak};
  c.s = PhaseTrigger{true, 0.5f, 0.25f, 1.0f, 2.0f, PickRefinement::kPeak};
  return c;
}

// Feeds `hops` hops whose P score at stream position x is p(x) and S score s(x).
std::vector<Pick> run(
    Picker& picker, const FrameTiming& timing, int hops, const std::function<float(double)>& p,
    const std::function<float(double)>& s = [](double) { return 0.0f; }) {
  std::vector<Pick> all;
  std::vector<float> scores(timing.frames_per_hop * kNumPhases);
  std::vector<Pick> out(picker.max_picks_per_hop());
  for (int h = 0; h < hops; ++h) {
    const uint64_t first = static_cast<uint64_t>(h) * kHop;
    for (uint32_t f = 0; f < timing.frames_per_hop; ++f) {
      const double x = first + timing.first_offset + f * timing.step;
      scores[f * 3 + 0] = 1.0f - p(x) - s(x);
      scores[f * 3 + 1] = p(x);
      scores[f * 3 + 2] = s(x);
    }
    uint32_t count = 0;
    EXPECT_EQ(picker.push_hop(scores.data(), first, out.data(), static_cast<uint32_t>(out.size()),
                              &count, nullptr),
              Status::kOk);
    all.insert(all.end(), out.begin(), out.begin() + count);
  }
  uint32_t count = 0;
  EXPECT_EQ(picker.flush(out.data(), static_cast<uint32_t>(out.size()), &count, nullptr),
            Status::kOk);
  all.insert(all.end(), out.begin(), out.begin() + count);
  return all;
}

std::function<float(double)> bump(double centre, double sigma, double height = 0.95) {
  return [=](double x) {
    return static_cast<float>(height *
                              std::exp(-0.5 * (x - centre) * (x - centre) / (sigma * sigma)));
  };
}

TEST(Picker, PeakIsRefinedInsideTheHop) {
  // A probability bump (sigma 8 samples) centred anywhere inside a hop: the parabola through the
  // three frames around the peak finds it to within 2 samples, although frames are 10 apart.
  double worst = 0.0, worst_unrefined = 0.0;
  for (int k = 0; k < 20; ++k) {
    const double centre = 3000.0 + 0.5 * k;
    Picker picker;
    ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);
    const auto picks = run(picker, kPerHop, 600, bump(centre, 8.0));
    ASSERT_EQ(picks.size(), 1u) << centre;
    EXPECT_EQ(picks[0].phase, Phase::kP);
    // The highest frame: at most half a hop from the centre, 0.95 exp(-(5/8)^2 / 2) = 0.78.
    EXPECT_GE(picks[0].peak_score, 0.78f);
    EXPECT_LE(picks[0].peak_score, 0.95f);
    worst = std::max(worst, std::fabs(picks[0].sample - centre));
    const double nearest_frame = std::round((centre - 4.5) / 10.0) * 10.0 + 4.5;
    worst_unrefined = std::max(worst_unrefined, std::fabs(nearest_frame - centre));
  }
  EXPECT_LT(worst, 2.0);
  EXPECT_GT(worst_unrefined, 4.0);  // frame times alone are up to half a hop off
}

TEST(Picker, TypesPAndS) {
  Picker picker;
  ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);
  const auto picks = run(picker, kPerHop, 600, bump(2000.0, 8.0), bump(2400.0, 10.0, 0.8));
  ASSERT_EQ(picks.size(), 2u);
  EXPECT_EQ(picks[0].phase, Phase::kP);
  EXPECT_NEAR(picks[0].sample, 2000.0, 2.0);
  EXPECT_EQ(picks[1].phase, Phase::kS);
  EXPECT_NEAR(picks[1].sample, 2400.0, 2.0);
  EXPECT_GE(picks[1].peak_score, 0.8f * std::exp(-0.5f * 0.25f));
  EXPECT_LE(picks[1].peak_score, 0.8f);
}

TEST(Picker, HysteresisKeepsOneTriggerThroughADip) {
  // Above on, a dip to 0.3 (below on, above off), above on again: one pick.
  auto dip = [](double x) -> float {
    if (x >= 1000 && x < 1100) return 0.9f;
    if (x >= 1100 && x < 1150) return 0.3f;
    if (x >= 1150 && x < 1250) return 0.8f;
    return 0.0f;
  };
  PickerConfig c = probability_config();
  c.p.holdoff_s = 0.0f;
  Picker picker;
  ASSERT_EQ(picker.init(c, kPerHop, nullptr), Status::kOk);
  EXPECT_EQ(run(picker, kPerHop, 200, dip).size(), 1u);
  // The same with the dip below off: two picks.
  auto deep = [&](double x) -> float { return x >= 1100 && x < 1150 ? 0.1f : dip(x); };
  picker.reset();
  EXPECT_EQ(run(picker, kPerHop, 200, deep).size(), 2u);
}

TEST(Picker, HoldOffSuppressesARepeatOfTheSamePhase) {
  auto two = [](double gap) {
    return [=](double x) { return std::max(bump(1000.0, 8.0)(x), bump(1000.0 + gap, 8.0)(x)); };
  };
  Picker picker;
  ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);  // 1 s hold-off
  EXPECT_EQ(run(picker, kPerHop, 400, two(60.0)).size(), 1u);
  picker.reset();
  EXPECT_EQ(run(picker, kPerHop, 400, two(150.0)).size(), 2u);
}

TEST(Picker, LongTriggersAreSentAfterTheMaximumDuration) {
  // A plateau of 10 s: the pick leaves 2 s after the trigger starts, and no second pick follows
  // until the score has fallen below off.
  auto plateau = [](double x) -> float {
    if (x < 1000 || x >= 2000) return 0.0f;
    return x < 1100 ? 0.6f : 0.9f;
  };
  PickerConfig c = probability_config();
  c.p.holdoff_s = 0.0f;
  Picker picker;
  ASSERT_EQ(picker.init(c, kPerHop, nullptr), Status::kOk);
  std::vector<float> scores(3, 0.0f);
  std::vector<Pick> out(picker.max_picks_per_hop());
  int emitted_at = -1, picks = 0;
  for (int h = 0; h < 300; ++h) {
    const double x = h * 10.0 + 4.5;
    scores[1] = plateau(x);
    uint32_t count = 0;
    ASSERT_EQ(picker.push_hop(scores.data(), h * 10, out.data(), 2, &count, nullptr), Status::kOk);
    if (count > 0 && emitted_at < 0) emitted_at = h;
    picks += static_cast<int>(count);
  }
  EXPECT_EQ(picks, 1);
  EXPECT_NEAR(emitted_at * 10.0, 1000.0 + 200.0, 10.0);
}

TEST(Picker, OnsetIsInterpolatedBetweenFrames) {
  // One frame per sample (as STA/LTA), a ramp crossing 4 at x = 1003.25.
  const FrameTiming per_sample{kHop, 0.0f, 1.0f};
  PickerConfig c;
  c.p = PhaseTrigger{true, 4.0f, 1.0f, 0.0f, 1.0f, PickRefinement::kOnset};
  c.s.enabled = false;
  Picker picker;
  ASSERT_EQ(picker.init(c, per_sample, nullptr), Status::kOk);
  auto ramp = [](double x) -> float {
    if (x < 1000 || x > 1300) return 0.5f;
    return static_cast<float>(0.5 + (x - 1000) * (3.5 / 3.25));
  };
  const auto picks = run(picker, per_sample, 200, ramp);
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_NEAR(picks[0].sample, 1003.25, 1e-3);
}

TEST(Picker, DisabledPhaseNeverPicks) {
  PickerConfig c = probability_config();
  c.s.enabled = false;
  Picker picker;
  ASSERT_EQ(picker.init(c, kPerHop, nullptr), Status::kOk);
  const auto picks = run(picker, kPerHop, 400, bump(1000.0, 8.0), bump(3000.0, 8.0));
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_EQ(picks[0].phase, Phase::kP);
}

TEST(Picker, IgnoresFramesBeforeTheWarmUp) {
  Picker picker;
  ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);
  picker.ignore_before(1500.0);
  const auto picks = run(picker, kPerHop, 400, [](double x) {
    return std::max(bump(1000.0, 8.0)(x), bump(2000.0, 8.0)(x));
  });
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_NEAR(picks[0].sample, 2000.0, 2.0);
}

TEST(Picker, FlushSendsAnOpenTrigger) {
  Picker picker;
  ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);
  const auto picks = run(picker, kPerHop, 100, [](double x) { return x > 950 ? 0.9f : 0.0f; });
  ASSERT_EQ(picks.size(), 1u);
}

TEST(Picker, RefusesBadConfigurationsAndSmallBuffers) {
  Picker picker;
  PickerConfig c = probability_config();
  c.p.off = 0.6f;  // above on
  EXPECT_EQ(picker.init(c, kPerHop, nullptr), Status::kInvalidArgument);
  c = probability_config();
  c.s.holdoff_s = -1.0f;
  EXPECT_EQ(picker.init(c, kPerHop, nullptr), Status::kInvalidArgument);
  c = probability_config();
  c.p.max_duration_s = 0.0f;
  EXPECT_EQ(picker.init(c, kPerHop, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(picker.init(probability_config(), FrameTiming{0, 0.0f, 1.0f}, nullptr),
            Status::kInvalidArgument);
  EXPECT_EQ(picker.init(probability_config(), FrameTiming{1, 0.0f, 0.0f}, nullptr),
            Status::kInvalidArgument);
  ASSERT_EQ(picker.init(probability_config(), kPerHop, nullptr), Status::kOk);
  float scores[3] = {};
  Pick out[1];
  uint32_t count = 0;
  EXPECT_EQ(picker.push_hop(scores, 0, out, 1, &count, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(picker.flush(out, 1, &count, nullptr), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::seismic
