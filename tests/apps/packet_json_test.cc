// The JSON debug form: the issue's example shape, exact conversion back, and refusals.
#include <gtest/gtest.h>

#include "apps/seismic/link/host/packet_json.h"

namespace mote::seismic {
namespace {

TEST(PacketJson, HasTheIssueExampleShape) {
  EventPacket p;
  p.flags = kFlagTimeUtc;
  p.type = EventType::kP;
  p.sequence = 17;
  p.time_cs = 171077712345;
  p.confidence = 240;  // 0.941176...
  p.amplitude = 1234;
  const auto json = event_packet_json(p);
  EXPECT_EQ(json.dump(),
            R"({"event":"P-Arrival","seq":17,"timestamp":1710777123.45,"time_base":"utc",)"
            R"("confidence":0.941,"amplitude":1234,"saturated":false})");
}

TEST(PacketJson, ConvertsBackToTheSamePacket) {
  for (int confidence = 0; confidence < 256; ++confidence) {
    EventPacket p;
    p.flags = static_cast<uint8_t>(confidence % 4);
    p.type = (confidence % 2) != 0 ? EventType::kS : EventType::kP;
    p.sequence = static_cast<uint32_t>(confidence * 65521) & kSequenceMask;
    p.time_cs = 171077712300ull + static_cast<uint64_t>(confidence) * 37;
    p.confidence = static_cast<uint8_t>(confidence);
    bool clamped = false;
    p.amplitude = encode_amplitude(confidence * 123457.0, &clamped);
    const EventPacket q =
        event_packet_from_json(nlohmann::json::parse(event_packet_json(p).dump()));
    EXPECT_EQ(q.flags, p.flags);
    EXPECT_EQ(q.type, p.type);
    EXPECT_EQ(q.sequence, p.sequence);
    EXPECT_EQ(q.time_cs, p.time_cs);
    EXPECT_EQ(q.confidence, p.confidence);
    EXPECT_EQ(q.amplitude, p.amplitude);
  }
}

TEST(PacketJson, RefusesWhatThePacketCannotHold) {
  const auto base = nlohmann::json::parse(
      R"({"event":"S-Arrival","seq":1,"timestamp":1710777123,"confidence":0.5,"amplitude":10})");
  EXPECT_NO_THROW(event_packet_from_json(base));
  const char* bad[][2] = {{"event", R"("Q-Arrival")"},
                          {"seq", "16777216"},
                          {"seq", "-1"},
                          {"seq", "1.5"},
                          {"confidence", "1.5"},
                          {"confidence", R"("high")"},
                          {"timestamp", "-3"},
                          {"amplitude", "-1"},
                          {"time_base", R"("gps")"},
                          {"saturated", "1"},
                          {"colour", R"("red")"}};
  for (const auto& [key, value] : bad) {
    nlohmann::json j = base;
    j[key] = nlohmann::json::parse(value);
    EXPECT_THROW(event_packet_from_json(j), std::invalid_argument) << key << "=" << value;
  }
  nlohmann::json missing = base;
  missing.erase("confidence");
  try {
    event_packet_from_json(missing);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("confidence"), std::string::npos);
  }
  EXPECT_THROW(event_packet_from_json(nlohmann::json::array()), std::invalid_argument);
}

TEST(PacketJson, StatusForm) {
  StatusPacket s;
  s.battery_mv = 3600;
  s.queue_depth = 2;
  s.next_sequence = 300;
  s.uptime_s = 42;
  EXPECT_EQ(status_packet_json(s).dump(),
            R"({"online":true,"battery_mv":3600,"queue_depth":2,"next_seq":300,"dropped":0,)"
            R"("uptime_s":42})");
}

}  // namespace
}  // namespace mote::seismic
