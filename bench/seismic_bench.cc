// Host figures for the seismic node's per-sample path (dsp/ and apps/seismic): filters, the
// STA/LTA detector and the per-hop window normalisation. Figures only, never pass/fail; the
// device's instruction counts come from the Cortex-M4 target.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "apps/seismic/detector.h"
#include "apps/seismic/sta_lta_source.h"
#include "apps/seismic/stalta_baseline.h"
#include "dsp/feature_extractor.h"
#include "dsp/sample_ring.h"
#include "dsp/window_normalize.h"

namespace {

using namespace mote;

std::vector<float> samples(std::size_t n) {
  std::vector<float> x(n * 3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1000.0f * std::sin(0.37f * i) + i % 17;
  return x;
}

// One 3-component sample through the DC blocker and the order-4 band-pass.
void BM_FeatureExtractorPerSample(benchmark::State& state) {
  dsp::FeatureExtractor f;
  f.init(dsp::FeatureConfig{}, nullptr);
  const auto x = samples(4096);
  std::size_t i = 0;
  float out[3];
  for (auto _ : state) {
    f.push(&x[(i++ & 4095) * 3], out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_FeatureExtractorPerSample);

// One sample through the whole STA/LTA detector (filters, ring, STA/LTA, picker).
void BM_StaLtaDetectorPerSample(benchmark::State& state) {
  seismic::StaLtaSource source;
  source.init(seismic::stalta_config(), nullptr);
  dsp::SampleRingWithStorage<10> ring;
  seismic::Detector detector(&ring, &source);
  detector.init(seismic::stalta_detector_config(), nullptr);
  const auto x = samples(4096);
  std::size_t i = 0;
  seismic::Pick picks[20];
  uint32_t count = 0;
  for (auto _ : state) {
    detector.push(&x[(i++ & 4095) * 3], picks, 20, &count);
    benchmark::DoNotOptimize(count);
  }
}
BENCHMARK(BM_StaLtaDetectorPerSample);

// The per-hop work a model source does before inference: copy the 4 s window out of the ring
// and normalise it.
void BM_WindowCopyAndNormalize400(benchmark::State& state) {
  dsp::SampleRingWithStorage<400> ring;
  const auto x = samples(400);
  for (int t = 0; t < 400; ++t) ring.push(&x[t * 3]);
  std::vector<float> window(400 * 3);
  for (auto _ : state) {
    ring.copy_latest(400, window.data(), nullptr);
    dsp::normalize_window(window.data(), 400, dsp::kNormalizeEpsilon, window.data(), nullptr);
    benchmark::DoNotOptimize(window.data());
  }
}
BENCHMARK(BM_WindowCopyAndNormalize400);

}  // namespace

BENCHMARK_MAIN();
