// Moves events from the store-and-forward queue to the radio, in order, with at most `window`
// unacknowledged in flight (MQTT brokers cap in-flight QoS 1 messages per client; pacing here
// keeps a replay after an outage within the broker's limits), optionally at most
// `max_events_per_second`. After the link comes back, sending restarts at the oldest
// unacknowledged event, so that events reach the receiver in sequence order; the receiver drops
// the duplicates that this at-least-once replay may produce.
#pragma once

#include <cstdint>

#include "apps/seismic/event.h"
#include "apps/seismic/link/event_queue.h"
#include "apps/seismic/link/radio.h"
#include "apps/seismic/link/status_packet.h"
#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"

namespace mote::seismic {

struct UplinkConfig {
  uint32_t window = 16;                // events in flight at most, in [1, kMaxAckWindow]
  uint32_t max_events_per_second = 0;  // 0: as fast as the window allows
};

struct UplinkCounters {
  uint64_t submitted = 0;     // events handed to submit() and stored
  uint64_t sent = 0;          // event packets handed to the radio, resends included
  uint64_t resent = 0;        // of which sequences sent before (replay after an outage)
  uint64_t acknowledged = 0;  // acknowledgements that matched an event in flight
  uint64_t link_ups = 0;
  uint64_t link_downs = 0;
};

class Uplink final : public RadioListener {
 public:
  Uplink(EventQueue& queue, Radio& radio, const UplinkConfig& config,
         const ErrorReporter* reporter);

  // Checks the configuration; must succeed before use (the queue must be open).
  Status init();

  // Stores a pick from the picker (durable on return); it is sent by pump(). The sequence number
  // it got goes to `*sequence` if not null.
  Status submit(const Event& event, uint32_t* sequence = nullptr);

  // Sends what the window and rate allow and persists acknowledgements. `now_ms` is a monotonic
  // millisecond clock (it may wrap), used only for the rate limit.
  Status pump(uint32_t now_ms);

  // Sends the node's status: queue depth, next sequence and drops from the queue, the rest given.
  Status send_status(uint16_t battery_mv, uint32_t uptime_s);

  // The status packet as it stands now, e.g. for the radio's last will (online = false).
  StatusPacket status(bool online, uint16_t battery_mv, uint32_t uptime_s) const;

  void on_link_up() override;
  void on_link_down() override;
  void on_acknowledged(uint32_t token) override;

  bool link_up() const { return link_up_; }
  uint32_t in_flight() const { return in_flight_count_; }
  const UplinkCounters& counters() const { return counters_; }
  const EventQueue& queue() const { return queue_; }

 private:
  struct InFlight {
    uint32_t token;
    uint32_t sequence;
  };

  EventQueue& queue_;
  Radio& radio_;
  UplinkConfig config_;
  const ErrorReporter* reporter_;
  bool link_up_ = false;
  uint32_t cursor_ = 0;        // next sequence to send
  uint32_t sent_through_ = 0;  // sequences from the head up to this one were sent at least once
  InFlight in_flight_[kMaxAckWindow] = {};
  uint32_t in_flight_count_ = 0;
  // Token bucket for the rate limit, in thousandths of an event.
  uint64_t rate_tokens_milli_ = 0;
  uint32_t last_pump_ms_ = 0;
  bool pumped_ = false;
  UplinkCounters counters_;
};

}  // namespace mote::seismic
