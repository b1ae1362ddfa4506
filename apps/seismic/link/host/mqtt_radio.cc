#include "apps/seismic/link/host/mqtt_radio.h"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace mote::seismic {
namespace {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string mosquitto_error(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
  return mosquitto_strerror(rc);
}

}  // namespace

bool valid_node_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

MqttRadio::MqttRadio(MqttRadioConfig config, RadioListener& listener)
    : config_(std::move(config)),
      listener_(listener),
      backoff_(config_.backoff_min),
      jitter_(static_cast<std::minstd_rand::result_type>(std::hash<std::string>{}(config_.node_id) |
                                                         1u)) {
  if (!valid_node_id(config_.node_id)) {
    throw std::invalid_argument("node id \"" + config_.node_id +
                                "\" must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
  }
  if (config_.backoff_min.count() <= 0 || config_.backoff_max < config_.backoff_min) {
    throw std::invalid_argument("MQTT backoff needs 0 < minimum <= maximum");
  }
  event_topic_ = "mote/" + config_.node_id + "/event";
  status_topic_ = "mote/" + config_.node_id + "/status";
  init_library();
  next_attempt_ = Clock::now();
}

MqttRadio::~MqttRadio() {
  if (client_ != nullptr) mosquitto_destroy(client_);
}

void MqttRadio::set_will(std::vector<uint8_t> status_packet) { will_ = std::move(status_packet); }

void MqttRadio::attempt_connection() {
  ++counters_.connect_attempts;
  client_ = mosquitto_new(config_.node_id.c_str(), /*clean_session=*/true, this);
  if (client_ == nullptr) {
    drop_connection("cannot create an MQTT client (out of memory)");
    return;
  }
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(client_, MOSQ_OPT_SEND_MAXIMUM, static_cast<int>(config_.max_inflight));
  mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(client_, &MqttRadio::on_connect);
  mosquitto_disconnect_callback_set(client_, &MqttRadio::on_disconnect);
  mosquitto_publish_callback_set(client_, &MqttRadio::on_publish);
  if (!will_.empty()) {
    mosquitto_will_set(client_, status_topic_.c_str(), static_cast<int>(will_.size()), will_.data(),
                       1, true);
  }
  lost_ = false;
  attempt_started_ = Clock::now();
  // mosquitto_connect (blocking TCP connect, then CONNECT queued) is what libmosquitto pairs with
  // mosquitto_loop; on loopback a refused connection returns at once.
  const int rc =
      mosquitto_connect(client_, config_.host.c_str(), config_.port, config_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    drop_connection("cannot connect to " + config_.host + ":" + std::to_string(config_.port) +
                    ": " + mosquitto_error(rc));
  }
}

void MqttRadio::drop_connection(const std::string& why) {
  const bool was_connected = connected_;
  connected_ = false;
  lost_ = false;
  last_error_ = why;
  ++counters_.losses;
  if (client_ != nullptr) {
    mosquitto_destroy(client_);
    client_ = nullptr;
  }
  status_mids_.clear();
  if (was_connected) {
    listener_.on_link_down();
    backoff_ = config_.backoff_min;  // a link that was up starts the backoff afresh
  }
  // Exponential backoff with ±25 % jitter, so that a fleet of nodes does not reconnect in step.
  std::uniform_real_distribution<double> spread(0.75, 1.25);
  const auto delay = std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(backoff_.count()) * spread(jitter_)));
  next_attempt_ = Clock::now() + delay;
  backoff_ = std::min(config_.backoff_max, backoff_ * 2);
}

void MqttRadio::poll(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (client_ == nullptr) {
    if (Clock::now() < next_attempt_) {
      std::this_thread::sleep_until(std::min(deadline, next_attempt_));
      return;
    }
    attempt_connection();
    if (client_ == nullptr) return;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  const int rc = mosquitto_loop(client_, static_cast<int>(std::max<int64_t>(0, left.count())), 1);
  if (rc != MOSQ_ERR_SUCCESS && !lost_) {
    lost_ = true;
    lost_reason_ = "MQTT link lost: " + mosquitto_error(rc);
  }
  if (!lost_ && !connected_ && Clock::now() - attempt_started_ > config_.connect_timeout) {
    lost_ = true;
    lost_reason_ = "no CONNACK within the connect timeout";
  }
  if (lost_) drop_connection(lost_reason_);
}

void MqttRadio::disconnect() {
  if (client_ == nullptr) return;
  if (connected_) {
    mosquitto_disconnect(client_);
    mosquitto_loop(client_, 10, 1);
  }
  drop_connection("disconnected on request");
}

Status MqttRadio::send_event(const uint8_t* packet, size_t size, uint32_t* token) {
  if (!connected_ || client_ == nullptr) return Status::kIoError;
  int mid = 0;
  const int rc = mosquitto_publish(client_, &mid, event_topic_.c_str(), static_cast<int>(size),
                                   packet, 1, false);
  if (rc != MOSQ_ERR_SUCCESS) {
    last_error_ = "publish failed: " + mosquitto_error(rc);
    return Status::kIoError;
  }
  ++counters_.publishes;
  *token = static_cast<uint32_t>(mid);
  return Status::kOk;
}

Status MqttRadio::send_status(const uint8_t* packet, size_t size) {
  if (!connected_ || client_ == nullptr) return Status::kIoError;
  int mid = 0;
  const int rc = mosquitto_publish(client_, &mid, status_topic_.c_str(), static_cast<int>(size),
                                   packet, 1, true);
  if (rc != MOSQ_ERR_SUCCESS) {
    last_error_ = "status publish failed: " + mosquitto_error(rc);
    return Status::kIoError;
  }
  ++counters_.publishes;
  status_mids_.push_back(mid);
  return Status::kOk;
}

void MqttRadio::on_connect(struct mosquitto*, void* self, int rc) {
  auto* radio = static_cast<MqttRadio*>(self);
  if (rc != 0) {
    radio->lost_ = true;
    radio->lost_reason_ =
        std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
    return;
  }
  radio->connected_ = true;
  radio->backoff_ = radio->config_.backoff_min;
  ++radio->counters_.connects;
  radio->listener_.on_link_up();
}

void MqttRadio::on_disconnect(struct mosquitto*, void* self, int rc) {
  auto* radio = static_cast<MqttRadio*>(self);
  if (!radio->lost_) {
    radio->lost_ = true;
    radio->lost_reason_ = rc == 0 ? "disconnected" : "MQTT link lost: " + mosquitto_error(rc);
  }
}

void MqttRadio::on_publish(struct mosquitto*, void* self, int mid) {
  auto* radio = static_cast<MqttRadio*>(self);
  ++radio->counters_.acks;
  auto& mids = radio->status_mids_;
  const auto it = std::find(mids.begin(), mids.end(), mid);
  if (it != mids.end()) {
    mids.erase(it);
    return;
  }
  radio->listener_.on_acknowledged(static_cast<uint32_t>(mid));
}

}  // namespace mote::seismic
