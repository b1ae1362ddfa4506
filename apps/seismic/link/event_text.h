// The event packet as text, without the heap or a JSON library, so that a device can print what
// it would send: the 15 bytes as hex and the JSON debug form of host/packet_json.h, e.g.
//   {"event":"P-Arrival","seq":17,"timestamp":1710777123.45,"time_base":"utc",
//    "confidence":0.937,"amplitude":52224,"saturated":false}
// The host's event_packet_from_json() reads this text back to the same packet.
#pragma once

#include <cstddef>
#include <cstdint>

#include "apps/seismic/event.h"
#include "apps/seismic/link/event_packet.h"

namespace mote::seismic {

// Room for the hex form: two digits per byte and the terminating NUL.
constexpr size_t kEventPacketHexChars = 2 * kEventPacketBytes + 1;
// Room for the longest JSON form (a 40-bit time, a 24-bit sequence, the largest amplitude).
constexpr size_t kEventJsonChars = 192;

// Returns "P-Arrival" or "S-Arrival".
const char* event_type_label(EventType type);

// Writes the 15 bytes at `packet` as 30 lowercase hex digits and a NUL into `out` (at least
// kEventPacketHexChars bytes); returns the number of digits, or 0 for a null argument or too
// little room.
size_t event_packet_hex(const uint8_t* packet, char* out, size_t capacity);

// Writes the JSON debug form of `packet` into `out` (kEventJsonChars is always enough); returns
// its length, or 0 for a null argument or too little room.
size_t event_packet_json_text(const EventPacket& packet, char* out, size_t capacity);

}  // namespace mote::seismic
