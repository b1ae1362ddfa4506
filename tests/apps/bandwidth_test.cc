// MQTT framing and the bandwidth report against figures worked by hand from MQTT 3.1.1.
#include <gtest/gtest.h>

#include "apps/seismic/report/bandwidth.h"
#include "apps/seismic/report/mqtt_framing.h"

namespace mote::seismic::report {
namespace {

TEST(MqttFraming, RemainingLengthBoundaries) {
  EXPECT_EQ(remaining_length_bytes(0), 1u);
  EXPECT_EQ(remaining_length_bytes(127), 1u);
  EXPECT_EQ(remaining_length_bytes(128), 2u);
  EXPECT_EQ(remaining_length_bytes(16383), 2u);
  EXPECT_EQ(remaining_length_bytes(16384), 3u);
  EXPECT_EQ(remaining_length_bytes(2097151), 3u);
  EXPECT_EQ(remaining_length_bytes(2097152), 4u);
}

TEST(MqttFraming, PacketSizesByHand) {
  // "mote/node-0001/event" is 20 bytes: 1 (type) + 1 (length) + 2 + 20 (topic) + 2 (id) + 15.
  EXPECT_EQ(publish_bytes(20, 15, 1), 41u);
  // QoS 0 has no packet identifier.
  EXPECT_EQ(publish_bytes(20, 15, 0), 39u);
  // 900 bytes of samples: remaining 2 + 18 + 2 + 900 = 922 needs a 2-byte length: 925.
  EXPECT_EQ(publish_bytes(18, 900, 1), 925u);
  // CONNECT: 10 (protocol name, level, flags, keep-alive) + 2 + 9 (client id)
  //        + 2 + 21 (will topic) + 2 + 16 (will message) = 62, + 2 bytes of fixed header.
  EXPECT_EQ(connect_bytes(9, 21, 16), 64u);
  EXPECT_EQ(connect_bytes(9, 0, 0), 23u);
}

TEST(Bandwidth, DefaultNodeByHand) {
  const BandwidthReport r = compute_bandwidth(BandwidthInputs{});
  EXPECT_EQ(r.event_publish, 41u);
  EXPECT_EQ(r.event_puback, 4u);
  EXPECT_EQ(r.event_total, 45u);
  // "mote/node-0001/status" is 21 bytes: 1 + 1 + (2 + 21 + 2 + 16 = 41) = 43, + PUBACK 4.
  EXPECT_EQ(r.status_total, 47u);
  EXPECT_EQ(r.connect_total, 68u);  // CONNECT 64 + CONNACK 4
  EXPECT_EQ(r.ping_total, 4u);
  // Per hour: 12 × 45 = 540, 1 × 47, 3600 / 300 × 4 = 48, 68 / 24 = 2.8333.
  EXPECT_DOUBLE_EQ(r.events_per_hour_bytes, 540.0);
  EXPECT_DOUBLE_EQ(r.status_per_hour_bytes, 47.0);
  EXPECT_DOUBLE_EQ(r.keepalive_per_hour_bytes, 48.0);
  EXPECT_NEAR(r.connect_per_hour_bytes, 2.833333, 1e-6);
  EXPECT_NEAR(r.link_per_hour_bytes, 637.833333, 1e-6);
  // Raw: 3 × 100 × 3 = 900 B/s = 3 240 000 B/h.
  EXPECT_DOUBLE_EQ(r.raw_payload_per_hour_bytes, 3240000.0);
  EXPECT_NEAR(r.ratio, 637.833333 / 3240000.0, 1e-12);
  // Raw in MQTT, one second per message: 3600 × (925 + 4) + 2.8333.
  EXPECT_NEAR(r.raw_mqtt_per_hour_bytes, 3344402.833333, 1e-5);
}

TEST(Bandwidth, EventsDominateAtHighRates) {
  BandwidthInputs in;
  in.events_per_hour = 3600;  // one per second
  const BandwidthReport r = compute_bandwidth(in);
  EXPECT_NEAR(r.link_per_hour_bytes, 3600 * 45 + 47 + 48 + 68.0 / 24, 1e-6);
  // 162 000 B/h of events against 3 240 000 B/h of samples: 5 %.
  EXPECT_NEAR(r.ratio, (3600 * 45 + 47 + 48 + 68.0 / 24) / 3240000.0, 1e-12);
  EXPECT_GT(r.ratio, 0.05);
}

TEST(Bandwidth, OnePercentIsReachedAtAbout716EventsAnHour) {
  // 1 % of 3 240 000 B/h is 32 400 B/h; less 97.83 B/h of status, pings and connects, over 45 B
  // per event: 717.8 events an hour.
  BandwidthInputs in;
  in.events_per_hour = 717;
  EXPECT_LT(compute_bandwidth(in).ratio, 0.01);
  in.events_per_hour = 718;
  EXPECT_GT(compute_bandwidth(in).ratio, 0.01);
}

TEST(Bandwidth, RefusesNonsense) {
  BandwidthInputs in;
  in.keepalive_s = 0;
  EXPECT_THROW(compute_bandwidth(in), std::invalid_argument);
  in = {};
  in.events_per_hour = -1;
  EXPECT_THROW(compute_bandwidth(in), std::invalid_argument);
  in = {};
  in.node_id = "";
  EXPECT_THROW(compute_bandwidth(in), std::invalid_argument);
}

}  // namespace
}  // namespace mote::seismic::report
