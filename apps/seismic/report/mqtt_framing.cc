#include "apps/seismic/report/mqtt_framing.h"

namespace mote::seismic::report {

size_t remaining_length_bytes(size_t n) {
  if (n < 128) return 1;
  if (n < 16384) return 2;
  if (n < 2097152) return 3;
  return 4;
}

size_t publish_bytes(size_t topic_bytes, size_t payload_bytes, int qos) {
  const size_t remaining = 2 + topic_bytes + (qos > 0 ? 2 : 0) + payload_bytes;
  return 1 + remaining_length_bytes(remaining) + remaining;
}

size_t connect_bytes(size_t client_id_bytes, size_t will_topic_bytes, size_t will_message_bytes) {
  size_t remaining = 10 + 2 + client_id_bytes;
  if (will_topic_bytes > 0) remaining += 2 + will_topic_bytes + 2 + will_message_bytes;
  return 1 + remaining_length_bytes(remaining) + remaining;
}

}  // namespace mote::seismic::report
