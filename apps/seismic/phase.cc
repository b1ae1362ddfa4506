#include "apps/seismic/phase.h"

namespace mote::seismic {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::kNoise:
      return "noise";
    case Phase::kP:
      return "P";
    case Phase::kS:
      return "S";
  }
  return "unknown";
}

}  // namespace mote::seismic
