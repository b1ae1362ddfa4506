#include "apps/gateway/event_store.h"

#include <sqlite3.h>

#include <stdexcept>

namespace mote::gateway {
namespace {

using seismic::EventPacket;
using seismic::EventType;

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS events (
  node TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('P', 'S')),
  time_cs INTEGER NOT NULL,
  time_utc INTEGER NOT NULL,
  confidence REAL NOT NULL,
  amplitude INTEGER NOT NULL,
  saturated INTEGER NOT NULL,
  packet BLOB NOT NULL,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (node, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS node_counters (
  node TEXT PRIMARY KEY,
  duplicates INTEGER NOT NULL DEFAULT 0,
  conflicts INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS malformed (
  node TEXT NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_bytes BLOB,
  last_ms INTEGER,
  PRIMARY KEY (node, reason));
CREATE TABLE IF NOT EXISTS conflicts (
  node TEXT NOT NULL,
  seq INTEGER NOT NULL,
  packet BLOB NOT NULL,
  received_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS node_status (
  node TEXT PRIMARY KEY,
  online INTEGER NOT NULL,
  battery_mv INTEGER NOT NULL,
  queue_depth INTEGER NOT NULL,
  next_seq INTEGER NOT NULL,
  dropped INTEGER NOT NULL,
  uptime_s INTEGER NOT NULL,
  received_ms INTEGER NOT NULL);
)sql";

// One prepared statement, finalized on scope exit; errors become exceptions that quote SQLite.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("gateway database: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, double v) {
    check(sqlite3_bind_double(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, std::span<const uint8_t> v) {
    check(sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  // Returns true while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("gateway database: ") + sqlite3_errmsg(db_));
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  std::vector<uint8_t> blob(int col) const {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
    return std::vector<uint8_t>(p, p + sqlite3_column_bytes(stmt_, col));
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) {
      throw std::runtime_error(std::string("gateway database: ") + sqlite3_errmsg(db_));
    }
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

int64_t EventStore::unwrap_sequence(int64_t last, uint32_t wire) {
  const int64_t modulus = seismic::kSequenceModulus;
  wire &= seismic::kSequenceMask;
  if (last < 0) return wire;
  int64_t candidate = (last - (last % modulus)) + wire;
  if (candidate - last > modulus / 2) candidate -= modulus;
  if (last - candidate > modulus / 2) candidate += modulus;
  if (candidate < 0) candidate += modulus;
  return candidate;
}

EventStore::EventStore(const std::filesystem::path& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open gateway database " + path.string() + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec(kSchema);
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    throw std::runtime_error("cannot use " + path.string() + " as the gateway database (" +
                             e.what() + ")");
  }
}

EventStore::~EventStore() { sqlite3_close(db_); }

void EventStore::exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("gateway database: " + why);
  }
}

int64_t EventStore::last_sequence(const std::string& node) {
  const auto it = last_sequence_.find(node);
  if (it != last_sequence_.end()) return it->second;
  Statement q(db_, "SELECT MAX(seq) FROM events WHERE node = ?");
  q.bind(1, node);
  int64_t last = -1;
  if (q.step() && !q.is_null(0)) last = q.integer(0);
  last_sequence_[node] = last;
  return last;
}

StoreOutcome EventStore::add_event(const std::string& node, const EventPacket& decoded,
                                   std::span<const uint8_t> packet, int64_t received_ms) {
  const int64_t last = last_sequence(node);
  const int64_t seq = unwrap_sequence(last, decoded.sequence);
  Statement insert(db_,
                   "INSERT OR IGNORE INTO events (node, seq, type, time_cs, time_utc, confidence, "
                   "amplitude, saturated, packet, received_ms) VALUES (?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, node)
      .bind(2, seq)
      .bind(3, std::string(decoded.type == EventType::kS ? "S" : "P"))
      .bind(4, static_cast<int64_t>(decoded.time_cs))
      .bind(5, static_cast<int64_t>((decoded.flags & seismic::kFlagTimeUtc) != 0))
      .bind(6, static_cast<double>(decoded.confidence) / 255.0)
      .bind(7, static_cast<int64_t>(seismic::decode_amplitude(decoded.amplitude)))
      .bind(8, static_cast<int64_t>((decoded.flags & seismic::kFlagSaturated) != 0))
      .bind(9, packet)
      .bind(10, received_ms);
  insert.step();
  if (sqlite3_changes(db_) == 1) {
    if (seq > last) last_sequence_[node] = seq;
    return StoreOutcome::kStored;
  }
  Statement stored(db_, "SELECT packet FROM events WHERE node = ? AND seq = ?");
  stored.bind(1, node).bind(2, seq);
  const bool same =
      stored.step() && stored.blob(0) == std::vector<uint8_t>(packet.begin(), packet.end());
  if (!same) {
    Statement keep(db_, "INSERT INTO conflicts (node, seq, packet, received_ms) VALUES (?,?,?,?)");
    keep.bind(1, node).bind(2, seq).bind(3, packet).bind(4, received_ms);
    keep.step();
  }
  Statement count(db_, same ? "INSERT INTO node_counters (node, duplicates) VALUES (?, 1) "
                              "ON CONFLICT(node) DO UPDATE SET duplicates = duplicates + 1"
                            : "INSERT INTO node_counters (node, conflicts) VALUES (?, 1) "
                              "ON CONFLICT(node) DO UPDATE SET conflicts = conflicts + 1");
  count.bind(1, node);
  count.step();
  return same ? StoreOutcome::kDuplicate : StoreOutcome::kConflict;
}

void EventStore::add_malformed(const std::string& node, const std::string& reason,
                               std::span<const uint8_t> bytes, int64_t received_ms) {
  // Keep at most 64 bytes of the example: a flood of large garbage must not grow the database.
  const auto example = bytes.first(std::min<size_t>(bytes.size(), 64));
  Statement q(db_,
              "INSERT INTO malformed (node, reason, count, last_bytes, last_ms) VALUES (?,?,1,?,?) "
              "ON CONFLICT(node, reason) DO UPDATE SET count = count + 1, "
              "last_bytes = excluded.last_bytes, last_ms = excluded.last_ms");
  q.bind(1, node).bind(2, reason).bind(3, example).bind(4, received_ms);
  q.step();
}

void EventStore::set_status(const std::string& node, const seismic::StatusPacket& s,
                            int64_t received_ms) {
  Statement q(db_,
              "INSERT OR REPLACE INTO node_status (node, online, battery_mv, queue_depth, "
              "next_seq, dropped, uptime_s, received_ms) VALUES (?,?,?,?,?,?,?,?)");
  q.bind(1, node)
      .bind(2, static_cast<int64_t>(s.online))
      .bind(3, static_cast<int64_t>(s.battery_mv))
      .bind(4, static_cast<int64_t>(s.queue_depth))
      .bind(5, static_cast<int64_t>(s.next_sequence))
      .bind(6, static_cast<int64_t>(s.dropped))
      .bind(7, static_cast<int64_t>(s.uptime_s))
      .bind(8, received_ms);
  q.step();
}

std::vector<NodeReport> EventStore::report() const {
  std::map<std::string, NodeReport> nodes;
  {
    Statement q(db_, "SELECT node, COUNT(*), MIN(seq), MAX(seq) FROM events GROUP BY node");
    while (q.step()) {
      NodeReport& r = nodes[q.text(0)];
      r.received = static_cast<uint64_t>(q.integer(1));
      r.first_sequence = q.integer(2);
      r.last_sequence = q.integer(3);
      r.missing = static_cast<uint64_t>(r.last_sequence - r.first_sequence + 1) - r.received;
    }
  }
  {
    Statement q(db_, "SELECT node, duplicates, conflicts FROM node_counters");
    while (q.step()) {
      NodeReport& r = nodes[q.text(0)];
      r.duplicates = static_cast<uint64_t>(q.integer(1));
      r.conflicts = static_cast<uint64_t>(q.integer(2));
    }
  }
  {
    Statement q(db_, "SELECT node, reason, count FROM malformed");
    while (q.step()) {
      NodeReport& r = nodes[q.text(0)];
      r.malformed_by_reason[q.text(1)] = static_cast<uint64_t>(q.integer(2));
      r.malformed += static_cast<uint64_t>(q.integer(2));
    }
  }
  {
    Statement q(db_,
                "SELECT node, online, battery_mv, queue_depth, next_seq, dropped, uptime_s "
                "FROM node_status");
    while (q.step()) {
      NodeReport& r = nodes[q.text(0)];
      seismic::StatusPacket s;
      s.online = q.integer(1) != 0;
      s.battery_mv = static_cast<uint16_t>(q.integer(2));
      s.queue_depth = static_cast<uint16_t>(q.integer(3));
      s.next_sequence = static_cast<uint32_t>(q.integer(4));
      s.dropped = static_cast<uint16_t>(q.integer(5));
      s.uptime_s = static_cast<uint32_t>(q.integer(6));
      r.status = s;
    }
  }
  std::vector<NodeReport> out;
  for (auto& [node, r] : nodes) {
    r.node = node;
    if (r.received > 0 && r.missing > 0) {
      Statement q(db_,
                  "SELECT seq + 1, next - 1 FROM (SELECT seq, LEAD(seq) OVER (ORDER BY seq) AS "
                  "next FROM events WHERE node = ?) WHERE next > seq + 1 ORDER BY seq LIMIT 20");
      q.bind(1, node);
      while (q.step()) r.gaps.emplace_back(q.integer(0), q.integer(1));
    }
    if (r.status) {
      r.pending_at_node = r.status->queue_depth;
      if (r.last_sequence >= 0) {
        // The node holds [next - depth, next); what it let go of after the last received event
        // never arrived.
        const int64_t next = unwrap_sequence(r.last_sequence, r.status->next_sequence);
        const int64_t released_up_to = next - static_cast<int64_t>(r.status->queue_depth);
        if (released_up_to > r.last_sequence + 1) {
          r.unaccounted = static_cast<uint64_t>(released_up_to - r.last_sequence - 1);
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<StoredEvent> EventStore::events(const std::string& node) const {
  Statement q(db_, "SELECT seq, packet, received_ms FROM events WHERE node = ? ORDER BY seq");
  q.bind(1, node);
  std::vector<StoredEvent> out;
  while (q.step()) {
    StoredEvent e;
    e.node = node;
    e.sequence = q.integer(0);
    const std::vector<uint8_t> bytes = q.blob(1);
    if (seismic::decode_event_packet(bytes.data(), bytes.size(), &e.packet, nullptr, nullptr) !=
        Status::kOk) {
      throw std::runtime_error("gateway database " + path_.string() + ": stored event " + node +
                               "/" + std::to_string(e.sequence) + " no longer decodes");
    }
    e.received_ms = q.integer(2);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mote::gateway
