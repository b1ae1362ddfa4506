// The 15-byte event packet: byte layout against a hand-built packet, round trips, every kind of
// refusal, and random bytes that must never crash the decoder nor decode inconsistently.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "apps/seismic/link/crc16.h"
#include "apps/seismic/link/event_packet.h"

namespace mote::seismic {
namespace {

using Bytes = std::vector<uint8_t>;

// Recomputes the checksum of a hand-edited packet so that the test reaches the field checks.
void fix_checksum(Bytes& b) {
  const uint16_t crc = crc16_ccitt(b.data(), 13);
  b[13] = static_cast<uint8_t>(crc & 0xFF);
  b[14] = static_cast<uint8_t>(crc >> 8);
}

PacketError decode_error(const Bytes& b) {
  PacketError error = PacketError::kNone;
  EventPacket p;
  decode_event_packet(b.data(), b.size(), &p, &error, nullptr);
  return error;
}

Bytes encode(const EventPacket& p) {
  Bytes b(kEventPacketBytes);
  EXPECT_EQ(encode_event_packet(p, b.data(), nullptr), Status::kOk);
  return b;
}

EventPacket sample_packet() {
  EventPacket p;
  p.flags = kFlagTimeUtc;
  p.type = EventType::kS;
  p.sequence = 0x123456;
  p.time_cs = 0x0102030405;
  p.confidence = 240;
  p.amplitude = 0x1ABC;  // e = 1, m = 0xABC (>= 2048: canonical)
  return p;
}

TEST(Crc16, StandardCheckValue) {
  const char* check = "123456789";
  EXPECT_EQ(crc16_ccitt(reinterpret_cast<const uint8_t*>(check), 9), 0x29B1);
  EXPECT_EQ(crc16_ccitt(nullptr, 0), 0xFFFF);
}

TEST(EventPacket, LayoutMatchesTheDocumentedBytes) {
  const Bytes b = encode(sample_packet());
  // version 1 in the high nibble, time_utc flag in bit 0
  const Bytes expected_head = {0x11, 0x02,                    // version/flags, type S
                               0x56, 0x34, 0x12,              // sequence, little-endian
                               0x05, 0x04, 0x03, 0x02, 0x01,  // time, 40 bits
                               240,                           // confidence
                               0xBC, 0x1A};                   // amplitude code
  ASSERT_EQ(b.size(), 15u);
  EXPECT_EQ(Bytes(b.begin(), b.begin() + 13), expected_head);
  const uint16_t crc = crc16_ccitt(expected_head.data(), 13);
  EXPECT_EQ(b[13], crc & 0xFF);
  EXPECT_EQ(b[14], crc >> 8);
}

TEST(EventPacket, DecodesWhatWasEncoded) {
  const EventPacket in = sample_packet();
  const Bytes b = encode(in);
  EventPacket out;
  PacketError error = PacketError::kFieldOutOfRange;
  ASSERT_EQ(decode_event_packet(b.data(), b.size(), &out, &error, nullptr), Status::kOk);
  EXPECT_EQ(error, PacketError::kNone);
  EXPECT_EQ(out.version, 1);
  EXPECT_EQ(out.flags, in.flags);
  EXPECT_EQ(out.type, in.type);
  EXPECT_EQ(out.sequence, in.sequence);
  EXPECT_EQ(out.time_cs, in.time_cs);
  EXPECT_EQ(out.confidence, in.confidence);
  EXPECT_EQ(out.amplitude, in.amplitude);
}

TEST(EventPacket, EventRoundTripKeepsThePacketResolution) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (int i = 0; i < 2000; ++i) {
    Event e;
    e.type = (i % 2) != 0 ? EventType::kS : EventType::kP;
    e.time_cs = (uint64_t{rng()} << 8 | (rng() & 0xFF)) % (kMaxTimeCs + 1);
    e.time_utc = (i % 3) != 0;
    e.confidence = unit(rng);
    e.amplitude = std::ldexp(unit(rng), static_cast<int>(rng() % 24));  // up to 2^23 counts
    e.saturated = (i % 7) == 0;
    const uint32_t sequence = rng();
    EventPacket p;
    ASSERT_EQ(make_event_packet(e, sequence, &p, nullptr), Status::kOk);
    const Bytes b = encode(p);
    EventPacket q;
    ASSERT_EQ(decode_event_packet(b.data(), b.size(), &q, nullptr, nullptr), Status::kOk);
    const Event back = event_from_packet(q);
    EXPECT_EQ(q.sequence, sequence & kSequenceMask);
    EXPECT_EQ(back.type, e.type);
    EXPECT_EQ(back.time_cs, e.time_cs);
    EXPECT_EQ(back.time_utc, e.time_utc);
    EXPECT_EQ(back.saturated, e.saturated);
    EXPECT_NEAR(back.confidence, e.confidence, 0.5f / 255.0f + 1e-6f);
    // Exact below 4096 counts (after rounding to whole counts), within 1/4096 above.
    const double rounded = std::floor(static_cast<double>(e.amplitude) + 0.5);
    EXPECT_LE(std::abs(back.amplitude - rounded), std::max(0.0, rounded / 4096.0) + 1e-9)
        << e.amplitude;
  }
}

TEST(EventPacket, AmplitudeCodeIsExactThenRelative) {
  bool clamped = true;
  EXPECT_EQ(encode_amplitude(0.0, &clamped), 0);
  EXPECT_FALSE(clamped);
  EXPECT_EQ(encode_amplitude(4095.0, &clamped), 4095);
  EXPECT_EQ(encode_amplitude(4095.4, &clamped), 4095);
  // 4096 = 2048 << 1, the first value that needs an exponent.
  EXPECT_EQ(encode_amplitude(4096.0, &clamped), (1 << 12) | 2048);
  EXPECT_EQ(decode_amplitude((1 << 12) | 2048), 4096u);
  // 8191 rounds to 4096 << 1 = 8192: the mantissa carried and the exponent grew.
  EXPECT_EQ(decode_amplitude(encode_amplitude(8191.0, &clamped)), 8192u);
  // A 24-bit ADC's full scale, 2^23 - 1: e = 12, nearest multiple of 4096 is 2^23.
  EXPECT_EQ(decode_amplitude(encode_amplitude(8388607.0, &clamped)), 8388608u);
  EXPECT_FALSE(clamped);
  EXPECT_EQ(decode_amplitude(encode_amplitude(1e12, &clamped)), kMaxAmplitudeCounts);
  EXPECT_TRUE(clamped);
  // Every code that encode produces is canonical and decodes to the nearest representable value.
  for (uint32_t n = 0; n < 300000; n += 7) {
    const uint16_t code = encode_amplitude(n, &clamped);
    const uint16_t e = code >> 12;
    if (e > 0) {
      EXPECT_GE(code & 0xFFF, 2048) << n;
    }
    const uint64_t back = decode_amplitude(code);
    EXPECT_LE(back > n ? back - n : n - back, (uint64_t{1} << e) / 2) << n;
  }
}

TEST(EventPacket, ClampedAmplitudeSetsSaturated) {
  Event e;
  e.confidence = 0.5f;
  e.amplitude = 1e9f;
  EventPacket p;
  ASSERT_EQ(make_event_packet(e, 1, &p, nullptr), Status::kOk);
  EXPECT_NE(p.flags & kFlagSaturated, 0);
  EXPECT_EQ(decode_amplitude(p.amplitude), kMaxAmplitudeCounts);
}

TEST(EventPacket, MakeRefusesValuesTheFormatCannotCarry) {
  EventPacket p;
  Event e;
  e.confidence = 0.5f;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float c : {nan, -0.01f, 1.01f, inf}) {
    Event bad = e;
    bad.confidence = c;
    EXPECT_EQ(make_event_packet(bad, 0, &p, nullptr), Status::kInvalidArgument) << c;
  }
  for (float a : {nan, -1.0f, inf}) {
    Event bad = e;
    bad.amplitude = a;
    EXPECT_EQ(make_event_packet(bad, 0, &p, nullptr), Status::kInvalidArgument) << a;
  }
  Event late = e;
  late.time_cs = kMaxTimeCs + 1;
  EXPECT_EQ(make_event_packet(late, 0, &p, nullptr), Status::kInvalidArgument);
  late.time_cs = kMaxTimeCs;
  EXPECT_EQ(make_event_packet(late, 0, &p, nullptr), Status::kOk);
  Event odd = e;
  odd.type = static_cast<EventType>(3);
  EXPECT_EQ(make_event_packet(odd, 0, &p, nullptr), Status::kInvalidArgument);
  // The sequence number wraps at 2^24.
  ASSERT_EQ(make_event_packet(e, kSequenceModulus + 5, &p, nullptr), Status::kOk);
  EXPECT_EQ(p.sequence, 5u);
}

