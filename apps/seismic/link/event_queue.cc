#include "apps/seismic/link/event_queue.h"

#include "apps/seismic/link/crc16.h"
#include "apps/seismic/link/little_endian.h"

namespace mote::seismic {
namespace {

// State block layout (little-endian): magic "MQS1", generation, head, next, dropped, corrupt,
// slot count (4 bytes each), 2 reserved zero bytes, CRC-16/CCITT-FALSE of bytes 0..29.
constexpr uint32_t kStateMagic = 0x3153514Du;  // "MQS1"

struct StateRecord {
  uint32_t generation;
  uint32_t head;
  uint32_t next;
  uint32_t dropped;
  uint32_t corrupt;
  uint32_t slot_count;
};

void encode_state(const StateRecord& s, uint8_t* out) {
  put_le(out + 0, kStateMagic, 4);
  put_le(out + 4, s.generation, 4);
  put_le(out + 8, s.head, 4);
  put_le(out + 12, s.next, 4);
  put_le(out + 16, s.dropped, 4);
  put_le(out + 20, s.corrupt, 4);
  put_le(out + 24, s.slot_count, 4);
  put_le(out + 28, 0, 2);
  put_le(out + 30, crc16_ccitt(out, 30), 2);
}

bool decode_state(const uint8_t* in, StateRecord* s) {
  if (get_le(in, 4) != kStateMagic) return false;
  if (get_le(in + 30, 2) != crc16_ccitt(in, 30)) return false;
  if (get_le(in + 28, 2) != 0) return false;
  s->generation = static_cast<uint32_t>(get_le(in + 4, 4));
  s->head = static_cast<uint32_t>(get_le(in + 8, 4));
  s->next = static_cast<uint32_t>(get_le(in + 12, 4));
  s->dropped = static_cast<uint32_t>(get_le(in + 16, 4));
  s->corrupt = static_cast<uint32_t>(get_le(in + 20, 4));
  s->slot_count = static_cast<uint32_t>(get_le(in + 24, 4));
  return s->head <= kSequenceMask && s->next <= kSequenceMask;
}

bool blank(const uint8_t* in, size_t size) {
  bool all_ff = true;
  bool all_00 = true;
  for (size_t i = 0; i < size; ++i) {
    all_ff = all_ff && in[i] == 0xFF;
    all_00 = all_00 && in[i] == 0x00;
  }
  return all_ff || all_00;
}

}  // namespace

EventQueue::EventQueue(QueueStorage& storage, const Config& config, const ErrorReporter* reporter)
    : storage_(storage), config_(config), reporter_(reporter) {}

Status EventQueue::load_state(bool* found) {
  *found = false;
  StateRecord best{};
  bool any_blank_only = true;
  for (uint32_t block = 0; block < 2; ++block) {
    uint8_t bytes[kQueueStateBytes];
    MOTE_RETURN_IF_ERROR(storage_.read_state(block, bytes));
    StateRecord s{};
    if (!decode_state(bytes, &s)) {
      any_blank_only = any_blank_only && blank(bytes, sizeof(bytes));
      continue;
    }
    if (s.slot_count != capacity_) {
      return report_error(reporter_, Status::kInvalidArgument,
                          "queue storage holds a queue of %u slots, opened with %u: keep the "
                          "capacity or start from empty storage",
                          static_cast<unsigned>(s.slot_count), static_cast<unsigned>(capacity_));
    }
    // Generations compare modulo 2^32 so that the counter may wrap.
    if (!*found || static_cast<int32_t>(s.generation - best.generation) > 0) best = s;
    *found = true;
  }
  if (!*found) {
    if (!any_blank_only) {
      return report_error(reporter_, Status::kMalformedData,
                          "queue state unreadable in both copies: cannot tell which stored events "
                          "were delivered; move the storage aside to start an empty queue");
    }
    return Status::kOk;
  }
  if (sequence_distance(best.head, best.next) > capacity_) {
    return report_error(reporter_, Status::kMalformedData,
                        "queue state holds %u events in %u slots",
                        static_cast<unsigned>(sequence_distance(best.head, best.next)),
                        static_cast<unsigned>(capacity_));
  }
  generation_ = best.generation;
  head_ = best.head;
  next_ = best.next;
  counters_.dropped = best.dropped;
  counters_.corrupt = best.corrupt;
  return Status::kOk;
}

Status EventQueue::open() {
  const uint32_t slots = storage_.slot_count();
  if (slots < 2 || slots > (1u << 22) || (slots & (slots - 1)) != 0) {
    return report_error(reporter_, Status::kInvalidArgument,
                        "queue capacity %u is not a power of two in [2, 2^22]",
                        static_cast<unsigned>(slots));
  }
  capacity_ = slots;
  bool found = false;
  MOTE_RETURN_IF_ERROR(load_state(&found));
  if (!found) {
    head_ = next_ = config_.first_sequence & kSequenceMask;
    generation_ = 1;  // so that the first write goes to block 0
    counters_ = QueueCounters{};
  }
  // Events pushed after the last state write are found in their slots: the furthest slot after the
  // head that holds the sequence it should is the last stored event.
  uint32_t stored = size();
  for (uint32_t d = stored; d < capacity_; ++d) {
    const uint32_t sequence = (head_ + d) & kSequenceMask;
    uint8_t bytes[kEventPacketBytes];
    MOTE_RETURN_IF_ERROR(storage_.read_slot(slot_of(sequence), bytes));
    EventPacket packet;
    if (decode_event_packet(bytes, sizeof(bytes), &packet, nullptr, nullptr) == Status::kOk &&
        packet.sequence == sequence) {
      stored = d + 1;
    }
  }
  next_ = (head_ + stored) & kSequenceMask;
  acked_ = 0;
  head_dirty_ = false;
  opened_ = true;
  if (!found) MOTE_RETURN_IF_ERROR(write_state());
  return Status::kOk;
}

Status EventQueue::write_state() {
  ++generation_;
  StateRecord s{generation_, head_, next_, counters_.dropped, counters_.corrupt, capacity_};
  uint8_t bytes[kQueueStateBytes];
  encode_state(s, bytes);
  MOTE_RETURN_IF_ERROR(storage_.write_state(generation_ & 1u, bytes));
  MOTE_RETURN_IF_ERROR(storage_.sync());
  head_dirty_ = false;
  return Status::kOk;
}

void EventQueue::advance_head() {
  while (size() > 0 && (acked_ & 1u) != 0) {
    acked_ >>= 1;
    head_ = (head_ + 1) & kSequenceMask;
    head_dirty_ = true;
  }
}

Status EventQueue::push(const Event& event, uint32_t* sequence) {
  if (!opened_) return report_error(reporter_, Status::kInvalidArgument, "queue not opened");
  EventPacket packet;
  MOTE_RETURN_IF_ERROR(make_event_packet(event, next_, &packet, reporter_));
  uint8_t bytes[kEventPacketBytes];
  MOTE_RETURN_IF_ERROR(encode_event_packet(packet, bytes, reporter_));
  const bool full = size() == capacity_;
  // The slot of the new event is the slot of the oldest one when full: overwriting it drops it.
  MOTE_RETURN_IF_ERROR(storage_.write_slot(slot_of(next_), bytes));
  if (full) {
    ++counters_.dropped;
    acked_ >>= 1;
    head_ = (head_ + 1) & kSequenceMask;
    head_dirty_ = true;
  }
  const uint32_t assigned = next_;
  next_ = (next_ + 1) & kSequenceMask;
  // A moved head must be on record before the event counts as stored; a plain append is found by
  // the slot scan at open, so it needs only the slot itself to be durable.
  if (head_dirty_) {
    MOTE_RETURN_IF_ERROR(write_state());
  } else {
    MOTE_RETURN_IF_ERROR(storage_.sync());
  }
  if (sequence != nullptr) *sequence = assigned;
  return Status::kOk;
}

Status EventQueue::read(uint32_t sequence, uint8_t* packet) {
  if (!opened_) return report_error(reporter_, Status::kInvalidArgument, "queue not opened");
  if (!holds(sequence)) {
    return report_error(reporter_, Status::kInvalidArgument,
                        "sequence %u is not in the queue (head %u, next %u)",
                        static_cast<unsigned>(sequence), static_cast<unsigned>(head_),
                        static_cast<unsigned>(next_));
  }
  MOTE_RETURN_IF_ERROR(storage_.read_slot(slot_of(sequence), packet));
  EventPacket decoded;
  if (decode_event_packet(packet, kEventPacketBytes, &decoded, nullptr, nullptr) == Status::kOk &&
      decoded.sequence == sequence) {
    return Status::kOk;
  }
  const uint32_t d = sequence_distance(head_, sequence);
  if (d < kMaxAckWindow && (acked_ & (uint64_t{1} << d)) == 0) {
    ++counters_.corrupt;
    acked_ |= uint64_t{1} << d;
    advance_head();
    head_dirty_ = true;  // the corrupt count must reach storage too
  }
  return report_error(reporter_, Status::kMalformedData,
                      "stored event %u is unreadable (slot %u); skipped and counted",
                      static_cast<unsigned>(sequence), static_cast<unsigned>(slot_of(sequence)));
}

void EventQueue::acknowledge(uint32_t sequence) {
  if (!opened_ || !holds(sequence)) return;
  const uint32_t d = sequence_distance(head_, sequence);
  if (d >= kMaxAckWindow) return;
  acked_ |= uint64_t{1} << d;
  advance_head();
}

Status EventQueue::commit() {
  if (!opened_) return report_error(reporter_, Status::kInvalidArgument, "queue not opened");
  return head_dirty_ ? write_state() : Status::kOk;
}

}  // namespace mote::seismic
