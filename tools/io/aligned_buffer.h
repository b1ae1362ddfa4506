// A heap byte buffer with 16-byte alignment, as the runtime requires of model data and arenas.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>

namespace mote::tools {

class AlignedBuffer {
 public:
  static constexpr std::size_t kAlignment = 16;

  AlignedBuffer() = default;
  // A zero-filled buffer of `size` bytes.
  explicit AlignedBuffer(std::size_t size)
      : data_(static_cast<std::uint8_t*>(
            ::operator new (size == 0 ? 1 : size, std::align_val_t{kAlignment}))),
        size_(size) {
    std::memset(data_.get(), 0, size == 0 ? 1 : size);
  }
  // A copy of `bytes`.
  explicit AlignedBuffer(std::span<const std::uint8_t> bytes) : AlignedBuffer(bytes.size()) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }

  std::uint8_t* data() { return data_.get(); }
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> bytes() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { ::operator delete (p, std::align_val_t{kAlignment}); }
  };
  std::unique_ptr<std::uint8_t, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace mote::tools