TEST(EventPacket, EncodeRefusesFieldsDecodeWouldRefuse) {
  uint8_t out[kEventPacketBytes];
  std::memset(out, 0xAA, sizeof(out));
  EventPacket p = sample_packet();
  p.sequence = kSequenceModulus;
  EXPECT_EQ(encode_event_packet(p, out, nullptr), Status::kInvalidArgument);
  p = sample_packet();
  p.time_cs = kMaxTimeCs + 1;
  EXPECT_EQ(encode_event_packet(p, out, nullptr), Status::kInvalidArgument);
  p = sample_packet();
  p.flags = 0x4;
  EXPECT_EQ(encode_event_packet(p, out, nullptr), Status::kInvalidArgument);
  p = sample_packet();
  p.amplitude = (1 << 12) | 100;
  EXPECT_EQ(encode_event_packet(p, out, nullptr), Status::kInvalidArgument);
  p = sample_packet();
  p.version = 2;
  EXPECT_EQ(encode_event_packet(p, out, nullptr), Status::kInvalidArgument);
  for (uint8_t byte : out) EXPECT_EQ(byte, 0xAA);  // nothing written
}

TEST(EventPacket, RefusesWrongLengths) {
  const Bytes good = encode(sample_packet());
  for (size_t n : {0u, 1u, 14u, 16u, 64u}) {
    Bytes b(n, 0);
    std::copy_n(good.begin(), std::min(n, good.size()), b.begin());
    EXPECT_EQ(decode_error(b), PacketError::kWrongLength) << n;
  }
  EXPECT_EQ(decode_event_packet(nullptr, 0, nullptr, nullptr, nullptr), Status::kMalformedData);
}

