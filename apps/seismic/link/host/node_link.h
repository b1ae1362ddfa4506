// The node's communication side assembled for a host: a file-backed store-and-forward queue, the
// uplink and the MQTT radio, with the periodic status. The picker (or a replay of recordings)
// calls submit() for every pick and poll() in its loop; the rest is the portable node code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/seismic/event.h"
#include "apps/seismic/link/event_queue.h"
#include "apps/seismic/link/host/file_queue_storage.h"
#include "apps/seismic/link/host/mqtt_radio.h"
#include "apps/seismic/link/uplink.h"
#include "tools/host_runtime/error_collector.h"

namespace mote::seismic {

struct NodeLinkConfig {
  MqttRadioConfig mqtt;              // broker address, node id, keep-alive, backoff
  std::filesystem::path queue_file;  // created if missing; reopened (and replayed) if present
  uint32_t queue_capacity = 4096;    // power of two
  UplinkConfig uplink;               // window and optional rate limit
  std::chrono::milliseconds status_interval{3600000};  // hourly, as the budgets assume
  uint16_t battery_mv = 0;                             // reported in the status; 0 = not measured
  bool durable = true;  // fdatasync after every write (off only in tests)
};

class NodeLink final : private RadioListener {
 public:
  // Opens (or creates) the queue and recovers what it holds. Throws std::runtime_error with the
  // reason when the queue file cannot be used.
  explicit NodeLink(NodeLinkConfig config);
  ~NodeLink();
  NodeLink(const NodeLink&) = delete;
  NodeLink& operator=(const NodeLink&) = delete;

  // Stores a pick durably and returns its sequence number; it is sent by poll(). Throws
  // std::runtime_error when the event is invalid or the queue cannot be written.
  uint32_t submit(const Event& event);

  // Runs the link for at most `timeout`: connection, sending within the window, PUBACKs, status.
  void poll(std::chrono::milliseconds timeout);

  // Polls until every stored event is acknowledged or `timeout` passes; true when all were.
  bool drain(std::chrono::milliseconds timeout);

  // Leaves cleanly: publishes the status with online = 0 (retained, waiting up to 200 ms for its
  // PUBACK), then DISCONNECT, after which the broker discards the will.
  void disconnect();

  const EventQueue& queue() const { return *queue_; }
  const Uplink& uplink() const { return *uplink_; }
  const MqttRadio& radio() const { return *radio_; }

 private:
  // The radio reports here; the uplink hears it, and a new link gets the status at once.
  void on_link_up() override;
  void on_link_down() override;
  void on_acknowledged(uint32_t token) override;
  void refresh_will();
  uint32_t uptime_s() const;

  NodeLinkConfig config_;
  tools::ErrorCollector errors_;
  std::unique_ptr<FileQueueStorage> storage_;
  std::unique_ptr<EventQueue> queue_;
  std::unique_ptr<Uplink> uplink_;
  std::unique_ptr<MqttRadio> radio_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point next_status_;
  bool status_due_ = false;
};

}  // namespace mote::seismic
