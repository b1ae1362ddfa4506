#include "apps/seismic/link/host/file_queue_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/little_endian.h"

namespace mote::seismic {
namespace {

constexpr char kMagic[16] = {'M', 'O', 'T', 'E', '-', 'E', 'V', 'E',
                             'N', 'T', '-', 'Q', 'U', 'E', 'U', 'E'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint64_t kHeaderBytes = 64;

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

bool read_all(int fd, uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

std::vector<uint8_t> header_bytes(uint32_t slot_count) {
  std::vector<uint8_t> h(kHeaderBytes, 0);
  std::memcpy(h.data(), kMagic, sizeof(kMagic));
  put_le(h.data() + 16, kFormatVersion, 4);
  put_le(h.data() + 20, kEventPacketBytes, 4);
  put_le(h.data() + 24, slot_count, 4);
  return h;
}

// Writes a fresh queue file beside `path` and renames it into place, so that a crash during
// creation never leaves a half-formatted queue under the real name.
void create_file(const std::filesystem::path& path, uint32_t slot_count) {
  const std::filesystem::path tmp = path.string() + ".new";
  const int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot create queue file " + tmp.string() + ": " + errno_text());
  }
  std::vector<uint8_t> bytes = header_bytes(slot_count);
  bytes.resize(FileQueueStorage::slot_offset(slot_count), 0xFF);
  const bool ok = write_all(fd, bytes.data(), bytes.size(), 0) && ::fsync(fd) == 0;
  const std::string error = errno_text();
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write queue file " + tmp.string() + ": " + error);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " +
                             ec.message());
  }
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace

uint64_t FileQueueStorage::state_offset(uint32_t block) {
  return kHeaderBytes + uint64_t{block} * kQueueStateBytes;
}

uint64_t FileQueueStorage::slot_offset(uint32_t slot) {
  return kHeaderBytes + 2 * kQueueStateBytes + uint64_t{slot} * kEventPacketBytes;
}

FileQueueStorage::FileQueueStorage(const std::filesystem::path& path, uint32_t slot_count,
                                   const ErrorReporter* reporter)
    : path_(path), slot_count_(slot_count), reporter_(reporter) {
  if (slot_count == 0) throw std::invalid_argument("queue file needs at least one slot");
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) create_file(path_, slot_count_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open queue file " + path_.string() + ": " + errno_text());
  }
  std::vector<uint8_t> header(kHeaderBytes);
  const uint64_t size = std::filesystem::file_size(path_, ec);
  if (ec || !read_all(fd_, header.data(), header.size(), 0) ||
      std::memcmp(header.data(), kMagic, sizeof(kMagic)) != 0) {
    ::close(fd_);
    throw std::runtime_error(path_.string() +
                             " is not a mote event queue file (no MOTE-EVENT-QUEUE header)");
  }
  const auto version = get_le(header.data() + 16, 4);
  const auto slot_bytes = get_le(header.data() + 20, 4);
  const auto stored_slots = static_cast<uint32_t>(get_le(header.data() + 24, 4));
  std::string problem;
  if (version != kFormatVersion || slot_bytes != kEventPacketBytes) {
    problem = "format version " + std::to_string(version) + " with " + std::to_string(slot_bytes) +
              "-byte slots, this build reads version " + std::to_string(kFormatVersion) + " with " +
              std::to_string(kEventPacketBytes);
  } else if (stored_slots != slot_count_) {
    problem = "holds " + std::to_string(stored_slots) + " slots, opened for " +
              std::to_string(slot_count_) + ": use the same capacity or a new file";
  } else if (size < slot_offset(slot_count_)) {
    problem = "is truncated (" + std::to_string(size) + " bytes, expected " +
              std::to_string(slot_offset(slot_count_)) + ")";
  }
  if (!problem.empty()) {
    ::close(fd_);
    throw std::runtime_error("queue file " + path_.string() + " " + problem);
  }
}

FileQueueStorage::~FileQueueStorage() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileQueueStorage::read_at(uint64_t offset, uint8_t* out, size_t size, const char* what) {
  if (read_all(fd_, out, size, offset)) return Status::kOk;
  return report_error(reporter_, Status::kIoError, "cannot read %s of %s: %s", what, path_.c_str(),
                      errno_text().c_str());
}

Status FileQueueStorage::write_at(uint64_t offset, const uint8_t* in, size_t size,
                                  const char* what) {
  if (write_all(fd_, in, size, offset)) return Status::kOk;
  return report_error(reporter_, Status::kIoError, "cannot write %s of %s: %s", what, path_.c_str(),
                      errno_text().c_str());
}

Status FileQueueStorage::read_slot(uint32_t slot, uint8_t* out) {
  if (slot >= slot_count_) return Status::kInvalidArgument;
  return read_at(slot_offset(slot), out, kEventPacketBytes, "a slot");
}

Status FileQueueStorage::write_slot(uint32_t slot, const uint8_t* packet) {
  if (slot >= slot_count_) return Status::kInvalidArgument;
  return write_at(slot_offset(slot), packet, kEventPacketBytes, "a slot");
}

Status FileQueueStorage::read_state(uint32_t block, uint8_t* out) {
  if (block > 1) return Status::kInvalidArgument;
  return read_at(state_offset(block), out, kQueueStateBytes, "the state");
}

Status FileQueueStorage::write_state(uint32_t block, const uint8_t* state) {
  if (block > 1) return Status::kInvalidArgument;
  return write_at(state_offset(block), state, kQueueStateBytes, "the state");
}

Status FileQueueStorage::sync() {
  if (!sync_enabled_ || ::fdatasync(fd_) == 0) return Status::kOk;
  return report_error(reporter_, Status::kIoError, "cannot sync %s: %s", path_.c_str(),
                      errno_text().c_str());
}

}  // namespace mote::seismic
