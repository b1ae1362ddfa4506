// Detection scores on hand-made pick lists, worked out by hand.
#include "tools/seismic/pick_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mote::tools {
namespace {

using seismic::Phase;

seismic::Pick pick(Phase phase, double sample) {
  seismic::Pick p;
  p.phase = phase;
  p.sample = sample;
  return p;
}

TEST(PickMetrics, HandWorkedExample) {
  // 100 Hz; P at 1000 in every trace, S at 1300 in traces 0 and 1.
  const std::vector<TruePicks> truth = {{1000, 1300}, {1000, 1300}, {1000, -1}, {1000, -1}};
  std::vector<TraceDetections> d(4);
  for (auto& t : d) {
    t.samples = 3000;
    t.armed_from = 500;
  }
  d[0].picks = {pick(Phase::kP, 1005), pick(Phase::kS, 1340)};  // P +0.05 s, S +0.4 s
  d[1].picks = {pick(Phase::kP, 700), pick(Phase::kP, 980),     // noise pick, P -0.2 s
                pick(Phase::kS, 1400)};                         // S +1.0 s: missed
  d[2].picks = {pick(Phase::kP, 1030), pick(Phase::kP, 1090),   // nearest +0.3 s; extra
                pick(Phase::kP, 400)};                          // before arming: not noise
  d[3].picks = {pick(Phase::kS, 600)};                          // S in the noise
  const DetectionScores s = score_detections(truth, d, 100.0);

  EXPECT_EQ(s.p.true_picks, 4u);
  EXPECT_EQ(s.p.predicted, 6u);
  ASSERT_EQ(s.p.at.size(), 2u);
  EXPECT_EQ(s.p.at[0].matched, 1u);  // only +0.05 within 0.1 s
  EXPECT_EQ(s.p.at[1].matched, 3u);  // +0.05, -0.2, +0.3
  EXPECT_DOUBLE_EQ(s.p.at[1].recall, 0.75);
  EXPECT_DOUBLE_EQ(s.p.at[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(s.p.at[1].f1, 2 * 0.5 * 0.75 / 1.25);
  EXPECT_DOUBLE_EQ(s.p.at[0].recall, 0.25);
  EXPECT_EQ(s.p.residual_count, 3u);
  EXPECT_NEAR(s.p.residual_mean_s, (0.05 - 0.2 + 0.3) / 3.0, 1e-12);
  const double m = 0.05;
  const double var =
      ((0.05 - m) * (0.05 - m) + (-0.2 - m) * (-0.2 - m) + (0.3 - m) * (0.3 - m)) / 2;
  EXPECT_NEAR(s.p.residual_std_s, std::sqrt(var), 1e-12);
  EXPECT_NEAR(s.p.within_smallest, 1.0 / 3.0, 1e-12);

  EXPECT_EQ(s.s.true_picks, 2u);
  EXPECT_EQ(s.s.predicted, 3u);
  EXPECT_EQ(s.s.at[1].matched, 1u);
  EXPECT_DOUBLE_EQ(s.s.at[1].recall, 0.5);
  EXPECT_NEAR(s.s.at[1].precision, 1.0 / 3.0, 1e-12);
  EXPECT_EQ(s.s.at[0].matched, 0u);
  EXPECT_DOUBLE_EQ(s.s.at[0].f1, 0.0);

  // Noise: [500, 1000 - 50) in each trace = 4 x 4.5 s; false triggers: 700 (trace 1), 600 (3).
  EXPECT_EQ(s.false_triggers, 2u);
  EXPECT_NEAR(s.noise_hours, 4 * 4.5 / 3600.0, 1e-12);
  EXPECT_NEAR(s.false_triggers_per_hour, 2.0 / (18.0 / 3600.0), 1e-9);
}

TEST(PickMetrics, UndefinedRatiosAreNaN) {
  const std::vector<TruePicks> truth = {{-1, -1}};
  std::vector<TraceDetections> d(1);
  d[0].samples = 1000;
  const DetectionScores s = score_detections(truth, d, 100.0);
  EXPECT_TRUE(std::isnan(s.p.at[0].recall));
  EXPECT_TRUE(std::isnan(s.p.at[0].precision));
  EXPECT_TRUE(std::isnan(s.p.residual_mean_s));
  // A trace without picks is all noise.
  EXPECT_NEAR(s.noise_hours, 10.0 / 3600.0, 1e-12);
  EXPECT_EQ(s.false_triggers_per_hour, 0.0);
}

TEST(PickMetrics, RefusesMismatchedInput) {
  const std::vector<TruePicks> truth(2);
  const std::vector<TraceDetections> d(1);
  EXPECT_THROW(score_detections(truth, d, 100.0), std::runtime_error);
  EXPECT_THROW(score_detections(truth, std::vector<TraceDetections>(2), 100.0, {}),
               std::runtime_error);
  EXPECT_THROW(score_detections(truth, std::vector<TraceDetections>(2), 100.0, {0.1, -1.0}),
               std::runtime_error);
}

}  // namespace
}  // namespace mote::tools
