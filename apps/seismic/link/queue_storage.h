// Where the store-and-forward queue keeps its bytes: a ring of fixed-size slots, one event packet
// each, and two small state blocks that the queue writes alternately (so that a write torn by a
// power cut leaves the previous state readable). Host: a file (host/file_queue_storage.h); device:
// flash pages (a slot is one 16-byte program unit of two STM32L4 double words; each state block a
// page of appended records). The storage only moves bytes; the queue validates all it reads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/status.h"

namespace mote::seismic {

// Bytes of one state block (the queue's head, next sequence and counters with a checksum).
constexpr size_t kQueueStateBytes = 32;

class QueueStorage {
 public:
  // Number of event slots; the queue holds at most this many events. A power of two (the slot
  // of sequence s is s mod slot_count, continuous across the 2^24 sequence wrap).
  virtual uint32_t slot_count() const = 0;
  // Reads slot `slot` (< slot_count) into `out` (kEventPacketBytes). A never-written slot reads as
  // whatever the medium holds (erased flash: 0xFF), which the queue rejects as a packet.
  virtual Status read_slot(uint32_t slot, uint8_t* out) = 0;
  // Writes kEventPacketBytes bytes to slot `slot`; durable after the next sync().
  virtual Status write_slot(uint32_t slot, const uint8_t* packet) = 0;
  // Reads state block `block` (0 or 1) into `out` (kQueueStateBytes).
  virtual Status read_state(uint32_t block, uint8_t* out) = 0;
  // Replaces state block `block` (0 or 1); durable after the next sync().
  virtual Status write_state(uint32_t block, const uint8_t* state) = 0;
  // Makes every write so far durable (fdatasync on a host; a no-op where writes land at once).
  virtual Status sync() = 0;

 protected:
  ~QueueStorage() = default;  // not owned through this interface: no virtual destructor, no heap
};

}  // namespace mote::seismic
