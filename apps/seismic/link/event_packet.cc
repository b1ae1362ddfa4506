#include "apps/seismic/link/event_packet.h"

#include "apps/seismic/link/crc16.h"
#include "apps/seismic/link/little_endian.h"

namespace mote::seismic {
namespace {

constexpr int kMantissaBits = 12;
constexpr uint16_t kMantissaMask = (1u << kMantissaBits) - 1;
constexpr uint16_t kMinNormalMantissa = 1u << (kMantissaBits - 1);
constexpr size_t kChecksummedBytes = kEventPacketBytes - 2;

bool known_type(uint8_t type) {
  return type == static_cast<uint8_t>(EventType::kP) || type == static_cast<uint8_t>(EventType::kS);
}

// The checks shared by encode and decode, so that both accept exactly the same packets.
PacketError check_fields(const EventPacket& p) {
  if (p.version != kEventPacketVersion) return PacketError::kUnknownVersion;
  if ((p.flags & ~(kFlagTimeUtc | kFlagSaturated)) != 0) return PacketError::kReservedFlags;
  if (!known_type(static_cast<uint8_t>(p.type))) return PacketError::kUnknownType;
  const uint16_t exponent = p.amplitude >> kMantissaBits;
  if (exponent > 0 && (p.amplitude & kMantissaMask) < kMinNormalMantissa) {
    return PacketError::kNonCanonicalAmplitude;
  }
  if (p.sequence > kSequenceMask || p.time_cs > kMaxTimeCs) return PacketError::kFieldOutOfRange;
  return PacketError::kNone;
}

}  // namespace

const char* packet_error_name(PacketError error) {
  switch (error) {
    case PacketError::kNone:
      return "none";
    case PacketError::kWrongLength:
      return "wrong_length";
    case PacketError::kUnknownVersion:
      return "unknown_version";
    case PacketError::kBadChecksum:
      return "bad_checksum";
    case PacketError::kReservedFlags:
      return "reserved_flags";
    case PacketError::kUnknownType:
      return "unknown_type";
    case PacketError::kNonCanonicalAmplitude:
      return "non_canonical_amplitude";
    case PacketError::kFieldOutOfRange:
      return "field_out_of_range";
  }
  return "unknown";
}

uint16_t encode_amplitude(double counts, bool* clamped) {
  *clamped = false;
  if (!(counts >= 0.0)) counts = 0.0;  // callers check; NaN must not reach the conversion
  if (counts >= static_cast<double>(kMaxAmplitudeCounts)) {
    *clamped = counts > static_cast<double>(kMaxAmplitudeCounts);
    return static_cast<uint16_t>((15u << kMantissaBits) | 4095u);
  }
  const uint64_t n = static_cast<uint64_t>(counts + 0.5);
  if (n <= kMantissaMask) return static_cast<uint16_t>(n);
  // One rounding to the nearest multiple of 2^e, where e leaves 12 significant bits.
  uint16_t exponent = 0;
  while ((n >> exponent) > kMantissaMask) ++exponent;
  uint64_t mantissa = (n + (uint64_t{1} << (exponent - 1))) >> exponent;
  if (mantissa > kMantissaMask) {  // rounded up to 4096: renormalise
    mantissa >>= 1;
    ++exponent;
  }
  if (exponent > 15) {
    *clamped = true;
    return static_cast<uint16_t>((15u << kMantissaBits) | 4095u);
  }
  return static_cast<uint16_t>((exponent << kMantissaBits) | mantissa);
}

uint64_t decode_amplitude(uint16_t code) {
  return static_cast<uint64_t>(code & kMantissaMask) << (code >> kMantissaBits);
}

Status make_event_packet(const Event& event, uint32_t sequence, EventPacket* out,
                         const ErrorReporter* reporter) {
  if (out == nullptr) return report_error(reporter, Status::kInvalidArgument, "null packet");
  if (!known_type(static_cast<uint8_t>(event.type))) {
    return report_error(reporter, Status::kInvalidArgument, "event type %d is neither P nor S",
                        static_cast<int>(event.type));
  }
  if (!(event.confidence >= 0.0f && event.confidence <= 1.0f)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "event confidence %f is not a probability in [0, 1]",
                        static_cast<double>(event.confidence));
  }
  if (!(event.amplitude >= 0.0f) || event.amplitude > 3.0e38f) {
    return report_error(reporter, Status::kInvalidArgument,
                        "event amplitude %f is not a finite count >= 0",
                        static_cast<double>(event.amplitude));
  }
  if (event.time_cs > kMaxTimeCs) {
    return report_error(reporter, Status::kInvalidArgument,
                        "event time %llu cs does not fit the packet's 40 bits",
                        static_cast<unsigned long long>(event.time_cs));
  }
  bool clamped = false;
  EventPacket p;
  p.type = event.type;
  p.sequence = sequence & kSequenceMask;
  p.time_cs = event.time_cs;
  p.confidence = static_cast<uint8_t>(event.confidence * 255.0f + 0.5f);
  p.amplitude = encode_amplitude(static_cast<double>(event.amplitude), &clamped);
  p.flags = static_cast<uint8_t>((event.time_utc ? kFlagTimeUtc : 0) |
                                 ((event.saturated || clamped) ? kFlagSaturated : 0));
  *out = p;
  return Status::kOk;
}

