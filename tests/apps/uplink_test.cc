// The uplink over a scripted radio: window, order, replay after the link drops, rate limit,
// refusals by the radio, skipped corrupt records and the status it sends.
#include <gtest/gtest.h>

#include <vector>

#include "apps/seismic/link/ram_queue_storage.h"
#include "apps/seismic/link/uplink.h"

namespace mote::seismic {
namespace {

// Records what is sent; acknowledges on request; can refuse.
class ScriptedRadio final : public Radio {
 public:
  Status send_event(const uint8_t* packet, size_t size, uint32_t* token) override {
    if (refuse) return Status::kIoError;
    EventPacket p;
    EXPECT_EQ(decode_event_packet(packet, size, &p, nullptr, nullptr), Status::kOk);
    sent.push_back(p.sequence);
    *token = next_token++;
    tokens.push_back(*token);
    return Status::kOk;
  }
  Status send_status(const uint8_t* packet, size_t size) override {
    StatusPacket s;
    EXPECT_EQ(decode_status_packet(packet, size, &s, nullptr), Status::kOk);
    statuses.push_back(s);
    return Status::kOk;
  }
  // Acknowledges the oldest unacknowledged token, as a broker does (PUBACKs in order).
  void ack_next(Uplink& uplink) {
    ASSERT_LT(acked, tokens.size());
    uplink.on_acknowledged(tokens[acked++]);
  }

