#include "dsp/biquad.h"

namespace mote::dsp {

void BiquadCascade::set_sections(const BiquadCoefficients* sections, int count) {
  count_ = 0;
  if (sections == nullptr || count < 0) return;
  if (count > kMaxBiquadSections) count = kMaxBiquadSections;
  for (int i = 0; i < count; ++i) sections_[i] = sections[i];
  count_ = count;
  reset();
}

float BiquadCascade::step(float x) {
  for (int i = 0; i < count_; ++i) {
    const BiquadCoefficients& c = sections_[i];
    State& s = state_[i];
    const float y = c.b0 * x + s.s1;
    s.s1 = c.b1 * x - c.a1 * y + s.s2;
    s.s2 = c.b2 * x - c.a2 * y;
    x = y;
  }
  return x;
}

void BiquadCascade::reset() {
  for (State& s : state_) s = State{};
}

}  // namespace mote::dsp
