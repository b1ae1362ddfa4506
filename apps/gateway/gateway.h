// The receiving side as a host service: an MQTT client that subscribes (QoS 1) to mote/+/event
// and mote/+/status, decodes every message, refuses and counts malformed packets, drops
// duplicates by (node, sequence) and stores the rest (EventStore).
//
// Its session is persistent (clean session off, a fixed client id): while it is away, or while the
// broker restarts with persistence, the broker keeps its QoS 1 messages for it. Driven from one
// thread by poll(), reconnecting with backoff like the node.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "apps/gateway/event_store.h"

struct mosquitto;
struct mosquitto_message;

namespace mote::gateway {

struct GatewayConfig {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "mote-gateway";
  std::filesystem::path database;  // SQLite file (":memory:" for none)
  int keepalive_s = 30;
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
};

struct GatewayCounters {
  uint64_t messages = 0;  // MQTT messages received
  uint64_t stored = 0;    // new events
  uint64_t duplicates = 0;
  uint64_t conflicts = 0;
  uint64_t malformed = 0;  // refused event or status packets
  uint64_t statuses = 0;
  uint64_t connects = 0;
  uint64_t losses = 0;
};

class Gateway {
 public:
  // Opens the database; connects on the first poll(). Throws std::runtime_error when the database
  // cannot be opened.
  explicit Gateway(GatewayConfig config);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Runs the client for at most `timeout`: connects when due, receives and stores messages.
  void poll(std::chrono::milliseconds timeout);

  // Handles one message as if received on `topic` (public so that tests can feed any bytes).
  void handle_message(std::string_view topic, std::span<const uint8_t> payload);

  // True once connected and subscribed.
  bool ready() const { return subscribed_; }
  EventStore& store() { return *store_; }
  const GatewayCounters& counters() const { return counters_; }
  const std::string& last_error() const { return last_error_; }

 private:
  using Clock = std::chrono::steady_clock;
  void drop_connection(const std::string& why);
  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_subscribe(struct mosquitto*, void* self, int mid, int count, const int* qos);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* message);

  GatewayConfig config_;
  std::unique_ptr<EventStore> store_;
  struct mosquitto* client_ = nullptr;
  bool socket_open_ = false;
  bool connected_ = false;
  bool subscribed_ = false;
  bool lost_ = false;
  std::string lost_reason_;
  Clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_;
  int subscriptions_pending_ = 0;
  std::exception_ptr callback_error_;  // thrown from poll(), never through libmosquitto's C code
  GatewayCounters counters_;
  std::string last_error_;
};

}  // namespace mote::gateway
