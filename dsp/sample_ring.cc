#include "dsp/sample_ring.h"

namespace mote::dsp {

void SampleRing::push(const float sample[kComponents]) {
  if (storage_ == nullptr || capacity_ == 0) {
    ++pushed_;
    return;
  }
  float* slot = storage_ + static_cast<uint64_t>(next_) * kComponents;
  for (int c = 0; c < kComponents; ++c) slot[c] = sample[c];
  next_ = next_ + 1 == capacity_ ? 0 : next_ + 1;
  ++pushed_;
}

void SampleRing::reset() {
  next_ = 0;
  pushed_ = 0;
}

uint32_t SampleRing::size() const {
  const uint32_t cap = capacity();
  return pushed_ < cap ? static_cast<uint32_t>(pushed_) : cap;
}

const float* SampleRing::at_age(uint32_t age) const {
  if (age >= size()) return nullptr;
  const uint32_t slot = next_ > age ? next_ - 1 - age : capacity_ + next_ - 1 - age;
  return storage_ + static_cast<uint64_t>(slot) * kComponents;
}

Status SampleRing::copy_latest(uint32_t count, float* out, const ErrorReporter* reporter) const {
  if (out == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "sample ring: null output");
  }
  if (count > size()) {
    return report_error(reporter, Status::kInvalidArgument,
                        "sample ring: %u samples asked for, %u held (capacity %u)",
                        static_cast<unsigned>(count), static_cast<unsigned>(size()),
                        static_cast<unsigned>(capacity()));
  }
  for (uint32_t i = 0; i < count; ++i) {
    const float* sample = at_age(count - 1 - i);
    for (int c = 0; c < kComponents; ++c) out[i * kComponents + c] = sample[c];
  }
  return Status::kOk;
}

}  // namespace mote::dsp
