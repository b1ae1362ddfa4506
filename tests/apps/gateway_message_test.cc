// The gateway's message handling without a broker: every malformed message is refused and
// counted, random payloads never throw, and good ones are stored once.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "apps/gateway/gateway.h"

namespace mote::gateway {
namespace {

std::vector<uint8_t> good_packet(uint32_t sequence) {
  seismic::EventPacket p;
  p.flags = seismic::kFlagTimeUtc;
  p.sequence = sequence;
  p.time_cs = 171077712300;
  p.confidence = 250;
  std::vector<uint8_t> b(seismic::kEventPacketBytes);
  EXPECT_EQ(seismic::encode_event_packet(p, b.data(), nullptr), Status::kOk);
  return b;
}

GatewayConfig memory_config() {
  GatewayConfig c;
  c.database = ":memory:";
  return c;
}

TEST(GatewayMessages, StoresGoodEventsOnceAndCountsTheRest) {
  Gateway g(memory_config());
  g.handle_message("mote/n1/event", good_packet(0));
  g.handle_message("mote/n1/event", good_packet(0));
  g.handle_message("mote/n1/event", good_packet(1));
  std::vector<uint8_t> bad = good_packet(2);
  bad[5] ^= 1;
  g.handle_message("mote/n1/event", bad);
  g.handle_message("mote/n1/event", std::vector<uint8_t>(3, 0));
  g.handle_message("mote/n1/status", std::vector<uint8_t>(16, 0));
  g.handle_message("mote/bad node/event", good_packet(3));
  g.handle_message("elsewhere", good_packet(4));
  g.handle_message("mote/n1/telemetry", good_packet(5));
  EXPECT_EQ(g.counters().stored, 2u);
  EXPECT_EQ(g.counters().duplicates, 1u);
  EXPECT_EQ(g.counters().malformed, 6u);
  const auto report = g.store().report();
  ASSERT_EQ(report.size(), 2u);  // "?" and "n1"
  EXPECT_EQ(report[0].node, "?");
  EXPECT_EQ(report[0].malformed_by_reason.at("bad_topic"), 2u);
  EXPECT_EQ(report[1].node, "n1");
  EXPECT_EQ(report[1].received, 2u);
  EXPECT_EQ(report[1].malformed_by_reason.at("bad_checksum"), 1u);
  EXPECT_EQ(report[1].malformed_by_reason.at("wrong_length"), 1u);
  EXPECT_EQ(report[1].malformed_by_reason.at("bad_status"), 1u);
  EXPECT_EQ(report[1].malformed_by_reason.at("bad_topic"), 1u);
}

TEST(GatewayMessages, RandomPayloadsAreCountedNeverThrown) {
  Gateway g(memory_config());
  std::mt19937 rng(3);
  uint64_t refused = 0;
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint8_t> payload(rng() % 40);
    for (auto& b : payload) b = static_cast<uint8_t>(rng());
    const uint64_t before = g.counters().malformed;
    ASSERT_NO_THROW(g.handle_message((i % 2) != 0 ? "mote/f/event" : "mote/f/status", payload));
    refused += g.counters().malformed - before;
  }
  EXPECT_EQ(g.counters().messages, 5000u);
  EXPECT_EQ(refused + g.counters().stored + g.counters().duplicates + g.counters().conflicts +
                g.counters().statuses,
            5000u);
}

}  // namespace
}  // namespace mote::gateway
