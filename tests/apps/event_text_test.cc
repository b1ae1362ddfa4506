// The device's text form of an event packet (no JSON library): the host's JSON reader takes it
// back to the same packet, and the hex is the packet's bytes.
#include "apps/seismic/link/event_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/seismic/link/host/packet_json.h"

namespace mote::seismic {
namespace {

EventPacket packet(EventType type, uint32_t sequence, uint64_t time_cs, uint8_t confidence,
                   double amplitude, uint8_t flags) {
  EventPacket p;
  p.type = type;
  p.sequence = sequence;
  p.time_cs = time_cs;
  p.confidence = confidence;
  bool clamped = false;
  p.amplitude = encode_amplitude(amplitude, &clamped);
  p.flags = flags;
  return p;
}

TEST(EventText, JsonReadsBackToTheSamePacket) {
  const EventPacket cases[] = {
      packet(EventType::kP, 17, 171077712345, 239, 52224, kFlagTimeUtc),
      packet(EventType::kS, kSequenceMask, kMaxTimeCs, 255, 134152192, kFlagSaturated),
      packet(EventType::kP, 0, 5, 0, 0, 0),
      packet(EventType::kS, 3, 100, 1, 4095, kFlagTimeUtc | kFlagSaturated)};
  for (const EventPacket& p : cases) {
    char text[kEventJsonChars];
    const size_t n = event_packet_json_text(p, text, sizeof(text));
    ASSERT_GT(n, 0u);
    const EventPacket back = event_packet_from_json(nlohmann::json::parse(std::string(text, n)));
    EXPECT_EQ(back.type, p.type) << text;
    EXPECT_EQ(back.sequence, p.sequence) << text;
    EXPECT_EQ(back.time_cs, p.time_cs) << text;
    EXPECT_EQ(back.confidence, p.confidence) << text;
    EXPECT_EQ(back.amplitude, p.amplitude) << text;
    EXPECT_EQ(back.flags, p.flags) << text;
    // The same numbers as the host's JSON form.
    const auto host = event_packet_json(p);
    const auto device = nlohmann::json::parse(text);
    EXPECT_EQ(device["confidence"].get<double>(), host["confidence"].get<double>()) << text;
    // Compared as values: json and ordered_json are different types, and comparing them is
    // ambiguous in C++20 (clang refuses it).
    EXPECT_EQ(device["amplitude"].get<std::int64_t>(), host["amplitude"].get<std::int64_t>())
        << text;
    EXPECT_EQ(device["event"].get<std::string>(), host["event"].get<std::string>()) << text;
  }
}

TEST(EventText, SpellsTheTimeAndConfidenceWithLeadingZeros) {
  char text[kEventJsonChars];
  event_packet_json_text(packet(EventType::kP, 1, 1234567805, 1, 10, kFlagTimeUtc), text,
                         sizeof(text));
  const std::string s = text;
  EXPECT_NE(s.find("\"timestamp\":12345678.05,"), std::string::npos) << s;
  EXPECT_NE(s.find("\"confidence\":0.004,"), std::string::npos) << s;
}

TEST(EventText, HexIsThePacketsBytesAndRefusesTooLittleRoom) {
  uint8_t bytes[kEventPacketBytes];
  ASSERT_EQ(
      encode_event_packet(packet(EventType::kP, 2, 300, 128, 1000, kFlagTimeUtc), bytes, nullptr),
      Status::kOk);
  char hex[kEventPacketHexChars];
  ASSERT_EQ(event_packet_hex(bytes, hex, sizeof(hex)), 30u);
  EXPECT_EQ(std::string(hex, 4), "1101");  // version 1, UTC flag; type P
  char small[8];
  EXPECT_EQ(event_packet_hex(bytes, small, sizeof(small)), 0u);
  EXPECT_EQ(event_packet_json_text(EventPacket{}, small, sizeof(small)), 0u);
}

}  // namespace
}  // namespace mote::seismic
