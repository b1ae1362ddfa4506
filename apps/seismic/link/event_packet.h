// The 15-byte event packet a node sends for every pick: the MQTT payload of mote/<node>/event
// and the record of the node's store-and-forward queue. Little-endian, no padding:
//
//   byte   bits  field        meaning
//   0      7..4  version      format version, 1. 0 and 0xF never occur, so all-zero and erased
//                             flash (all 0xFF) are rejected before the checksum is looked at.
//   0      3..0  flags        bit 0 time_utc: the time counts from the Unix epoch (else from
//                             boot: no time fix yet); bit 1 saturated: the sensor or this
//                             field's range clipped, the amplitude is a lower bound; bits 2-3
//                             reserved, must be 0.
//   1      8     type         1 = P arrival, 2 = S arrival; anything else is rejected.
//   2..4   24    sequence     per node, +1 per event, wraps at 2^24. 16.7 M events last 190
//                             years at 10 events an hour and leave the receiver an unambiguous
//                             window of 8.4 M events to place a wrapped number; 16 bits would
//                             wrap within 8 months at that rate.
//   5..9   40    time         centiseconds (10 ms = one sample at 100 Hz, the resolution of a
//                             pick). 2^40 cs = 348 years: from the Unix epoch it runs to 2318.
//                             32 bits would last 497 days; milliseconds in 40 bits only 34 years.
//   10     8     confidence   round(p × 255): steps of 0.004 for a probability that is
//                             thresholded at two decimals at most.
//   11..12 16    amplitude    peak |amplitude| in sensor counts as a 4-bit exponent e (bits
//                             15..12) and 12-bit mantissa m: counts = m << e. Exact below 4096,
//                             within 0.025 % above; up to 4095 × 2^15 = 134 M counts, beyond a
//                             24-bit ADC's 8.4 M. Canonical: e > 0 needs m >= 2048, so every value
//                             has exactly one encoding (decode then encode gives the same bytes).
//   13..14 16    checksum     CRC-16/CCITT-FALSE of bytes 0..12. Catches every error burst up to
//                             16 bits and all but 1 in 65536 random corruptions, end to end: in
//                             flash, over LoRa or BLE links without TCP's checksum, and on MQTT.
//
// The node id is not in the packet: the topic carries it (mote/<node-id>/event), as a LoRaWAN
// device address or BLE address would on other links.
#pragma once

#include <cstddef>
#include <cstdint>

#include "apps/seismic/event.h"
#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"

namespace mote::seismic {

constexpr size_t kEventPacketBytes = 15;
constexpr uint8_t kEventPacketVersion = 1;

constexpr uint8_t kFlagTimeUtc = 0x1;
constexpr uint8_t kFlagSaturated = 0x2;
constexpr uint8_t kEventFlagsReserved = 0xC;

constexpr uint32_t kSequenceModulus = 1u << 24;
constexpr uint32_t kSequenceMask = kSequenceModulus - 1;
constexpr uint64_t kMaxTimeCs = (uint64_t{1} << 40) - 1;
constexpr uint64_t kMaxAmplitudeCounts = uint64_t{4095} << 15;

// The packet's fields in its own units (see the table above).
struct EventPacket {
  uint8_t version = kEventPacketVersion;
  uint8_t flags = 0;
  EventType type = EventType::kP;
  uint32_t sequence = 0;   // < 2^24
  uint64_t time_cs = 0;    // < 2^40
  uint8_t confidence = 0;  // probability × 255
  uint16_t amplitude = 0;  // exponent:4 | mantissa:12, canonical
};

// Why a packet was refused; a receiver counts each kind separately.
enum class PacketError : uint8_t {
  kNone = 0,
  kWrongLength,
  kUnknownVersion,
  kBadChecksum,
  kReservedFlags,
  kUnknownType,
  kNonCanonicalAmplitude,
  kFieldOutOfRange,  // only from encoding: a sequence or time wider than its field
};
constexpr int kPacketErrorKinds = 8;

// Returns a short constant name for `error`, e.g. "bad_checksum" (stable: used as a database key).
const char* packet_error_name(PacketError error);

// Returns the amplitude code for `counts` (>= 0, finite), rounded to the nearest representable
// value; sets `*clamped` when counts exceeded kMaxAmplitudeCounts and were clamped to it.
uint16_t encode_amplitude(double counts, bool* clamped);

// Returns the counts an amplitude code stands for (m << e); any code, canonical or not.
uint64_t decode_amplitude(uint16_t code);

// Fills `out` from `event` with `sequence` (taken modulo 2^24). Fails with kInvalidArgument for a
// confidence outside [0, 1] or NaN, a negative or NaN amplitude, or a time of 2^40 cs or more.
Status make_event_packet(const Event& event, uint32_t sequence, EventPacket* out,
                         const ErrorReporter* reporter);

// Returns the event a packet describes (amplitude and confidence at the packet's resolution).
Event event_from_packet(const EventPacket& packet);

// Writes the 15 bytes of `packet` to `out`. Refuses (kInvalidArgument, nothing written) fields
// that decode would reject, so that every encoded packet decodes to itself.
Status encode_event_packet(const EventPacket& packet, uint8_t* out, const ErrorReporter* reporter);

// Parses `size` bytes at `data` into `out`. Any deviation from the format — length, version,
// checksum, reserved bits, type, non-canonical amplitude — gives kMalformedData, the reason in
// `*error` (may be null) and a message; `out` is then untouched. Never reads beyond `size`.
Status decode_event_packet(const uint8_t* data, size_t size, EventPacket* out, PacketError* error,
                           const ErrorReporter* reporter);

// Returns the distance from sequence `from` forward to `to`, modulo 2^24.
constexpr uint32_t sequence_distance(uint32_t from, uint32_t to) {
  return (to - from) & kSequenceMask;
}

}  // namespace mote::seismic
