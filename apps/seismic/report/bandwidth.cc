#include "apps/seismic/report/bandwidth.h"

#include <stdexcept>

#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/status_packet.h"
#include "apps/seismic/report/mqtt_framing.h"

namespace mote::seismic::report {

BandwidthReport compute_bandwidth(const BandwidthInputs& in) {
  if (in.node_id.empty()) throw std::invalid_argument("bandwidth: the node id is empty");
  if (in.events_per_hour < 0 || in.statuses_per_hour < 0) {
    throw std::invalid_argument("bandwidth: event and status rates must be >= 0");
  }
  if (!(in.keepalive_s > 0) || !(in.connection_hours > 0) || !(in.sample_rate_hz > 0) ||
      in.components <= 0 || in.bytes_per_sample <= 0 || !(in.raw_seconds_per_message > 0)) {
    throw std::invalid_argument(
        "bandwidth: keep-alive, connection length, sample rate, components, sample size and raw "
        "packing must be > 0");
  }
  const size_t event_topic = std::string("mote/" + in.node_id + "/event").size();
  const size_t status_topic = std::string("mote/" + in.node_id + "/status").size();

  BandwidthReport r;
  r.event_publish = publish_bytes(event_topic, kEventPacketBytes, 1);
  r.event_puback = kPubackBytes;
  r.event_total = r.event_publish + r.event_puback;
  r.status_total = publish_bytes(status_topic, kStatusPacketBytes, 1) + kPubackBytes;
  // The will is the node's status on its status topic.
  r.connect_total =
      connect_bytes(in.node_id.size(), status_topic, kStatusPacketBytes) + kConnackBytes;
  r.ping_total = 2 * kPingBytes;

  r.events_per_hour_bytes = in.events_per_hour * static_cast<double>(r.event_total);
  r.status_per_hour_bytes = in.statuses_per_hour * static_cast<double>(r.status_total);
  r.keepalive_per_hour_bytes = 3600.0 / in.keepalive_s * static_cast<double>(r.ping_total);
  r.connect_per_hour_bytes = static_cast<double>(r.connect_total) / in.connection_hours;
  r.link_per_hour_bytes = r.events_per_hour_bytes + r.status_per_hour_bytes +
                          r.keepalive_per_hour_bytes + r.connect_per_hour_bytes;

  const double raw_per_second = in.components * in.sample_rate_hz * in.bytes_per_sample;
  r.raw_payload_per_hour_bytes = raw_per_second * 3600.0;
  const auto raw_message = static_cast<size_t>(raw_per_second * in.raw_seconds_per_message + 0.5);
  const size_t raw_topic = std::string("mote/" + in.node_id + "/raw").size();
  r.raw_mqtt_per_hour_bytes =
      (3600.0 / in.raw_seconds_per_message) *
          static_cast<double>(publish_bytes(raw_topic, raw_message, 1) + kPubackBytes) +
      r.connect_per_hour_bytes;
  r.ratio = r.link_per_hour_bytes / r.raw_payload_per_hour_bytes;
  r.ratio_vs_raw_mqtt = r.link_per_hour_bytes / r.raw_mqtt_per_hour_bytes;
  return r;
}

}  // namespace mote::seismic::report
