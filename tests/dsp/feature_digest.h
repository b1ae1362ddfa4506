// A digest of everything the node's detection path computes on a fixed synthetic stream: the
// normalised model window at every hop and the STA/LTA detector's picks. Portable C++17 without
// heap, exceptions or iostream, so that the same function can run in every build of dsp/ and
// apps/seismic (the release host build, an -O0 build, a Cortex-M image) and their digests can be
// compared: equal digests mean the builds compute the same bits.
#pragma once

#include <cstdint>

namespace mote::dsp {

struct FeatureDigest {
  uint64_t windows = 0;  // FNV-1a over the bytes of every normalised window
  uint64_t picks = 0;    // FNV-1a over the STA/LTA picks (time bits and confidence bits)
  uint32_t pick_count = 0;
  bool ok = false;  // every call returned kOk
};

// Streams 60 s of a deterministic 3-component signal (noise, then two arrivals) through the
// node's path and digests the results.
FeatureDigest compute_feature_digest();

}  // namespace mote::dsp
