// The node's loop from raw samples to events: an arrival becomes one P event at the right time
// on the node's clock, with the amplitude the filters saw, and a sink that fails stops the node
// with its status instead of losing the event silently.
#include "apps/seismic/node.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "apps/seismic/sta_lta_source.h"
#include "apps/seismic/stalta_baseline.h"
#include "dsp/sample_ring.h"

namespace mote::seismic {
namespace {

// [samples][3] counts: noise (sigma 50) on an offset of 1000, and a decaying 8 Hz arrival of
// `amplitude` counts from `onset`.
std::vector<float> recording(std::size_t samples, std::size_t onset, double amplitude) {
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 50.0);
  std::vector<float> x(samples * 3);
  for (std::size_t t = 0; t < samples; ++t) {
    for (int c = 0; c < 3; ++c) {
      double v = 1000.0 + noise(rng);
      if (t >= onset) {
        const double age = static_cast<double>(t - onset) / 100.0;
        v += amplitude * std::exp(-age / 2.0) * std::sin(2.0 * M_PI * 8.0 * age + c);
      }
      x[t * 3 + c] = static_cast<float>(v);
    }
  }
  return x;
}

class RecordingSink : public EventSink {
 public:
  Status on_event(const Event& event, const Pick& pick) override {
    events.push_back(event);
    picks.push_back(pick);
    return fail ? Status::kIoError : Status::kOk;
  }
  std::vector<Event> events;
  std::vector<Pick> picks;
  bool fail = false;
};

struct StaLtaNode {
  StaLtaNode() : detector(&ring, &source) {
    EXPECT_EQ(source.init(stalta_config(), nullptr), Status::kOk);
    EXPECT_EQ(detector.init(stalta_detector_config(), nullptr), Status::kOk);
  }
  StaLtaSource source;
  dsp::SampleRingWithStorage<200> ring;
  Detector detector;
};

TEST(SeismicNode, TurnsAnArrivalIntoOneTimedEvent) {
  StaLtaNode n;
  RecordingSink sink;
  SeismicNode node(&n.detector, &sink);
  NodeClock clock;
  clock.stream_start_cs = 171077712300;
  clock.utc = true;
  node.start(clock);
  const std::vector<float> x = recording(4000, 2500, 20000.0);
  for (std::size_t t = 0; t < 4000; ++t) ASSERT_EQ(node.push(&x[t * 3]), Status::kOk);
  ASSERT_EQ(node.finish(), Status::kOk);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(node.events(), 1u);
  const Event& e = sink.events[0];
  EXPECT_EQ(e.type, EventType::kP);
  EXPECT_TRUE(e.time_utc);
  // One centisecond per sample from the stream's start; the causal filter may delay a little.
  EXPECT_GE(e.time_cs, 171077712300u + 2499u);
  EXPECT_LE(e.time_cs, 171077712300u + 2510u);
  EXPECT_EQ(e.time_cs, 171077712300u + static_cast<uint64_t>(std::llround(sink.picks[0].sample)));
  // Band-passed, the arrival keeps most of its 20000 counts; the 1000-count offset is gone.
  EXPECT_GT(e.amplitude, 5000.0f);
  EXPECT_LT(e.amplitude, 25000.0f);
  EXPECT_FALSE(e.saturated);
  EXPECT_GT(e.confidence, 0.5f);
  EXPECT_LE(e.confidence, 1.0f);
}

TEST(SeismicNode, MarksClippedArrivalsSaturated) {
  StaLtaNode n;
  RecordingSink sink;
  SeismicNode node(&n.detector, &sink);
  node.start({});
  std::vector<float> x = recording(4000, 2500, 20000.0);
  x[2600 * 3 + 2] = kAdcFullScaleCounts;  // one sample at full scale just after the onset
  for (std::size_t t = 0; t < 4000; ++t) ASSERT_EQ(node.push(&x[t * 3]), Status::kOk);
  ASSERT_EQ(node.finish(), Status::kOk);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].saturated);
  EXPECT_FALSE(sink.events[0].time_utc);  // no clock fix given: time since boot
}

TEST(SeismicNode, AFailingSinkStopsTheNodeWithItsStatus) {
  StaLtaNode n;
  RecordingSink sink;
  sink.fail = true;
  SeismicNode node(&n.detector, &sink);
  node.start({});
  const std::vector<float> x = recording(4000, 2500, 20000.0);
  Status last = Status::kOk;
  for (std::size_t t = 0; t < 4000 && last == Status::kOk; ++t) last = node.push(&x[t * 3]);
  if (last == Status::kOk) last = node.finish();
  EXPECT_EQ(last, Status::kIoError);
  EXPECT_EQ(node.events(), 0u);  // the event the sink refused is not counted as sent
}

TEST(SeismicNode, RefusesNullPieces) {
  RecordingSink sink;
  SeismicNode node(nullptr, &sink);
  const float sample[3] = {0, 0, 0};
  EXPECT_EQ(node.push(sample), Status::kInvalidArgument);
  EXPECT_EQ(node.finish(), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::seismic