Event event_from_packet(const EventPacket& packet) {
  Event e;
  e.type = packet.type;
  e.time_cs = packet.time_cs;
  e.time_utc = (packet.flags & kFlagTimeUtc) != 0;
  e.confidence = static_cast<float>(packet.confidence) / 255.0f;
  e.amplitude = static_cast<float>(decode_amplitude(packet.amplitude));
  e.saturated = (packet.flags & kFlagSaturated) != 0;
  return e;
}

Status encode_event_packet(const EventPacket& packet, uint8_t* out, const ErrorReporter* reporter) {
  if (out == nullptr) return report_error(reporter, Status::kInvalidArgument, "null output");
  const PacketError error = check_fields(packet);
  if (error != PacketError::kNone) {
    return report_error(reporter, Status::kInvalidArgument,
                        "cannot encode event packet (%s): a field is outside the format",
                        packet_error_name(error));
  }
  out[0] = static_cast<uint8_t>((packet.version << 4) | packet.flags);
  out[1] = static_cast<uint8_t>(packet.type);
  put_le(out + 2, packet.sequence, 3);
  put_le(out + 5, packet.time_cs, 5);
  out[10] = packet.confidence;
  put_le(out + 11, packet.amplitude, 2);
  put_le(out + 13, crc16_ccitt(out, kChecksummedBytes), 2);
  return Status::kOk;
}

Status decode_event_packet(const uint8_t* data, size_t size, EventPacket* out, PacketError* error,
                           const ErrorReporter* reporter) {
  if (error != nullptr) *error = PacketError::kNone;
  if (data == nullptr && size > 0) {
    return report_error(reporter, Status::kInvalidArgument, "null packet data");
  }
  if (size != kEventPacketBytes) {
    if (error != nullptr) *error = PacketError::kWrongLength;
    return report_error(reporter, Status::kMalformedData,
                        "event packet refused (wrong_length): %zu bytes, expected %zu", size,
                        kEventPacketBytes);
  }
  EventPacket p;
  p.version = data[0] >> 4;
  p.flags = data[0] & 0xF;
  // The version comes first so that erased flash and zeroed memory read as "not a packet".
  if (p.version != kEventPacketVersion) {
    if (error != nullptr) *error = PacketError::kUnknownVersion;
    return report_error(reporter, Status::kMalformedData,
                        "event packet refused (unknown_version): version %u, this reader knows %u",
                        static_cast<unsigned>(p.version),
                        static_cast<unsigned>(kEventPacketVersion));
  }
  const uint16_t stored = static_cast<uint16_t>(get_le(data + 13, 2));
  const uint16_t computed = crc16_ccitt(data, kChecksummedBytes);
  if (stored != computed) {
    if (error != nullptr) *error = PacketError::kBadChecksum;
    return report_error(reporter, Status::kMalformedData,
                        "event packet refused (bad_checksum): stored 0x%04x, computed 0x%04x",
                        static_cast<unsigned>(stored), static_cast<unsigned>(computed));
  }
  p.type = static_cast<EventType>(data[1]);
  p.sequence = static_cast<uint32_t>(get_le(data + 2, 3));
  p.time_cs = get_le(data + 5, 5);
  p.confidence = data[10];
  p.amplitude = static_cast<uint16_t>(get_le(data + 11, 2));
  const PacketError field_error = check_fields(p);
  if (field_error != PacketError::kNone) {
    if (error != nullptr) *error = field_error;
    return report_error(reporter, Status::kMalformedData,
                        "event packet refused (%s): flags 0x%x, type %u, amplitude 0x%04x",
                        packet_error_name(field_error), static_cast<unsigned>(p.flags),
                        static_cast<unsigned>(data[1]), static_cast<unsigned>(p.amplitude));
  }
  if (out != nullptr) *out = p;
  return Status::kOk;
}

}  // namespace mote::seismic
