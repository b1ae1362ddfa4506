// Queue storage in one file, for the node running on a host: it survives a restart of the
// process, and a power cut during a write loses at most the event being written.
//
// Why a plain file and not SQLite: the queue's records are fixed-size packets that carry their own
// checksum, written in place in a ring, with a double-buffered checksummed state — the same layout
// the device keeps in flash pages, so the host exercises the device's recovery logic (EventQueue)
// rather than a database's. SQLite would add a journal, a B-tree and a second recovery path that
// no device has. (The gateway, which queries and deduplicates, does use SQLite.)
//
// Layout: a 64-byte header (magic "MOTE-EVENT-QUEUE", format version, slot bytes, slot count),
// two 32-byte state blocks, then slot_count slots of 15 bytes. A new file is filled with 0xFF (as
// erased flash) and made durable (written beside, fsynced, renamed) before use.
#pragma once

#include <cstdint>
#include <filesystem>

#include "apps/seismic/link/queue_storage.h"
#include "runtime/core/error_reporter.h"

namespace mote::seismic {

class FileQueueStorage final : public QueueStorage {
 public:
  // Opens `path`, creating it for `slot_count` slots if it does not exist. Throws
  // std::runtime_error naming the file when it cannot be created or read, is not a queue file, or
  // holds a different slot count. Write errors later are reported through `reporter`.
  FileQueueStorage(const std::filesystem::path& path, uint32_t slot_count,
                   const ErrorReporter* reporter = nullptr);
  ~FileQueueStorage();
  FileQueueStorage(const FileQueueStorage&) = delete;
  FileQueueStorage& operator=(const FileQueueStorage&) = delete;

  uint32_t slot_count() const override { return slot_count_; }
  Status read_slot(uint32_t slot, uint8_t* out) override;
  Status write_slot(uint32_t slot, const uint8_t* packet) override;
  Status read_state(uint32_t block, uint8_t* out) override;
  Status write_state(uint32_t block, const uint8_t* state) override;
  Status sync() override;

  // Turns fdatasync off (tests that simulate restarts do not need the disk's durability).
  void set_sync_enabled(bool enabled) { sync_enabled_ = enabled; }
  const std::filesystem::path& path() const { return path_; }

  // Byte offset of slot `slot` in the file (for tests that corrupt records).
  static uint64_t slot_offset(uint32_t slot);
  // Byte offset of state block `block`.
  static uint64_t state_offset(uint32_t block);

 private:
  Status read_at(uint64_t offset, uint8_t* out, size_t size, const char* what);
  Status write_at(uint64_t offset, const uint8_t* in, size_t size, const char* what);

  std::filesystem::path path_;
  uint32_t slot_count_;
  const ErrorReporter* reporter_;
  int fd_ = -1;
  bool sync_enabled_ = true;
};

}  // namespace mote::seismic
