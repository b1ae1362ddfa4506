// Bandwidth of the event link against streaming the raw waveform: bytes on the wire per hour,
// both directions, with MQTT 3.1.1 framing — each event's PUBLISH (QoS 1) and PUBACK, the hourly
// status, keep-alive pings, and the CONNECT/CONNACK of a connection amortised over its life.
#pragma once

#include <cstdint>
#include <string>

namespace mote::seismic::report {

struct BandwidthInputs {
  std::string node_id = "node-0001";
  double events_per_hour = 12.0;  // picks sent (P and S, false triggers included)
  double statuses_per_hour = 1.0;
  double keepalive_s = 300.0;      // PINGREQ/PINGRESP at most once per keep-alive when idle
  double connection_hours = 24.0;  // one CONNECT/CONNACK per connection of this length
  // The raw stream the events replace.
  int components = 3;
  double sample_rate_hz = 100.0;
  int bytes_per_sample = 3;              // 24-bit
  double raw_seconds_per_message = 1.0;  // packing of the raw stream when framed in MQTT
};

struct BandwidthReport {
  // Bytes of single packets.
  uint64_t event_publish = 0;  // PUBLISH mote/<id>/event with the 15-byte packet
  uint64_t event_puback = 0;
  uint64_t event_total = 0;    // both directions
  uint64_t status_total = 0;   // PUBLISH of the 16-byte status + PUBACK
  uint64_t connect_total = 0;  // CONNECT (client id, will) + CONNACK
  uint64_t ping_total = 0;     // PINGREQ + PINGRESP
  // Bytes per hour, both directions.
  double events_per_hour_bytes = 0;
  double status_per_hour_bytes = 0;
  double keepalive_per_hour_bytes = 0;  // upper bound: a ping every keep-alive
  double connect_per_hour_bytes = 0;
  double link_per_hour_bytes = 0;         // the sum
  double raw_payload_per_hour_bytes = 0;  // samples only, no framing at all
  double raw_mqtt_per_hour_bytes = 0;     // the same samples in QoS 1 PUBLISHes with PUBACKs
  double ratio = 0;                       // link / raw payload
  double ratio_vs_raw_mqtt = 0;           // link / raw in MQTT
};

// Computes the report; throws std::invalid_argument for negative or zero rates and periods.
BandwidthReport compute_bandwidth(const BandwidthInputs& inputs);

}  // namespace mote::seismic::report
