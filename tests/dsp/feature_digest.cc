#include "tests/dsp/feature_digest.h"

#include "apps/seismic/detector.h"
#include "apps/seismic/sta_lta_source.h"
#include "apps/seismic/stalta_baseline.h"
#include "dsp/feature_extractor.h"
#include "dsp/sample_ring.h"
#include "dsp/window_normalize.h"

namespace mote::dsp {
namespace {

constexpr uint32_t kWindow = 400;
constexpr uint32_t kHop = 10;
constexpr uint32_t kSamples = 6000;

void fnv(uint64_t* h, const void* data, uint32_t bytes) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (uint32_t i = 0; i < bytes; ++i) {
    *h ^= p[i];
    *h *= 1099511628211ull;
  }
}

// Sample t of component c: integer counts (as a digitiser gives) from an LCG, with an offset,
// and two "arrivals" that raise the amplitude.
float synthetic(uint32_t* state, uint32_t t, int c) {
  *state = *state * 1664525u + 1013904223u;
  const int32_t noise = static_cast<int32_t>(*state >> 22) - 512;
  int32_t gain = 1;
  if (t >= 2500 && t < 3200) gain = 12;
  if (t >= 4400 && t < 5200) gain = 25;
  return static_cast<float>(2000 * (c + 1) + gain * noise);
}

SampleRingWithStorage<kWindow> window_ring;
SampleRingWithStorage<kHop> detector_ring;
float window[kWindow * kComponents];

}  // namespace

FeatureDigest compute_feature_digest() {
  FeatureDigest d;
  d.windows = d.picks = 1469598103934665603ull;
  FeatureExtractor extractor;
  if (extractor.init(FeatureConfig{}, nullptr) != Status::kOk) return d;
  seismic::StaLtaSource source;
  if (source.init(seismic::stalta_config(), nullptr) != Status::kOk) return d;
  seismic::Detector detector(&detector_ring, &source);
  if (detector.init(seismic::stalta_detector_config(), nullptr) != Status::kOk) return d;
  window_ring.reset();
  seismic::Pick picks[2 * kHop];
  uint32_t state = 1;
  for (uint32_t t = 0; t < kSamples; ++t) {
    float raw[kComponents];
    for (int c = 0; c < kComponents; ++c) raw[c] = synthetic(&state, t, c);
    float filtered[kComponents];
    extractor.push(raw, filtered);
    window_ring.push(filtered);
    uint32_t count = 0;
    if (detector.push(raw, picks, 2 * kHop, &count) != Status::kOk) return d;
    for (uint32_t i = 0; i < count; ++i) {
      fnv(&d.picks, &picks[i].sample, sizeof(picks[i].sample));
      fnv(&d.picks, &picks[i].confidence, sizeof(picks[i].confidence));
    }
    d.pick_count += count;
    if ((t + 1) % kHop != 0 || window_ring.size() < kWindow) continue;
    if (window_ring.copy_latest(kWindow, window, nullptr) != Status::kOk) return d;
    if (normalize_window(window, kWindow, kNormalizeEpsilon, window, nullptr) != Status::kOk) {
      return d;
    }
    fnv(&d.windows, window, sizeof(window));
  }
  d.ok = true;
  return d;
}

}  // namespace mote::dsp