  bool refuse = false;
  uint32_t next_token = 1000;
  size_t acked = 0;
  std::vector<uint32_t> sent;
  std::vector<uint32_t> tokens;
  std::vector<StatusPacket> statuses;
};

Event pick(uint64_t t) {
  Event e;
  e.time_cs = 1000 + t;
  e.confidence = 0.9f;
  e.amplitude = 10;
  return e;
}

struct Fixture {
  explicit Fixture(UplinkConfig config = {}) : queue(storage, {}, nullptr) {
    EXPECT_EQ(queue.open(), Status::kOk);
    uplink = std::make_unique<Uplink>(queue, radio, config, nullptr);
    EXPECT_EQ(uplink->init(), Status::kOk);
  }
  RamQueueStorage<64> storage;
  EventQueue queue;
  ScriptedRadio radio;
  std::unique_ptr<Uplink> uplink;
};

TEST(Uplink, SendsNothingWhileTheLinkIsDown) {
  Fixture f;
  for (int i = 0; i < 5; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_TRUE(f.radio.sent.empty());
  EXPECT_EQ(f.queue.size(), 5u);
}

TEST(Uplink, KeepsAtMostTheWindowInFlightAndSendsInOrder) {
  Fixture f(UplinkConfig{4, 0});
  for (int i = 0; i < 10; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  f.uplink->on_link_up();
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(f.uplink->in_flight(), 4u);
  f.radio.ack_next(*f.uplink);
  f.radio.ack_next(*f.uplink);
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(f.queue.head_sequence(), 2u);
  while (f.radio.acked < f.radio.tokens.size()) {
    f.radio.ack_next(*f.uplink);
    ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  }
  EXPECT_EQ(f.radio.sent.size(), 10u);
  EXPECT_EQ(f.queue.size(), 0u);
  EXPECT_EQ(f.uplink->counters().acknowledged, 10u);
  EXPECT_EQ(f.uplink->counters().resent, 0u);
}

TEST(Uplink, ReplaysFromTheOldestUnacknowledgedAfterTheLinkDrops) {
  Fixture f(UplinkConfig{4, 0});
  for (int i = 0; i < 6; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  f.uplink->on_link_up();
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);  // 0..3 in flight
  f.radio.ack_next(*f.uplink);                // 0 delivered
  f.uplink->on_link_down();                   // 1..3 fate unknown
  for (int i = 6; i < 8; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent.size(), 4u);  // nothing while down
  f.uplink->on_link_up();
  f.radio.acked = f.radio.tokens.size();  // the old session's tokens are gone
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent, (std::vector<uint32_t>{0, 1, 2, 3, 1, 2, 3, 4}));
  EXPECT_EQ(f.uplink->counters().resent, 3u);
  // A late acknowledgement from the lost session matches nothing.
  f.uplink->on_acknowledged(f.radio.tokens[1]);
  EXPECT_EQ(f.queue.head_sequence(), 1u);
}

TEST(Uplink, RateLimitSpacesTheSends) {
  Fixture f(UplinkConfig{16, 10});  // 10 events per second
  for (int i = 0; i < 20; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  f.uplink->on_link_up();
  ASSERT_EQ(f.uplink->pump(1000), Status::kOk);
  EXPECT_EQ(f.radio.sent.size(), 1u);
  ASSERT_EQ(f.uplink->pump(1050), Status::kOk);  // half a token
  EXPECT_EQ(f.radio.sent.size(), 1u);
  ASSERT_EQ(f.uplink->pump(1100), Status::kOk);
  EXPECT_EQ(f.radio.sent.size(), 2u);
  ASSERT_EQ(f.uplink->pump(1600), Status::kOk);  // 5 more tokens
  EXPECT_EQ(f.radio.sent.size(), 7u);
}

TEST(Uplink, ARefusingRadioIsRetriedLater) {
  Fixture f;
  ASSERT_EQ(f.uplink->submit(pick(0)), Status::kOk);
  f.uplink->on_link_up();
  f.radio.refuse = true;
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_TRUE(f.radio.sent.empty());
  f.radio.refuse = false;
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent, std::vector<uint32_t>{0});
}

TEST(Uplink, SkipsACorruptRecord) {
  Fixture f;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  f.storage.slot_bytes(1)[4] ^= 1;
  f.uplink->on_link_up();
  ASSERT_EQ(f.uplink->pump(0), Status::kOk);
  EXPECT_EQ(f.radio.sent, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(f.queue.counters().corrupt, 1u);
  f.radio.ack_next(*f.uplink);
  f.radio.ack_next(*f.uplink);
  EXPECT_EQ(f.queue.size(), 0u);
}

TEST(Uplink, FollowsTheHeadWhenOverflowDropsEventsInFlight) {
  RamQueueStorage<4> storage;
  EventQueue queue(storage, {}, nullptr);
  ASSERT_EQ(queue.open(), Status::kOk);
  ScriptedRadio radio;
  Uplink uplink(queue, radio, UplinkConfig{2, 0}, nullptr);
  ASSERT_EQ(uplink.init(), Status::kOk);
  uplink.on_link_up();
  for (int i = 0; i < 4; ++i) ASSERT_EQ(uplink.submit(pick(i)), Status::kOk);
  ASSERT_EQ(uplink.pump(0), Status::kOk);                                      // 0, 1 in flight
  for (int i = 4; i < 8; ++i) ASSERT_EQ(uplink.submit(pick(i)), Status::kOk);  // drops 0..3
  EXPECT_EQ(queue.counters().dropped, 4u);
  radio.ack_next(uplink);
  radio.ack_next(uplink);
  ASSERT_EQ(uplink.pump(0), Status::kOk);
  EXPECT_EQ(radio.sent, (std::vector<uint32_t>{0, 1, 4, 5}));
}

TEST(Uplink, StatusDescribesTheQueue) {
  Fixture f;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.uplink->submit(pick(i)), Status::kOk);
  ASSERT_EQ(f.uplink->send_status(3300, 42), Status::kOk);
  ASSERT_EQ(f.radio.statuses.size(), 1u);
  const StatusPacket& s = f.radio.statuses[0];
  EXPECT_TRUE(s.online);
  EXPECT_EQ(s.battery_mv, 3300);
  EXPECT_EQ(s.queue_depth, 3);
  EXPECT_EQ(s.next_sequence, 3u);
  EXPECT_EQ(s.dropped, 0);
  EXPECT_EQ(s.uptime_s, 42u);
  EXPECT_FALSE(f.uplink->status(false, 0, 0).online);
}

TEST(Uplink, RefusesAWindowBeyondTheAcknowledgementRange) {
  RamQueueStorage<4> storage;
  EventQueue queue(storage, {}, nullptr);
  ASSERT_EQ(queue.open(), Status::kOk);
  ScriptedRadio radio;
  Uplink zero(queue, radio, UplinkConfig{0, 0}, nullptr);
  EXPECT_EQ(zero.init(), Status::kInvalidArgument);
  Uplink wide(queue, radio, UplinkConfig{kMaxAckWindow + 1, 0}, nullptr);
  EXPECT_EQ(wide.init(), Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::seismic
