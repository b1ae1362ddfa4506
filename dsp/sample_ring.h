// A ring buffer of 3-component samples (E, N, Z) over storage the caller owns: the node keeps the
// last few seconds of filtered samples in it, and every hop a score source copies the newest
// window out in time order.
#pragma once

#include <cstdint>

#include "runtime/core/error_reporter.h"

namespace mote::dsp {

// Components per sample, in the order E, N, Z (index 2 is vertical), as the data sets store them.
constexpr int kComponents = 3;
constexpr int kVertical = 2;

class SampleRing {
 public:
  // `storage` holds `capacity` samples of kComponents floats each and must outlive the ring.
  SampleRing(float* storage, uint32_t capacity) : storage_(storage), capacity_(capacity) {}

  // Appends one sample, overwriting the oldest when full.
  void push(const float sample[kComponents]);
  // Empties the ring (the storage keeps its bytes; nothing reads them).
  void reset();

  uint32_t capacity() const { return storage_ == nullptr ? 0 : capacity_; }
  // Samples held: min(pushed since reset, capacity).
  uint32_t size() const;
  // Samples pushed since reset (the stream index of the next sample).
  uint64_t pushed() const { return pushed_; }

  // The sample `age` steps back (0 = newest); null when age >= size().
  const float* at_age(uint32_t age) const;

  // Copies the newest `count` samples, oldest first, as [count][kComponents] into `out`.
  Status copy_latest(uint32_t count, float* out, const ErrorReporter* reporter) const;

 private:
  float* storage_;
  uint32_t capacity_;
  uint32_t next_ = 0;  // slot the next sample goes to
  uint64_t pushed_ = 0;
};

// A ring with its storage inside, for static allocation: `static SampleRingWithStorage<400> ring;`
template <uint32_t kCapacity>
class SampleRingWithStorage : public SampleRing {
 public:
  SampleRingWithStorage() : SampleRing(storage_, kCapacity) {}
  SampleRingWithStorage(const SampleRingWithStorage&) = delete;
  SampleRingWithStorage& operator=(const SampleRingWithStorage&) = delete;

 private:
  float storage_[kCapacity * kComponents] = {};
};

}  // namespace mote::dsp
