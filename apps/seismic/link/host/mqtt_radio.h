// The node's radio on a host: MQTT 3.1.1 through libmosquitto to a broker, QoS 1. Events go to
// mote/<node-id>/event, the status (retained) to mote/<node-id>/status, and the status with
// online = 0 is left with the broker as the last will.
//
// Driven from one thread by poll(): it connects when the link is down (exponential backoff with
// jitter between attempts), runs libmosquitto's loop, and reports to the RadioListener (the
// uplink). Every connection is a fresh clean session: after a loss the client is destroyed, so
// libmosquitto forgets what it had in flight and the uplink — which owns the persistent queue —
// replays from the oldest unacknowledged event, in order. One owner of retransmission, whether the
// link dropped or the node restarted.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "apps/seismic/link/radio.h"

struct mosquitto;

namespace mote::seismic {

struct MqttRadioConfig {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string node_id;    // [A-Za-z0-9._-], 1..64 characters; also the MQTT client id
  int keepalive_s = 300;  // PINGREQ at most every 5 min when idle (the budgets' figure)
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
  std::chrono::milliseconds connect_timeout{5000};  // CONNECT sent, no CONNACK: give up
  uint32_t max_inflight = 16;  // libmosquitto's own send maximum (the uplink window or more)
};

struct MqttRadioCounters {
  uint64_t connect_attempts = 0;
  uint64_t connects = 0;   // CONNACKs accepted
  uint64_t losses = 0;     // connections lost or attempts failed
  uint64_t publishes = 0;  // event and status PUBLISHes handed to libmosquitto
  uint64_t acks = 0;       // PUBACKs
};

class MqttRadio final : public Radio {
 public:
  // Throws std::invalid_argument for a node id that is not a safe topic level and client id.
  MqttRadio(MqttRadioConfig config, RadioListener& listener);
  ~MqttRadio();
  MqttRadio(const MqttRadio&) = delete;
  MqttRadio& operator=(const MqttRadio&) = delete;

  // The status packet the broker publishes (retained) if the link dies; used from the next
  // connection on.
  void set_will(std::vector<uint8_t> status_packet);

  // Runs the link for at most `timeout`: a connection attempt when one is due, then network I/O
  // and callbacks.
  void poll(std::chrono::milliseconds timeout);

  // Sends DISCONNECT (the broker then discards the will) and closes the link.
  void disconnect();

  Status send_event(const uint8_t* packet, size_t size, uint32_t* token) override;
  Status send_status(const uint8_t* packet, size_t size) override;

  bool connected() const { return connected_; }
  // True while a status PUBLISH awaits its PUBACK.
  bool status_in_flight() const { return !status_mids_.empty(); }
  const std::string& event_topic() const { return event_topic_; }
  const std::string& status_topic() const { return status_topic_; }
  const MqttRadioCounters& counters() const { return counters_; }
  // What went wrong last (connection refused, lost, ...), for logs.
  const std::string& last_error() const { return last_error_; }

 private:
  using Clock = std::chrono::steady_clock;

  void attempt_connection();
  void drop_connection(const std::string& why);
  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_publish(struct mosquitto*, void* self, int mid);

  MqttRadioConfig config_;
  RadioListener& listener_;
  std::string event_topic_;
  std::string status_topic_;
  std::vector<uint8_t> will_;
  struct mosquitto* client_ = nullptr;
  bool connected_ = false;
  bool lost_ = false;
  std::string lost_reason_;
  Clock::time_point attempt_started_{};
  Clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_;
  std::minstd_rand jitter_;
  std::vector<int> status_mids_;
  MqttRadioCounters counters_;
  std::string last_error_;
};

// Returns true when `id` is a usable node id: 1..64 characters of [A-Za-z0-9._-].
bool valid_node_id(const std::string& id);

}  // namespace mote::seismic
