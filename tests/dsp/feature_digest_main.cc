// Prints the feature digest of this build: "windows=<hex> picks=<hex> count=<n>".
#include <cstdio>

#include "tests/dsp/feature_digest.h"

int main() {
  const mote::dsp::FeatureDigest d = mote::dsp::compute_feature_digest();
  if (!d.ok) {
    std::printf("feature digest: a call failed\n");
    return 1;
  }
  std::printf("windows=%016llx picks=%016llx count=%u\n",
              static_cast<unsigned long long>(d.windows), static_cast<unsigned long long>(d.picks),
              static_cast<unsigned>(d.pick_count));
  return 0;
}
