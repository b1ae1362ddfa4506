// The store-and-forward queue over RAM storage laid out as flash: order, acknowledgement,
// overflow, recovery after a restart (the queue object rebuilt over the same storage), torn and
// corrupt records, the 2^24 sequence wrap, and a randomized comparison with a reference model.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>

#include "apps/seismic/link/event_queue.h"
#include "apps/seismic/link/ram_queue_storage.h"

namespace mote::seismic {
namespace {

Event event_at(uint64_t t) {
  Event e;
  e.type = (t % 2) != 0 ? EventType::kS : EventType::kP;
  e.time_cs = 171077712300ull + t;
  e.confidence = 0.5f + static_cast<float>(t % 50) / 100.0f;
  e.amplitude = static_cast<float>(100 + t);
  return e;
}

// The time of the stored event `sequence`, read back through the queue.
uint64_t stored_time(EventQueue& q, uint32_t sequence) {
  uint8_t bytes[kEventPacketBytes];
  EXPECT_EQ(q.read(sequence, bytes), Status::kOk) << sequence;
  EventPacket p;
  EXPECT_EQ(decode_event_packet(bytes, sizeof(bytes), &p, nullptr, nullptr), Status::kOk);
  EXPECT_EQ(p.sequence, sequence);
  return p.time_cs;
}

std::unique_ptr<EventQueue> open_queue(QueueStorage& storage, uint32_t first_sequence = 0) {
  auto q = std::make_unique<EventQueue>(storage, EventQueue::Config{first_sequence}, nullptr);
  EXPECT_EQ(q->open(), Status::kOk);
  return q;
}

TEST(EventQueue, KeepsOrderAndRemovesOnlyAcknowledged) {
  RamQueueStorage<8> storage;
  auto q = open_queue(storage);
  for (uint32_t i = 0; i < 5; ++i) {
    uint32_t seq = 99;
    ASSERT_EQ(q->push(event_at(i), &seq), Status::kOk);
    EXPECT_EQ(seq, i);
  }
  EXPECT_EQ(q->size(), 5u);
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(stored_time(*q, i), event_at(i).time_cs);
  q->acknowledge(0);
  q->acknowledge(1);
  EXPECT_EQ(q->head_sequence(), 2u);
  EXPECT_EQ(q->size(), 3u);
  EXPECT_FALSE(q->holds(1));
  EXPECT_TRUE(q->holds(2));
  uint8_t bytes[kEventPacketBytes];
  EXPECT_EQ(q->read(1, bytes), Status::kInvalidArgument);
  q->acknowledge(1);  // again: ignored
  q->acknowledge(7);  // never pushed: ignored
  EXPECT_EQ(q->head_sequence(), 2u);
}

TEST(EventQueue, OutOfOrderAcknowledgementsWaitForTheHead) {
  RamQueueStorage<8> storage;
  auto q = open_queue(storage);
  for (uint32_t i = 0; i < 4; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
  q->acknowledge(2);
  q->acknowledge(1);
  EXPECT_EQ(q->head_sequence(), 0u);
  q->acknowledge(0);
  EXPECT_EQ(q->head_sequence(), 3u);
}

TEST(EventQueue, OverflowDropsTheOldestAndCountsIt) {
  RamQueueStorage<8> storage;
  auto q = open_queue(storage);
  for (uint32_t i = 0; i < 11; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
  EXPECT_EQ(q->size(), 8u);
  EXPECT_EQ(q->counters().dropped, 3u);
  EXPECT_EQ(q->head_sequence(), 3u);
  EXPECT_EQ(q->next_sequence(), 11u);
  for (uint32_t i = 3; i < 11; ++i) EXPECT_EQ(stored_time(*q, i), event_at(i).time_cs);
  // The drops are on record: a restart sees them too.
  auto again = open_queue(storage);
  EXPECT_EQ(again->counters().dropped, 3u);
  EXPECT_EQ(again->head_sequence(), 3u);
  EXPECT_EQ(again->next_sequence(), 11u);
}

TEST(EventQueue, SurvivesARestart) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    for (uint32_t i = 0; i < 6; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
    q->acknowledge(0);
    q->acknowledge(1);
    ASSERT_EQ(q->commit(), Status::kOk);
  }
  auto q = open_queue(storage);
  EXPECT_EQ(q->head_sequence(), 2u);
  EXPECT_EQ(q->next_sequence(), 6u);
  for (uint32_t i = 2; i < 6; ++i) EXPECT_EQ(stored_time(*q, i), event_at(i).time_cs);
  uint32_t seq = 0;
  ASSERT_EQ(q->push(event_at(6), &seq), Status::kOk);
  EXPECT_EQ(seq, 6u);
}

TEST(EventQueue, UncommittedAcknowledgementsAreResentNotLost) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    for (uint32_t i = 0; i < 4; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
    q->acknowledge(0);
    q->acknowledge(1);
    // no commit: power lost
  }
  auto q = open_queue(storage);
  EXPECT_EQ(q->head_sequence(), 0u);
  EXPECT_EQ(q->size(), 4u);
}

TEST(EventQueue, PushesWriteNoStateUntilTheHeadMoves) {
  // Flash wear: a plain append costs one slot write; acknowledgements one state write per commit.
  RamQueueStorage<64> storage;
  auto q = open_queue(storage);
  const uint32_t initial = storage.state_writes();
  for (uint32_t i = 0; i < 40; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
  EXPECT_EQ(storage.state_writes(), initial);
  EXPECT_EQ(storage.slot_writes(), 40u);
  for (uint32_t i = 0; i < 40; ++i) q->acknowledge(i);
  ASSERT_EQ(q->commit(), Status::kOk);
  ASSERT_EQ(q->commit(), Status::kOk);  // nothing new: no write
  EXPECT_EQ(storage.state_writes(), initial + 1);
}

TEST(EventQueue, ATornStateWriteFallsBackToThePreviousState) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    for (uint32_t i = 0; i < 6; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
    q->acknowledge(0);
    ASSERT_EQ(q->commit(), Status::kOk);  // head 1
    q->acknowledge(1);
    q->acknowledge(2);
    ASSERT_EQ(q->commit(), Status::kOk);  // head 3, in the other block
  }
  // Tear the newest block (head 3): the older one (head 1) is used; 1 and 2 are sent again.
  for (uint32_t block = 0; block < 2; ++block) {
    RamQueueStorage<16> copy = storage;
    uint8_t* state = copy.state_bytes(block);
    const uint32_t head = state[8];
    if (head != 3) continue;
    state[10] ^= 0x40;
    auto q = open_queue(copy);
    EXPECT_EQ(q->head_sequence(), 1u);
    EXPECT_EQ(q->next_sequence(), 6u);
  }
}

TEST(EventQueue, BothStatesUnreadableIsRefusedLoudly) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    ASSERT_EQ(q->push(event_at(0), nullptr), Status::kOk);
    q->acknowledge(0);
    ASSERT_EQ(q->commit(), Status::kOk);
  }
  storage.state_bytes(0)[5] ^= 1;
  storage.state_bytes(1)[5] ^= 1;
  std::string message;
  ErrorReporter reporter{[](void* u, const char* m) { *static_cast<std::string*>(u) = m; },
                         &message};
  EventQueue q(storage, EventQueue::Config{}, &reporter);
  EXPECT_EQ(q.open(), Status::kMalformedData);
  EXPECT_NE(message.find("both copies"), std::string::npos) << message;
}

