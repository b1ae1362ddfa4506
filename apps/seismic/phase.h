// The classes a seismic detector tells apart, in the order score sources write them.
#pragma once

#include <cstdint>

namespace mote::seismic {

enum class Phase : uint8_t {
  kNoise = 0,
  kP = 1,  // compressional wave: first arrival
  kS = 2,  // shear wave: later, usually stronger on the horizontals
};

constexpr int kNumPhases = 3;

// "noise", "P" or "S".
const char* phase_name(Phase phase);

}  // namespace mote::seismic
