// The gateway's store: duplicates, conflicts, malformed counts, gaps and sequence unwrapping.
#include <gtest/gtest.h>

#include <vector>

#include "apps/gateway/event_store.h"

namespace mote::gateway {
namespace {

using seismic::EventPacket;

std::vector<uint8_t> wire(const EventPacket& p) {
  std::vector<uint8_t> b(seismic::kEventPacketBytes);
  EXPECT_EQ(seismic::encode_event_packet(p, b.data(), nullptr), Status::kOk);
  return b;
}

EventPacket packet(uint32_t sequence, uint64_t time_cs = 1000) {
  EventPacket p;
  p.flags = seismic::kFlagTimeUtc;
  p.sequence = sequence & seismic::kSequenceMask;
  p.time_cs = time_cs;
  p.confidence = 200;
  p.amplitude = 77;
  return p;
}

StoreOutcome add(EventStore& store, const std::string& node, const EventPacket& p) {
  return store.add_event(node, p, wire(p), 0);
}

TEST(EventStore, UnwrapsSequencesNearestToTheLast) {
  const int64_t m = seismic::kSequenceModulus;
  EXPECT_EQ(EventStore::unwrap_sequence(-1, 5), 5);
  EXPECT_EQ(EventStore::unwrap_sequence(10, 11), 11);
  EXPECT_EQ(EventStore::unwrap_sequence(10, 3), 3);             // a late one
  EXPECT_EQ(EventStore::unwrap_sequence(m - 2, 1), m + 1);      // across the wrap
  EXPECT_EQ(EventStore::unwrap_sequence(m + 1, m - 2), m - 2);  // late, before the wrap
  EXPECT_EQ(EventStore::unwrap_sequence(3 * m + 7, 9), 3 * m + 9);
  EXPECT_EQ(EventStore::unwrap_sequence(5, 4), 4);
}

TEST(EventStore, StoresOnceAndCountsDuplicatesAndConflicts) {
  EventStore store(":memory:");
  EXPECT_EQ(add(store, "a", packet(0)), StoreOutcome::kStored);
  EXPECT_EQ(add(store, "a", packet(1)), StoreOutcome::kStored);
  EXPECT_EQ(add(store, "a", packet(1)), StoreOutcome::kDuplicate);
  EXPECT_EQ(add(store, "a", packet(1, 999)), StoreOutcome::kConflict);
  EXPECT_EQ(add(store, "b", packet(1)), StoreOutcome::kStored);  // another node's 1
  const auto report = store.report();
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].node, "a");
  EXPECT_EQ(report[0].received, 2u);
  EXPECT_EQ(report[0].duplicates, 1u);
  EXPECT_EQ(report[0].conflicts, 1u);
  EXPECT_EQ(report[1].received, 1u);
  // The conflicting copy did not replace the stored one.
  const auto events = store.events("a");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].packet.time_cs, 1000u);
}

TEST(EventStore, ReportsGapsAsLost) {
  EventStore store(":memory:");
  for (uint32_t s : {3u, 4u, 6u, 10u, 11u, 12u}) add(store, "n", packet(s));
  const auto r = store.report().at(0);
  EXPECT_EQ(r.first_sequence, 3);
  EXPECT_EQ(r.last_sequence, 12);
  EXPECT_EQ(r.received, 6u);
  EXPECT_EQ(r.missing, 4u);  // 5, 7, 8, 9
  ASSERT_EQ(r.gaps.size(), 2u);
  EXPECT_EQ(r.gaps[0], std::make_pair(int64_t{5}, int64_t{5}));
  EXPECT_EQ(r.gaps[1], std::make_pair(int64_t{7}, int64_t{9}));
}

TEST(EventStore, KeepsOrderAcrossTheSequenceWrap) {
  EventStore store(":memory:");
  const uint32_t m = seismic::kSequenceModulus;
  for (uint32_t s = m - 3; s != 3; s = (s + 1) & seismic::kSequenceMask) add(store, "w", packet(s));
  const auto r = store.report().at(0);
  EXPECT_EQ(r.received, 6u);
  EXPECT_EQ(r.missing, 0u);
  EXPECT_EQ(r.first_sequence, int64_t{m} - 3);
  EXPECT_EQ(r.last_sequence, int64_t{m} + 2);
}

TEST(EventStore, CountsMalformedByReasonAndKeepsStatus) {
  EventStore store(":memory:");
  const std::vector<uint8_t> junk(1000, 0xAB);
  store.add_malformed("n", "bad_checksum", junk, 1);
  store.add_malformed("n", "bad_checksum", junk, 2);
  store.add_malformed("n", "wrong_length", junk, 3);
  seismic::StatusPacket s;
  s.next_sequence = 20;
  s.queue_depth = 4;
  store.set_status("n", s, 4);
  add(store, "n", packet(10));
  const auto r = store.report().at(0);
  EXPECT_EQ(r.malformed, 3u);
  EXPECT_EQ(r.malformed_by_reason.at("bad_checksum"), 2u);
  EXPECT_EQ(r.malformed_by_reason.at("wrong_length"), 1u);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->queue_depth, 4);
  EXPECT_EQ(r.pending_at_node, 4u);  // the node still holds 16..19
  EXPECT_EQ(r.unaccounted, 5u);      // 11..15 left the node and never came
}

TEST(EventStore, SurvivesReopening) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mote_store_test_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    EventStore store(path);
    add(store, "n", packet(0));
    add(store, "n", packet(1));
  }
  {
    EventStore store(path);
    EXPECT_EQ(add(store, "n", packet(1)), StoreOutcome::kDuplicate);  // deduplication persists
    EXPECT_EQ(store.report().at(0).received, 2u);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST(EventStore, RefusesAFileThatIsNotADatabase) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mote_store_bad_" + std::to_string(::getpid()) + ".db");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("this is not sqlite, just text long enough to have a header...........", f);
    std::fclose(f);
  }
  EXPECT_THROW(EventStore store(path), std::runtime_error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mote::gateway
