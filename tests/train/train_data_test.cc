#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "tools/data/station_split.h"
#include "tools/train/balanced_batches.h"
#include "tools/train/batch_prefetcher.h"
#include "tools/train/validation_split.h"

namespace mote::tools {
namespace {

const SeismicDataset& ncedc154() {
  static const SeismicDataset data = SeismicDataset::load(
      std::filesystem::path(MOTE_SHARED_DIR) / "data/seismic/ncedc154/waveforms.npy",
      std::filesystem::path(MOTE_SHARED_DIR) / "data/seismic/ncedc154/labels.csv");
  return data;
}

TEST(ValidationSplit, MovesWholeStationsAndKeepsEveryTraceOnce) {
  const SeismicDataset& data = ncedc154();
  const StationSplit split = split_by_station(data);
  const ValidationSplit v = split_validation(data, split.train_traces, 0.1, 5);
  EXPECT_FALSE(v.validation_traces.empty());
  EXPECT_GE(v.validation_traces.size(), split.train_traces.size() / 10);
  std::vector<std::size_t> all = v.fit_traces;
  all.insert(all.end(), v.validation_traces.begin(), v.validation_traces.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, split.train_traces);
  std::set<std::string> fit_stations;
  for (std::size_t t : v.fit_traces) fit_stations.insert(data.label(t).station);
  for (std::size_t t : v.validation_traces) {
    EXPECT_EQ(fit_stations.count(data.label(t).station), 0u) << data.label(t).station;
  }
  // The same seed gives the same stations; no fraction gives no validation.
  EXPECT_EQ(split_validation(data, split.train_traces, 0.1, 5).validation_stations,
            v.validation_stations);
  EXPECT_TRUE(split_validation(data, split.train_traces, 0.0, 5).validation_traces.empty());
}

TEST(BalancedBatches, EveryBatchHoldsTheClassSharesAlthoughTheSamplerDrawsMostlyNoise) {
  const SeismicDataset& data = ncedc154();
  WindowSampler sampler(data, split_by_station(data).train_traces, WindowConfig{}, AugmentConfig{},
                        3);
  BalancedBatches batches(sampler, {2.0, 1.0, 1.0});
  for (int b = 0; b < 3; ++b) {
    const WindowBatch batch = batches.next(12);
    ASSERT_EQ(batch.count, 12u);
    EXPECT_EQ(batch.features.size(), 12u * 400 * 3);
    EXPECT_EQ(std::count(batch.labels.begin(), batch.labels.end(), 0), 6);
    EXPECT_EQ(std::count(batch.labels.begin(), batch.labels.end(), 1), 3);
    EXPECT_EQ(std::count(batch.labels.begin(), batch.labels.end(), 2), 3);
  }
  EXPECT_GT(batches.drawn(), 36u);  // P and S come a third of the time from their kinds
  EXPECT_THROW(BalancedBatches(sampler, {1.0, 0.0, 1.0}), std::invalid_argument);
}

TEST(BatchPrefetcher, GivesTheBatchesOfDrawingInTheLoopInOrderThenRefuses) {
  const SeismicDataset& data = ncedc154();
  const std::vector<std::size_t> traces = split_by_station(data).train_traces;
  WindowSampler direct_sampler(data, traces, WindowConfig{}, AugmentConfig{}, 9);
  BalancedBatches direct(direct_sampler, {1.0, 1.0, 1.0});
  WindowSampler threaded_sampler(data, traces, WindowConfig{}, AugmentConfig{}, 9);
  BalancedBatches threaded(threaded_sampler, {1.0, 1.0, 1.0});
  BatchPrefetcher prefetcher(threaded, 6, 4);
  for (int b = 0; b < 4; ++b) {
    const WindowBatch expected = direct.next(6);
    const WindowBatch got = prefetcher.next();
    EXPECT_EQ(got.labels, expected.labels) << b;
    EXPECT_EQ(got.features, expected.features) << b;
  }
  EXPECT_THROW(prefetcher.next(), std::logic_error);
}

TEST(BatchPrefetcher, PassesOnWhatTheDrawingThreadThrew) {
  // One trace with a P pick and no S pick: the S share can never be filled.
  std::vector<float> samples(3 * 300);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<float>((i * 7919) % 13) - 6.0f + (i % 300 >= 200 ? 50.0f : 0.0f);
  }
  SeismicLabel label;
  label.p_index = 200;
  const SeismicDataset data = SeismicDataset::from_samples(samples, 1, 300, {label}, "no S pick");
  WindowConfig config;
  config.window_samples = 40;
  config.warmup_samples = 20;
  config.noise_guard_samples = 20;
  WindowSampler sampler(data, {0}, config, AugmentConfig{}, 1);
  BalancedBatches batches(sampler, {1.0, 1.0, 1.0});
  BatchPrefetcher prefetcher(batches, 6, 2);
  EXPECT_THROW(prefetcher.next(), std::runtime_error);
}

}  // namespace
}  // namespace mote::tools