TEST(EventPacket, RefusesUnknownVersionsBeforeTheChecksum) {
  EXPECT_EQ(decode_error(Bytes(15, 0x00)), PacketError::kUnknownVersion);  // zeroed memory
  EXPECT_EQ(decode_error(Bytes(15, 0xFF)), PacketError::kUnknownVersion);  // erased flash
  for (uint8_t version : {0, 2, 3, 15}) {
    Bytes b = encode(sample_packet());
    b[0] = static_cast<uint8_t>((version << 4) | (b[0] & 0xF));
    fix_checksum(b);
    EXPECT_EQ(decode_error(b), PacketError::kUnknownVersion) << int{version};
  }
}

TEST(EventPacket, EverySingleBitFlipIsRefused) {
  const Bytes good = encode(sample_packet());
  for (size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes b = good;
      b[byte] ^= static_cast<uint8_t>(1 << bit);
      const PacketError error = decode_error(b);
      EXPECT_NE(error, PacketError::kNone) << "byte " << byte << " bit " << bit;
      if (byte == 0 && bit >= 4) {
        EXPECT_EQ(error, PacketError::kUnknownVersion);
      } else {
        EXPECT_EQ(error, PacketError::kBadChecksum) << "byte " << byte << " bit " << bit;
      }
    }
  }
}

TEST(EventPacket, RefusesReservedFlagsWithAValidChecksum) {
  for (uint8_t flag : {0x4, 0x8, 0xC}) {
    Bytes b = encode(sample_packet());
    b[0] |= flag;
    fix_checksum(b);
    EXPECT_EQ(decode_error(b), PacketError::kReservedFlags) << int{flag};
  }
}

TEST(EventPacket, RefusesUnknownTypesWithAValidChecksum) {
  for (int type : {0, 3, 4, 0x7F, 0xFF}) {
    Bytes b = encode(sample_packet());
    b[1] = static_cast<uint8_t>(type);
    fix_checksum(b);
    EXPECT_EQ(decode_error(b), PacketError::kUnknownType) << type;
  }
}

TEST(EventPacket, RefusesNonCanonicalAmplitudes) {
  // e = 1, m = 100 stands for 200 counts, which has the canonical code e = 0, m = 200.
  Bytes b = encode(sample_packet());
  b[11] = 100;
  b[12] = 0x10;
  fix_checksum(b);
  EXPECT_EQ(decode_error(b), PacketError::kNonCanonicalAmplitude);
  // e = 15, m = 2047: still below the normal range.
  b[11] = 0xFF;
  b[12] = 0xF7;
  fix_checksum(b);
  EXPECT_EQ(decode_error(b), PacketError::kNonCanonicalAmplitude);
}

