// Second-order IIR sections ("biquads") and a cascade of them, in float32.
//
// Each section computes y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2) x in transposed
// direct form II: two state values per section, good numerical behaviour in floating point, and
// the same arithmetic in the same order on every target (dsp/ builds with -ffp-contract=off, so
// no compiler fuses a multiply and an add on one target but not on another).
#pragma once

#include <cstdint>

namespace mote::dsp {

struct BiquadCoefficients {
  float b0 = 1.0f;
  float b1 = 0.0f;
  float b2 = 0.0f;
  float a1 = 0.0f;
  float a2 = 0.0f;
};

// Most sections a cascade holds: an order-8 Butterworth band-pass.
constexpr int kMaxBiquadSections = 8;

// Up to kMaxBiquadSections sections run one after the other, with their state.
class BiquadCascade {
 public:
  // Copies `count` sections (at most kMaxBiquadSections; more are ignored and count() says so)
  // and clears the state.
  void set_sections(const BiquadCoefficients* sections, int count);
  int count() const { return count_; }
  const BiquadCoefficients& section(int i) const { return sections_[i]; }

  // Filters one sample.
  float step(float x);
  // Sets every state value to zero, as before the first sample.
  void reset();

 private:
  struct State {
    float s1 = 0.0f;
    float s2 = 0.0f;
  };
  BiquadCoefficients sections_[kMaxBiquadSections];
  State state_[kMaxBiquadSections];
  int count_ = 0;
};

}  // namespace mote::dsp
