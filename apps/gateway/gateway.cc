#include "apps/gateway/gateway.h"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "apps/seismic/link/host/mqtt_radio.h"

namespace mote::gateway {
namespace {

constexpr const char* kEventFilter = "mote/+/event";
constexpr const char* kStatusFilter = "mote/+/status";

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string mosquitto_error(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
  return mosquitto_strerror(rc);
}

}  // namespace

Gateway::Gateway(GatewayConfig config) : config_(std::move(config)), backoff_(config_.backoff_min) {
  store_ = std::make_unique<EventStore>(config_.database);
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
  client_ = mosquitto_new(config_.client_id.c_str(), /*clean_session=*/false, this);
  if (client_ == nullptr) throw std::runtime_error("cannot create the gateway's MQTT client");
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_connect_callback_set(client_, &Gateway::on_connect);
  mosquitto_disconnect_callback_set(client_, &Gateway::on_disconnect);
  mosquitto_subscribe_callback_set(client_, &Gateway::on_subscribe);
  mosquitto_message_callback_set(client_, &Gateway::on_message);
  next_attempt_ = Clock::now();
}

Gateway::~Gateway() {
  if (client_ != nullptr) {
    if (connected_) {
      mosquitto_disconnect(client_);
      mosquitto_loop(client_, 10, 1);
    }
    mosquitto_destroy(client_);
  }
}

void Gateway::drop_connection(const std::string& why) {
  socket_open_ = connected_ = subscribed_ = lost_ = false;
  last_error_ = why;
  ++counters_.losses;
  next_attempt_ = Clock::now() + backoff_;
  backoff_ = std::min(config_.backoff_max, backoff_ * 2);
}

void Gateway::poll(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (!socket_open_) {
    if (Clock::now() < next_attempt_) {
      std::this_thread::sleep_until(std::min(deadline, next_attempt_));
      return;
    }
    const int rc =
        counters_.connects + counters_.losses == 0
            ? mosquitto_connect(client_, config_.host.c_str(), config_.port, config_.keepalive_s)
            : mosquitto_reconnect(client_);
    if (rc != MOSQ_ERR_SUCCESS) {
      drop_connection("cannot connect to " + config_.host + ":" + std::to_string(config_.port) +
                      ": " + mosquitto_error(rc));
      return;
    }
    socket_open_ = true;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  const int rc = mosquitto_loop(client_, static_cast<int>(std::max<int64_t>(0, left.count())), 1);
  if (rc != MOSQ_ERR_SUCCESS && !lost_) {
    lost_ = true;
    lost_reason_ = "MQTT link lost: " + mosquitto_error(rc);
  }
  if (lost_) drop_connection(lost_reason_);
  if (callback_error_) std::rethrow_exception(std::exchange(callback_error_, nullptr));
}

void Gateway::handle_message(std::string_view topic, std::span<const uint8_t> payload) {
  ++counters_.messages;
  const int64_t now = wall_clock_ms();
  // mote/<node>/<kind>: anything else is counted under the node "?" as a bad topic.
  std::string node = "?";
  std::string kind;
  if (topic.starts_with("mote/")) {
    const std::string_view rest = topic.substr(5);
    const size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      const std::string candidate(rest.substr(0, slash));
      if (seismic::valid_node_id(candidate)) {
        node = candidate;
        kind = std::string(rest.substr(slash + 1));
      }
    }
  }
  if (kind == "event") {
    seismic::EventPacket packet;
    seismic::PacketError error = seismic::PacketError::kNone;
    if (seismic::decode_event_packet(payload.data(), payload.size(), &packet, &error, nullptr) !=
        Status::kOk) {
      ++counters_.malformed;
      store_->add_malformed(node, seismic::packet_error_name(error), payload, now);
      return;
    }
    switch (store_->add_event(node, packet, payload, now)) {
      case StoreOutcome::kStored:
        ++counters_.stored;
        break;
      case StoreOutcome::kDuplicate:
        ++counters_.duplicates;
        break;
      case StoreOutcome::kConflict:
        ++counters_.conflicts;
        break;
    }
  } else if (kind == "status") {
    seismic::StatusPacket status;
    if (seismic::decode_status_packet(payload.data(), payload.size(), &status, nullptr) !=
        Status::kOk) {
      ++counters_.malformed;
      store_->add_malformed(node, "bad_status", payload, now);
      return;
    }
    ++counters_.statuses;
    store_->set_status(node, status, now);
  } else {
    ++counters_.malformed;
    store_->add_malformed(node, "bad_topic", payload, now);
  }
}

void Gateway::on_connect(struct mosquitto* client, void* self, int rc) {
  auto* g = static_cast<Gateway*>(self);
  if (rc != 0) {
    g->lost_ = true;
    g->lost_reason_ = std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
    return;
  }
  g->connected_ = true;
  g->backoff_ = g->config_.backoff_min;
  ++g->counters_.connects;
  // Subscribing again after a reconnect is harmless and covers a broker that lost the session.
  g->subscriptions_pending_ = 2;
  if (mosquitto_subscribe(client, nullptr, kEventFilter, 1) != MOSQ_ERR_SUCCESS ||
      mosquitto_subscribe(client, nullptr, kStatusFilter, 1) != MOSQ_ERR_SUCCESS) {
    g->lost_ = true;
    g->lost_reason_ = "cannot subscribe";
  }
}

void Gateway::on_disconnect(struct mosquitto*, void* self, int rc) {
  auto* g = static_cast<Gateway*>(self);
  if (!g->lost_) {
    g->lost_ = true;
    g->lost_reason_ = rc == 0 ? "disconnected" : "MQTT link lost: " + mosquitto_error(rc);
  }
}

void Gateway::on_subscribe(struct mosquitto*, void* self, int, int count, const int* qos) {
  auto* g = static_cast<Gateway*>(self);
  for (int i = 0; i < count; ++i) {
    if (qos[i] > 2) {  // 0x80: the broker refused the subscription
      g->lost_ = true;
      g->lost_reason_ = "the broker refused a subscription";
      return;
    }
  }
  if (--g->subscriptions_pending_ <= 0) g->subscribed_ = true;
}

void Gateway::on_message(struct mosquitto*, void* self, const struct mosquitto_message* message) {
  auto* g = static_cast<Gateway*>(self);
  try {
    g->handle_message(message->topic,
                      std::span<const uint8_t>(static_cast<const uint8_t*>(message->payload),
                                               static_cast<size_t>(message->payloadlen)));
  } catch (...) {
    if (!g->callback_error_) g->callback_error_ = std::current_exception();
  }
}

}  // namespace mote::gateway
