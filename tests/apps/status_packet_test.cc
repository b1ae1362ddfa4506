// The 16-byte status packet: layout, round trip and refusals.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "apps/seismic/link/crc16.h"
#include "apps/seismic/link/status_packet.h"

namespace mote::seismic {
namespace {

StatusPacket sample() {
  StatusPacket s;
  s.online = true;
  s.battery_mv = 3600;  // 0x0E10
  s.queue_depth = 300;  // 0x012C
  s.next_sequence = 0xABCDEF;
  s.dropped = 2;
  s.uptime_s = 0x01020304;
  return s;
}

TEST(StatusPacket, LayoutMatchesTheDocumentedBytes) {
  uint8_t b[kStatusPacketBytes];
  ASSERT_EQ(encode_status_packet(sample(), b, nullptr), Status::kOk);
  const std::vector<uint8_t> head = {0x11, 0x10, 0x0E, 0x2C, 0x01, 0xEF, 0xCD,
                                     0xAB, 0x02, 0x00, 0x04, 0x03, 0x02, 0x01};
  EXPECT_EQ(std::vector<uint8_t>(b, b + 14), head);
  const uint16_t crc = crc16_ccitt(head.data(), 14);
  EXPECT_EQ(b[14], crc & 0xFF);
  EXPECT_EQ(b[15], crc >> 8);
}

TEST(StatusPacket, RoundTrip) {
  for (bool online : {true, false}) {
    StatusPacket in = sample();
    in.online = online;
    uint8_t b[kStatusPacketBytes];
    ASSERT_EQ(encode_status_packet(in, b, nullptr), Status::kOk);
    StatusPacket out;
    ASSERT_EQ(decode_status_packet(b, sizeof(b), &out, nullptr), Status::kOk);
    EXPECT_EQ(out.online, online);
    EXPECT_EQ(out.battery_mv, in.battery_mv);
    EXPECT_EQ(out.queue_depth, in.queue_depth);
    EXPECT_EQ(out.next_sequence, in.next_sequence);
    EXPECT_EQ(out.dropped, in.dropped);
    EXPECT_EQ(out.uptime_s, in.uptime_s);
  }
}

TEST(StatusPacket, Refusals) {
  uint8_t good[kStatusPacketBytes];
  ASSERT_EQ(encode_status_packet(sample(), good, nullptr), Status::kOk);
  StatusPacket out;
  EXPECT_EQ(decode_status_packet(good, 15, &out, nullptr), Status::kMalformedData);
  EXPECT_EQ(decode_status_packet(nullptr, 0, &out, nullptr), Status::kMalformedData);
  for (size_t byte = 0; byte < kStatusPacketBytes; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      uint8_t b[kStatusPacketBytes];
      std::copy(good, good + sizeof(good), b);
      b[byte] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_EQ(decode_status_packet(b, sizeof(b), &out, nullptr), Status::kMalformedData);
    }
  }
  // Reserved flag bits with a valid checksum.
  uint8_t b[kStatusPacketBytes];
  std::copy(good, good + sizeof(good), b);
  b[0] |= 0x4;
  const uint16_t crc = crc16_ccitt(b, 14);
  b[14] = crc & 0xFF;
  b[15] = crc >> 8;
  EXPECT_EQ(decode_status_packet(b, sizeof(b), &out, nullptr), Status::kMalformedData);
  StatusPacket wide = sample();
  wide.next_sequence = 1u << 24;
  EXPECT_EQ(encode_status_packet(wide, b, nullptr), Status::kInvalidArgument);
}

TEST(StatusPacket, RandomBytesNeverCrash) {
  std::mt19937 rng(5);
  for (int i = 0; i < 50000; ++i) {
    std::vector<uint8_t> b(rng() % 24);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    StatusPacket out;
    const Status s = decode_status_packet(b.data(), b.size(), &out, nullptr);
    if (s == Status::kOk) {
      uint8_t again[kStatusPacketBytes];
      ASSERT_EQ(encode_status_packet(out, again, nullptr), Status::kOk);
      EXPECT_TRUE(std::equal(again, again + sizeof(again), b.begin()));
    }
  }
}

}  // namespace
}  // namespace mote::seismic
