// Sizes of MQTT 3.1.1 control packets on the wire (OASIS MQTT 3.1.1, section 2 and 3), computed
// from their fields: fixed header (1 byte of type and flags, then the remaining length as a
// variable-length integer of 1 to 4 bytes), variable header and payload.
#pragma once

#include <cstddef>

namespace mote::seismic::report {

// Bytes of the variable-length "remaining length" for a remainder of `n` bytes (1..4).
size_t remaining_length_bytes(size_t n);

// PUBLISH: topic (2-byte length + bytes), packet identifier for QoS > 0, payload.
size_t publish_bytes(size_t topic_bytes, size_t payload_bytes, int qos);

// PUBACK (QoS 1 acknowledgement): fixed header + packet identifier = 4.
constexpr size_t kPubackBytes = 4;
// CONNACK: fixed header + flags + return code = 4.
constexpr size_t kConnackBytes = 4;
// PINGREQ and PINGRESP: fixed header with remaining length 0 = 2 each.
constexpr size_t kPingBytes = 2;
// DISCONNECT: 2.
constexpr size_t kDisconnectBytes = 2;

// CONNECT: protocol name "MQTT", level, flags, keep-alive (10 bytes), then the client id and,
// when will_topic_bytes > 0, the will topic and will message (each with a 2-byte length). No
// user name or password.
size_t connect_bytes(size_t client_id_bytes, size_t will_topic_bytes, size_t will_message_bytes);

}  // namespace mote::seismic::report
