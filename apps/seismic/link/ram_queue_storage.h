// Queue storage in RAM, laid out as erased flash (0xFF) at start: for tests, and for a device
// that keeps events only while powered. Not persistent across a reset of the memory it lives in.
#pragma once

#include <cstdint>
#include <cstring>

#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/queue_storage.h"

namespace mote::seismic {

template <uint32_t kSlots>
class RamQueueStorage final : public QueueStorage {
 public:
  RamQueueStorage() {
    std::memset(slots_, 0xFF, sizeof(slots_));
    std::memset(state_, 0xFF, sizeof(state_));
  }

  uint32_t slot_count() const override { return kSlots; }
  Status read_slot(uint32_t slot, uint8_t* out) override {
    if (slot >= kSlots) return Status::kInvalidArgument;
    std::memcpy(out, slots_[slot], kEventPacketBytes);
    return Status::kOk;
  }
  Status write_slot(uint32_t slot, const uint8_t* packet) override {
    if (slot >= kSlots) return Status::kInvalidArgument;
    std::memcpy(slots_[slot], packet, kEventPacketBytes);
    ++slot_writes_;
    return Status::kOk;
  }
  Status read_state(uint32_t block, uint8_t* out) override {
    if (block > 1) return Status::kInvalidArgument;
    std::memcpy(out, state_[block], kQueueStateBytes);
    return Status::kOk;
  }
  Status write_state(uint32_t block, const uint8_t* state) override {
    if (block > 1) return Status::kInvalidArgument;
    std::memcpy(state_[block], state, kQueueStateBytes);
    ++state_writes_;
    return Status::kOk;
  }
  Status sync() override { return Status::kOk; }

  // Raw access for tests that corrupt records or count writes (flash wear).
  uint8_t* slot_bytes(uint32_t slot) { return slots_[slot]; }
  uint8_t* state_bytes(uint32_t block) { return state_[block]; }
  uint32_t slot_writes() const { return slot_writes_; }
  uint32_t state_writes() const { return state_writes_; }

 private:
  uint8_t slots_[kSlots][kEventPacketBytes];
  uint8_t state_[2][kQueueStateBytes];
  uint32_t slot_writes_ = 0;
  uint32_t state_writes_ = 0;
};

}  // namespace mote::seismic
