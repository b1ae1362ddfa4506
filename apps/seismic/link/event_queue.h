// The node's bounded persistent store-and-forward queue. Every pick gets the next sequence number
// and is written to storage before push() returns; it stays there, in order, until the receiving
// side acknowledges it (MQTT: the broker's PUBACK at QoS 1), and survives a restart of the node.
//
// Overflow drops the OLDEST unacknowledged event, counted in counters().dropped and visible to the
// receiver as a gap in the sequence numbers. Why the oldest: after a long outage the freshest
// picks tell the network what is happening now (ongoing activity, alert decisions) while the
// oldest are stale for real-time use; and a flash ring overwrites its oldest page anyway. Size the
// queue so that it does not happen: 4096 slots hold two weeks of picks at 12 an hour.
//
// Recovery: the newer valid state block gives the head (oldest unacknowledged) and the counters;
// the slots then show which events after the head were stored (a slot holds sequence s only if its
// packet is valid and says s). An event whose slot is unreadable is skipped when it is reached and
// counted in counters().corrupt. At-least-once: acknowledgements not yet committed are resent.
#pragma once

#include <cstdint>

#include "apps/seismic/event.h"
#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/queue_storage.h"
#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"

namespace mote::seismic {

// How far past the head acknowledgements may arrive out of order (and how many events an uplink
// may have in flight).
constexpr uint32_t kMaxAckWindow = 64;

struct QueueCounters {
  uint32_t dropped = 0;  // events overwritten by overflow before they were acknowledged
  uint32_t corrupt = 0;  // stored events found unreadable and skipped
};

class EventQueue {
 public:
  struct Config {
    // Sequence number of the first event in storage that has never held a queue (tests use it to
    // cross the 2^24 wrap); ignored when storage already holds a state.
    uint32_t first_sequence = 0;
  };

  EventQueue(QueueStorage& storage, const Config& config, const ErrorReporter* reporter);

  // Reads the state and scans the slots. Must succeed before any other call. Fails with
  // kInvalidArgument for a slot count that is not a power of two in [2, 2^22], kMalformedData if
  // both state blocks are unreadable and not blank (a double fault: no safe head to resume from).
  Status open();

  // Stores `event` under the next sequence number (in `*sequence` if not null), durable on return.
  // When the queue is full the oldest event is dropped first and counted.
  Status push(const Event& event, uint32_t* sequence);

  // Copies the stored packet of `sequence` (in [head, next)) to `packet`. kMalformedData when its
  // slot does not hold it: the event is then counted corrupt and treated as acknowledged.
  Status read(uint32_t sequence, uint8_t* packet);

  // Records that `sequence` was delivered; the head moves over the acknowledged prefix. Sequences
  // outside [head, head + kMaxAckWindow) are ignored (already gone, or resent later).
  void acknowledge(uint32_t sequence);

  // Persists the head if acknowledgements moved it (one state write for many acknowledgements).
  Status commit();

  // Events stored and not yet acknowledged.
  uint32_t size() const { return sequence_distance(head_, next_); }
  uint32_t capacity() const { return capacity_; }
  // Oldest unacknowledged sequence, and the sequence the next push will get.
  uint32_t head_sequence() const { return head_; }
  uint32_t next_sequence() const { return next_; }
  // True when `sequence` is stored and not yet acknowledged.
  bool holds(uint32_t sequence) const { return sequence_distance(head_, sequence) < size(); }
  const QueueCounters& counters() const { return counters_; }

 private:
  Status write_state();
  Status load_state(bool* found);
  void advance_head();
  uint32_t slot_of(uint32_t sequence) const { return sequence & (capacity_ - 1); }

  QueueStorage& storage_;
  Config config_;
  const ErrorReporter* reporter_;
  bool opened_ = false;
  uint32_t capacity_ = 0;
  uint32_t head_ = 0;
  uint32_t next_ = 0;
  uint32_t generation_ = 0;  // of the last state written; the block is generation mod 2
  uint64_t acked_ = 0;       // bit i: head + i acknowledged (out of order)
  bool head_dirty_ = false;
  QueueCounters counters_;
};

}  // namespace mote::seismic
