// The node's status: the retained MQTT payload of mote/<node-id>/status, sent at connect, every
// status interval, and left as the broker's last will (online = 0) for when the link dies.
// 16 bytes, little-endian:
//
//   byte    bits  field          meaning
//   0       7..4  version        1 (0 and 0xF never occur, as in the event packet)
//   0       3..0  flags          bit 0 online (0 in the last will); bits 1-3 reserved, must be 0
//   1..2    16    battery_mv     battery voltage in millivolts, 0 = not measured
//   3..4    16    queue_depth    events stored and not yet acknowledged (saturates at 65535)
//   5..7    24    next_sequence  the sequence number the next event will get: the receiver
//                                knows how many events exist that it has not seen yet
//   8..9    16    dropped        events the queue dropped on overflow since it was created
//                                (saturates at 65535): losses the receiver can attribute
//   10..13  32    uptime_s       seconds since boot (136 years)
//   14..15  16    checksum       CRC-16/CCITT-FALSE of bytes 0..13
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"

namespace mote::seismic {

constexpr size_t kStatusPacketBytes = 16;
constexpr uint8_t kStatusPacketVersion = 1;
constexpr uint8_t kStatusFlagOnline = 0x1;

struct StatusPacket {
  bool online = true;
  uint16_t battery_mv = 0;
  uint16_t queue_depth = 0;
  uint32_t next_sequence = 0;  // < 2^24
  uint16_t dropped = 0;
  uint32_t uptime_s = 0;
};

// Returns `value` capped at 65535, for the saturating 16-bit counters.
constexpr uint16_t saturate_u16(uint64_t value) {
  return value > 0xFFFF ? 0xFFFF : static_cast<uint16_t>(value);
}

// Writes the 16 bytes of `status` to `out`; kInvalidArgument if next_sequence needs over 24 bits.
Status encode_status_packet(const StatusPacket& status, uint8_t* out,
                            const ErrorReporter* reporter);

// Parses `size` bytes into `out`; kMalformedData with a message for a wrong length, version,
// checksum or reserved bits (`out` untouched). Never reads beyond `size`.
Status decode_status_packet(const uint8_t* data, size_t size, StatusPacket* out,
                            const ErrorReporter* reporter);

}  // namespace mote::seismic
