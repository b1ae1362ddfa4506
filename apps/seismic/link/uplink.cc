#include "apps/seismic/link/uplink.h"

namespace mote::seismic {

Uplink::Uplink(EventQueue& queue, Radio& radio, const UplinkConfig& config,
               const ErrorReporter* reporter)
    : queue_(queue), radio_(radio), config_(config), reporter_(reporter) {}

Status Uplink::init() {
  if (config_.window < 1 || config_.window > kMaxAckWindow) {
    return report_error(reporter_, Status::kInvalidArgument, "uplink window %u is outside [1, %u]",
                        static_cast<unsigned>(config_.window),
                        static_cast<unsigned>(kMaxAckWindow));
  }
  cursor_ = sent_through_ = queue_.head_sequence();
  return Status::kOk;
}

Status Uplink::submit(const Event& event, uint32_t* sequence) {
  MOTE_RETURN_IF_ERROR(queue_.push(event, sequence));
  ++counters_.submitted;
  return Status::kOk;
}

Status Uplink::pump(uint32_t now_ms) {
  if (config_.max_events_per_second > 0) {
    const uint64_t cap = uint64_t{config_.window} * 1000;
    if (!pumped_) {
      rate_tokens_milli_ = 1000;
    } else {
      const uint32_t elapsed = now_ms - last_pump_ms_;  // wraps correctly
      rate_tokens_milli_ += uint64_t{elapsed} * config_.max_events_per_second;
      if (rate_tokens_milli_ > cap) rate_tokens_milli_ = cap;
    }
    last_pump_ms_ = now_ms;
    pumped_ = true;
  }
  const uint32_t head = queue_.head_sequence();
  const uint32_t size = queue_.size();
  // Acknowledgements, overflow drops and skipped records move the head; the cursors follow it.
  if (sequence_distance(head, cursor_) > size) cursor_ = head;
  if (sequence_distance(head, sent_through_) > size) sent_through_ = head;

  while (link_up_ && in_flight_count_ < config_.window) {
    const uint32_t ahead = sequence_distance(queue_.head_sequence(), cursor_);
    if (ahead >= queue_.size() || ahead >= kMaxAckWindow) break;
    if (config_.max_events_per_second > 0 && rate_tokens_milli_ < 1000) break;
    uint8_t packet[kEventPacketBytes];
    const Status read = queue_.read(cursor_, packet);
    if (read == Status::kMalformedData) {  // counted and skipped by the queue
      cursor_ = (cursor_ + 1) & kSequenceMask;
      continue;
    }
    MOTE_RETURN_IF_ERROR(read);
    uint32_t token = 0;
    if (radio_.send_event(packet, sizeof(packet), &token) != Status::kOk) break;  // retry later
    in_flight_[in_flight_count_++] = InFlight{token, cursor_};
    ++counters_.sent;
    if (sequence_distance(queue_.head_sequence(), cursor_) <
        sequence_distance(queue_.head_sequence(), sent_through_)) {
      ++counters_.resent;
    } else {
      sent_through_ = (cursor_ + 1) & kSequenceMask;
    }
    cursor_ = (cursor_ + 1) & kSequenceMask;
    if (config_.max_events_per_second > 0) rate_tokens_milli_ -= 1000;
  }
  return queue_.commit();
}

StatusPacket Uplink::status(bool online, uint16_t battery_mv, uint32_t uptime_s) const {
  StatusPacket s;
  s.online = online;
  s.battery_mv = battery_mv;
  s.queue_depth = saturate_u16(queue_.size());
  s.next_sequence = queue_.next_sequence();
  s.dropped = saturate_u16(queue_.counters().dropped);
  s.uptime_s = uptime_s;
  return s;
}

Status Uplink::send_status(uint16_t battery_mv, uint32_t uptime_s) {
  uint8_t bytes[kStatusPacketBytes];
  MOTE_RETURN_IF_ERROR(encode_status_packet(status(true, battery_mv, uptime_s), bytes, reporter_));
  return radio_.send_status(bytes, sizeof(bytes));
}

void Uplink::on_link_up() {
  link_up_ = true;
  in_flight_count_ = 0;
  cursor_ = queue_.head_sequence();
  ++counters_.link_ups;
}

void Uplink::on_link_down() {
  link_up_ = false;
  in_flight_count_ = 0;
  ++counters_.link_downs;
}

void Uplink::on_acknowledged(uint32_t token) {
  for (uint32_t i = 0; i < in_flight_count_; ++i) {
    if (in_flight_[i].token != token) continue;
    queue_.acknowledge(in_flight_[i].sequence);
    in_flight_[i] = in_flight_[--in_flight_count_];
    ++counters_.acknowledged;
    return;
  }
}

}  // namespace mote::seismic
