// The gateway's store: every event once per (node, sequence), in SQLite, with per-node counts of
// duplicates, conflicts and malformed packets and the node's latest status, so that a report can
// say for each node what arrived, what came twice, what was refused and what never came.
//
// Sequence numbers are 24 bits on the wire; the store keeps them unwrapped (64-bit, continuing
// past 2^24), placing each received number nearest to the node's highest so far.
//
// Schema (one file, WAL journal):
//   events(node, seq, type 'P'|'S', time_cs, time_utc, confidence, amplitude, saturated, packet,
//          received_ms)                       primary key (node, seq)
//   node_counters(node, duplicates, conflicts) primary key node
//   malformed(node, reason, count, last_bytes, last_ms)   primary key (node, reason)
//   conflicts(node, seq, packet, received_ms)  same (node, seq), different bytes: kept aside
//   node_status(node, online, battery_mv, queue_depth, next_seq, dropped, uptime_s, received_ms)
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/status_packet.h"

struct sqlite3;

namespace mote::gateway {

enum class StoreOutcome {
  kStored,     // a new (node, seq)
  kDuplicate,  // seen before with the same bytes: dropped and counted
  kConflict,   // seen before with different bytes (the node reused a number): kept aside, counted
};

struct StoredEvent {
  std::string node;
  int64_t sequence = 0;  // unwrapped
  seismic::EventPacket packet;
  int64_t received_ms = 0;
};

struct NodeReport {
  std::string node;
  uint64_t received = 0;    // distinct events stored
  uint64_t duplicates = 0;  // repeated deliveries dropped
  uint64_t conflicts = 0;   // reused sequence numbers with different contents
  uint64_t malformed = 0;   // packets refused, all reasons
  std::map<std::string, uint64_t> malformed_by_reason;
  int64_t first_sequence = -1;  // unwrapped, -1 when nothing was received
  int64_t last_sequence = -1;
  uint64_t missing = 0;  // numbers between first and last never received: lost
  std::vector<std::pair<int64_t, int64_t>> gaps;  // first 20 missing ranges, inclusive
  std::optional<seismic::StatusPacket> status;    // latest status
  // Events still in the node's queue, from its latest status.
  uint64_t pending_at_node = 0;
  // Sequence numbers after the last received one that had left the node's queue by its latest
  // status (acknowledged by the broker) yet never arrived: in the broker still, or dropped there
  // (Mosquitto drops QoS 1 messages beyond its queue limits). Losses `missing` cannot see, at the
  // tail. Counted only against a status newer than those events.
  uint64_t unaccounted = 0;
};

class EventStore {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory one). Throws
  // std::runtime_error naming the file on failure.
  explicit EventStore(const std::filesystem::path& path);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Stores a decoded, valid event from `node` whose wire bytes are `packet`.
  StoreOutcome add_event(const std::string& node, const seismic::EventPacket& decoded,
                         std::span<const uint8_t> packet, int64_t received_ms);
  // Counts a refused packet from `node` under `reason`, keeping its bytes as the latest example.
  void add_malformed(const std::string& node, const std::string& reason,
                     std::span<const uint8_t> bytes, int64_t received_ms);
  // Replaces the latest status of `node`.
  void set_status(const std::string& node, const seismic::StatusPacket& status,
                  int64_t received_ms);

  // One report per node that sent anything, ordered by node id.
  std::vector<NodeReport> report() const;
  // Every stored event of `node` in sequence order.
  std::vector<StoredEvent> events(const std::string& node) const;

  // Returns the unwrapped sequence nearest to `last` (-1: none yet) whose low 24 bits are `wire`.
  static int64_t unwrap_sequence(int64_t last, uint32_t wire);

 private:
  void exec(const char* sql) const;
  int64_t last_sequence(const std::string& node);

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::map<std::string, int64_t> last_sequence_;  // cache of MAX(seq) per node
};

}  // namespace mote::gateway
