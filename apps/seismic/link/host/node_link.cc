#include "apps/seismic/link/host/node_link.h"

#include <stdexcept>

namespace mote::seismic {

NodeLink::NodeLink(NodeLinkConfig config) : config_(std::move(config)) {
  storage_ = std::make_unique<FileQueueStorage>(config_.queue_file, config_.queue_capacity,
                                                errors_.reporter());
  storage_->set_sync_enabled(config_.durable);
  queue_ = std::make_unique<EventQueue>(*storage_, EventQueue::Config{}, errors_.reporter());
  if (queue_->open() != Status::kOk) {
    throw std::runtime_error("cannot open the event queue " + config_.queue_file.string() + ": " +
                             errors_.last());
  }
  config_.mqtt.max_inflight = std::max(config_.mqtt.max_inflight, config_.uplink.window);
  RadioListener& listener = *this;  // private base: converted here, where it is accessible
  radio_ = std::make_unique<MqttRadio>(config_.mqtt, listener);
  uplink_ = std::make_unique<Uplink>(*queue_, *radio_, config_.uplink, errors_.reporter());
  if (uplink_->init() != Status::kOk) throw std::invalid_argument(errors_.last());
  started_ = std::chrono::steady_clock::now();
  next_status_ = started_ + config_.status_interval;
  refresh_will();
}

NodeLink::~NodeLink() = default;

uint32_t NodeLink::uptime_s() const {
  return static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
          .count());
}

void NodeLink::refresh_will() {
  uint8_t bytes[kStatusPacketBytes];
  if (encode_status_packet(uplink_->status(false, config_.battery_mv, uptime_s()), bytes,
                           errors_.reporter()) == Status::kOk) {
    radio_->set_will(std::vector<uint8_t>(bytes, bytes + sizeof(bytes)));
  }
}

uint32_t NodeLink::submit(const Event& event) {
  uint32_t sequence = 0;
  errors_.clear();
  if (uplink_->submit(event, &sequence) != Status::kOk) {
    throw std::runtime_error("cannot store event: " + errors_.last());
  }
  return sequence;
}

void NodeLink::poll(std::chrono::milliseconds timeout) {
  radio_->poll(timeout);
  const auto now = std::chrono::steady_clock::now();
  if (radio_->connected() && (status_due_ || now >= next_status_)) {
    if (uplink_->send_status(config_.battery_mv, uptime_s()) == Status::kOk) {
      status_due_ = false;
      next_status_ = now + config_.status_interval;
    }
  }
  errors_.clear();
  const auto now_ms = static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  if (uplink_->pump(now_ms) != Status::kOk) {
    throw std::runtime_error("event queue failed: " + errors_.last());
  }
}

bool NodeLink::drain(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (queue_->size() > 0 && std::chrono::steady_clock::now() < deadline) {
    poll(std::chrono::milliseconds(5));
  }
  return queue_->size() == 0;
}

void NodeLink::disconnect() {
  if (radio_->connected()) {
    uint8_t bytes[kStatusPacketBytes];
    if (encode_status_packet(uplink_->status(false, config_.battery_mv, uptime_s()), bytes,
                             errors_.reporter()) == Status::kOk &&
        radio_->send_status(bytes, sizeof(bytes)) == Status::kOk) {
      for (int i = 0; i < 20 && radio_->connected() && radio_->status_in_flight(); ++i) {
        radio_->poll(std::chrono::milliseconds(10));
      }
    }
  }
  radio_->disconnect();
}

void NodeLink::on_link_up() {
  uplink_->on_link_up();
  status_due_ = true;
}

void NodeLink::on_link_down() {
  uplink_->on_link_down();
  refresh_will();  // the next connection leaves a will with the queue as it is then
}

void NodeLink::on_acknowledged(uint32_t token) { uplink_->on_acknowledged(token); }

}  // namespace mote::seismic