TEST(EventPacket, RefusalLeavesTheOutputUntouchedAndSaysWhy) {
  std::string message;
  ErrorReporter reporter{[](void* user, const char* m) { *static_cast<std::string*>(user) = m; },
                         &message};
  Bytes b = encode(sample_packet());
  b[3] ^= 1;
  EventPacket out;
  out.sequence = 77;
  EXPECT_EQ(decode_event_packet(b.data(), b.size(), &out, nullptr, &reporter),
            Status::kMalformedData);
  EXPECT_EQ(out.sequence, 77u);
  EXPECT_NE(message.find("bad_checksum"), std::string::npos) << message;
}

TEST(EventPacket, ErrorNamesAreDistinct) {
  std::vector<std::string> names;
  for (int i = 0; i < kPacketErrorKinds; ++i) {
    names.emplace_back(packet_error_name(static_cast<PacketError>(i)));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    for (size_t j = i + 1; j < names.size(); ++j) EXPECT_NE(names[i], names[j]);
  }
}

// Random bytes: the decoder must never crash or read out of bounds (ASan watches), and whatever
// it accepts must encode back to exactly the same bytes.
TEST(EventPacketFuzz, RandomBytesAreRefusedOrDecodedConsistently) {
  std::mt19937 rng(12345);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    const size_t n = (i % 4 == 0) ? rng() % 40 : kEventPacketBytes;
    std::vector<uint8_t> heap(n);  // exact size, so ASan catches a read past the end
    for (auto& byte : heap) byte = static_cast<uint8_t>(rng());
    if (n == kEventPacketBytes && i % 2 == 0) {
      heap[0] = static_cast<uint8_t>(0x10 | (heap[0] & 0x3));  // reach the checksum
      if (i % 4 == 2) {
        fix_checksum(heap);  // and the field checks
      }
    }
    EventPacket p;
    PacketError error = PacketError::kNone;
    const Status s = decode_event_packet(heap.data(), heap.size(), &p, &error, nullptr);
    if (s == Status::kOk) {
      ++accepted;
      EXPECT_EQ(error, PacketError::kNone);
      ASSERT_EQ(n, kEventPacketBytes);
      uint8_t again[kEventPacketBytes];
      ASSERT_EQ(encode_event_packet(p, again, nullptr), Status::kOk);
      EXPECT_EQ(std::memcmp(again, heap.data(), n), 0);
    } else {
      EXPECT_EQ(s, Status::kMalformedData);
      EXPECT_NE(error, PacketError::kNone);
    }
  }
  // Packets with a fixed checksum and version pass when type, flags and amplitude happen to be
  // valid: about 2/256 × 1/4 × (1 - 1/32) of a quarter of the tries. Some must get through.
  EXPECT_GT(accepted, 50);
}

// Mutations of valid packets with the checksum repaired reach every field check.
TEST(EventPacketFuzz, MutatedValidPacketsAreRefusedOrDecodedConsistently) {
  std::mt19937 rng(99);
  const Bytes good = encode(sample_packet());
  int counts[kPacketErrorKinds] = {};
  for (int i = 0; i < 50000; ++i) {
    Bytes b = good;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) b[rng() % 13] ^= static_cast<uint8_t>(1u << (rng() % 8));
    fix_checksum(b);
    EventPacket p;
    PacketError error = PacketError::kNone;
    if (decode_event_packet(b.data(), b.size(), &p, &error, nullptr) == Status::kOk) {
      Bytes again(kEventPacketBytes);
      ASSERT_EQ(encode_event_packet(p, again.data(), nullptr), Status::kOk);
      EXPECT_EQ(again, b);
    }
    ++counts[static_cast<int>(error)];
  }
  EXPECT_GT(counts[static_cast<int>(PacketError::kNone)], 0);
  EXPECT_GT(counts[static_cast<int>(PacketError::kUnknownVersion)], 0);
  EXPECT_GT(counts[static_cast<int>(PacketError::kReservedFlags)], 0);
  EXPECT_GT(counts[static_cast<int>(PacketError::kUnknownType)], 0);
  EXPECT_GT(counts[static_cast<int>(PacketError::kNonCanonicalAmplitude)], 0);
}

}  // namespace
}  // namespace mote::seismic