TEST(EventQueue, ACorruptRecordIsSkippedAndCounted) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    for (uint32_t i = 0; i < 5; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
  }
  storage.slot_bytes(2)[7] ^= 0x10;  // bit rot in event 2
  auto q = open_queue(storage);
  EXPECT_EQ(q->next_sequence(), 5u);  // events after the bad one are still found
  uint8_t bytes[kEventPacketBytes];
  EXPECT_EQ(q->read(2, bytes), Status::kMalformedData);
  EXPECT_EQ(q->read(2, bytes), Status::kMalformedData);
  EXPECT_EQ(q->counters().corrupt, 1u);  // counted once
  for (uint32_t i : {0u, 1u, 3u, 4u}) {
    EXPECT_EQ(stored_time(*q, i), event_at(i).time_cs);
    q->acknowledge(i);
  }
  EXPECT_EQ(q->size(), 0u);
  ASSERT_EQ(q->commit(), Status::kOk);
  EXPECT_EQ(open_queue(storage)->counters().corrupt, 1u);
}

TEST(EventQueue, ATornLastPushIsNotAnEvent) {
  RamQueueStorage<16> storage;
  {
    auto q = open_queue(storage);
    for (uint32_t i = 0; i < 3; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
  }
  storage.slot_bytes(2)[14] ^= 0xFF;  // power cut while writing event 2
  auto q = open_queue(storage);
  EXPECT_EQ(q->next_sequence(), 2u);
  uint32_t seq = 0;
  ASSERT_EQ(q->push(event_at(9), &seq), Status::kOk);
  EXPECT_EQ(seq, 2u);  // the number is reused: event 2 was never reported as stored
}

TEST(EventQueue, RefusesCapacitiesThatAreNotPowersOfTwo) {
  RamQueueStorage<12> storage;
  EventQueue q(storage, EventQueue::Config{}, nullptr);
  EXPECT_EQ(q.open(), Status::kInvalidArgument);
  EXPECT_EQ(q.push(event_at(0), nullptr), Status::kInvalidArgument);
}

TEST(EventQueue, RefusesStorageFormattedForAnotherCapacity) {
  RamQueueStorage<16> storage;
  open_queue(storage);
  RamQueueStorage<32> bigger;
  std::memcpy(bigger.state_bytes(0), storage.state_bytes(0), kQueueStateBytes);
  EventQueue q(bigger, EventQueue::Config{}, nullptr);
  EXPECT_EQ(q.open(), Status::kInvalidArgument);
}

TEST(EventQueue, SequencesWrapAt24Bits) {
  RamQueueStorage<8> storage;
  {
    auto q = open_queue(storage, kSequenceModulus - 3);
    for (uint32_t i = 0; i < 6; ++i) ASSERT_EQ(q->push(event_at(i), nullptr), Status::kOk);
    EXPECT_EQ(q->next_sequence(), 3u);
    EXPECT_EQ(q->size(), 6u);
  }
  auto q = open_queue(storage);
  EXPECT_EQ(q->head_sequence(), kSequenceModulus - 3);
  EXPECT_EQ(q->next_sequence(), 3u);
  uint32_t expected_time = 0;
  for (uint32_t s = kSequenceModulus - 3, n = 0; n < 6; ++n, s = (s + 1) & kSequenceMask) {
    EXPECT_EQ(stored_time(*q, s), event_at(expected_time++).time_cs);
    q->acknowledge(s);
  }
  EXPECT_EQ(q->size(), 0u);
}

// Random pushes, acknowledgements, commits and restarts against a reference deque: the queue
// must always hold exactly the reference's events, in order, and count every drop.
TEST(EventQueue, MatchesAReferenceModelUnderRandomOperations) {
  std::mt19937 rng(2024);
  RamQueueStorage<16> storage;
  auto q = open_queue(storage);
  std::deque<std::pair<uint32_t, uint64_t>> model;  // (sequence, time) not yet acknowledged
  uint32_t next = 0;
  uint32_t dropped = 0;
  uint64_t t = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint32_t op = rng() % 100;
    if (op < 50) {
      uint32_t seq = 0;
      ASSERT_EQ(q->push(event_at(t), &seq), Status::kOk);
      ASSERT_EQ(seq, next);
      if (model.size() == 16) {
        model.pop_front();
        ++dropped;
      }
      model.emplace_back(seq, event_at(t).time_cs);
      next = (next + 1) & kSequenceMask;
      ++t;
    } else if (op < 85) {
      if (!model.empty()) {
        q->acknowledge(model.front().first);
        model.pop_front();
      }
    } else if (op < 95) {
      ASSERT_EQ(q->commit(), Status::kOk);
    } else {
      // Restart: the queue comes back with the committed head, so acknowledged but uncommitted
      // events reappear (at-least-once) — all of them still in storage, none lost.
      ASSERT_EQ(q->commit(), Status::kOk);
      q = open_queue(storage);
    }
    ASSERT_EQ(q->size(), model.size()) << "step " << step;
    ASSERT_EQ(q->counters().dropped, dropped);
    if (!model.empty()) {
      ASSERT_EQ(q->head_sequence(), model.front().first);
      ASSERT_EQ(stored_time(*q, model.front().first), model.front().second);
      ASSERT_EQ(stored_time(*q, model.back().first), model.back().second);
    }
  }
}

}  // namespace
}  // namespace mote::seismic
