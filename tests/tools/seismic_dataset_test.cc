// The seismic loader on tiny synthetic .npy / CSV files, the split by station and the training
// windows drawn from them.
#include "tools/data/seismic_dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tools/data/station_split.h"
#include "tools/data/training_windows.h"
#include "tools/io/npy.h"

namespace mote::tools {
namespace {

namespace fs = std::filesystem;

class SeismicFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mote_seismic_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes [n, 3, t] float32 samples: sample value = 1000 * trace + 100 * component + index % 97
  // (E and N zero for traces in `vertical_only`).
  fs::path waveforms(std::int64_t n, std::int64_t t, std::set<int> vertical_only = {},
                     TensorType type = TensorType::FLOAT32) {
    std::vector<float> v(n * 3 * t);
    for (std::int64_t i = 0; i < n; ++i) {
      for (int c = 0; c < 3; ++c) {
        for (std::int64_t k = 0; k < t; ++k) {
          const bool zero = c < 2 && vertical_only.count(static_cast<int>(i)) > 0;
          v[(i * 3 + c) * t + k] = zero ? 0.0f : static_cast<float>(1000 * i + 100 * c + k % 97);
        }
      }
    }
    const std::vector<std::int64_t> shape = {n, 3, t};
    const fs::path p = dir_ / "w.npy";
    if (type == TensorType::INT16) {
      std::vector<std::int16_t> q(v.begin(), v.end());
      write_npy(p, type, shape, {reinterpret_cast<const std::uint8_t*>(q.data()), q.size() * 2});
    } else {
      write_npy(p, type, shape, {reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * 4});
    }
    return p;
  }

  fs::path labels(const std::string& text) {
    const fs::path p = dir_ / "l.csv";
    std::ofstream(p) << text;
    return p;
  }

  fs::path dir_;
};

TEST_F(SeismicFiles, LoadsSamplesLabelsAndStations) {
  const auto w = waveforms(3, 50, {1});
  const auto l = labels(
      "id,p_index,s_index,network,station,fs_hz,instrument\n"
      "a,10,20,NC,AAA,100,velocity\n"
      "b,-1,-1,NC,BBB,100,accelerometer\n"
      "c,5,,BK,AAA,100,velocity\n");
  const SeismicDataset d = SeismicDataset::load(w, l);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.samples_per_trace(), 50u);
  EXPECT_EQ(d.label(0).p_index, 10);
  EXPECT_EQ(d.label(0).s_index, 20);
  EXPECT_EQ(d.label(1).p_index, -1);
  EXPECT_EQ(d.label(2).s_index, -1);  // empty = absent
  EXPECT_EQ(d.label(0).station, "NC.AAA");
  EXPECT_EQ(d.label(2).station, "BK.AAA");  // network keeps same-named stations apart
  EXPECT_EQ(d.label(1).instrument, "accelerometer");
  EXPECT_FALSE(d.label(0).vertical_only);
  EXPECT_TRUE(d.label(1).vertical_only);
  EXPECT_TRUE(d.has_stations());
  EXPECT_EQ(d.component(2, 1)[7], 2000.0f + 100.0f + 7.0f);
  EXPECT_EQ(d.trace(2)[2 * 50 + 3], 2000.0f + 200.0f + 3.0f);
}

TEST_F(SeismicFiles, AcceptsIntegerSamplesAndMinimalLabels) {
  const auto w = waveforms(2, 20, {}, TensorType::INT16);
  const auto l = labels("p_index,s_index\n3,9\n4.0,-1\n");
  const SeismicDataset d = SeismicDataset::load(w, l);
  EXPECT_EQ(d.component(1, 2)[5], 1205.0f);
  EXPECT_EQ(d.label(1).p_index, 4);
  EXPECT_EQ(d.label(0).id, "trace0");
  EXPECT_FALSE(d.has_stations());
  EXPECT_THROW(split_by_station(d), std::runtime_error);
}

void expect_refusal(const fs::path& w, const fs::path& l, const std::string& words) {
  try {
    SeismicDataset::load(w, l);
    ADD_FAILURE() << "no error; expected one mentioning: " << words;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST_F(SeismicFiles, RefusesInconsistentInput) {
  const auto w = waveforms(2, 30);
  expect_refusal(w, labels("p_index,s_index\n3,9\n"), "1 label rows for 2 traces");
  expect_refusal(w, labels("p_index\n3\n4\n"), "'s_index'");
  expect_refusal(w, labels("p_index,s_index\n3,9\n30,-1\n"), "outside the trace");
  expect_refusal(w, labels("p_index,s_index\n9,3\n1,2\n"), "not after P");
  expect_refusal(w, labels("p_index,s_index\nx,3\n1,2\n"), "not a sample index");
  expect_refusal(w, labels("p_index,s_index,fs_hz\n1,3,100\n1,2,200\n"), "100 Hz");
  const fs::path bad = dir_ / "bad.npy";
  const std::vector<std::int64_t> shape = {2, 2, 5};
  std::vector<float> v(20, 0.0f);
  write_npy(bad, TensorType::FLOAT32, shape, {reinterpret_cast<const std::uint8_t*>(v.data()), 80});
  expect_refusal(bad, labels("p_index,s_index\n1,2\n1,2\n"), "[N, 3, T]");
}

TEST(SeismicDataset, RefusesNonFiniteSamples) {
  std::vector<float> v(3 * 4, 0.0f);
  v[5] = NAN;
  EXPECT_THROW(SeismicDataset::from_samples(v, 1, 4, {SeismicLabel{}}, "test"), std::runtime_error);
}

// n traces of `samples` samples: P at p, S at s, station "S<i % stations>", noise-like content.
SeismicDataset synthetic(std::size_t n, std::size_t samples, std::int64_t p, std::int64_t s,
                         int stations) {
  std::vector<float> v(n * 3 * samples);
  unsigned state = 1;
  for (std::size_t i = 0; i < v.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    v[i] = static_cast<float>(static_cast<int>(state >> 22) - 512);
  }
  std::vector<SeismicLabel> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    labels[i].p_index = p;
    labels[i].s_index = s;
    // snprintf: GCC 12 warns falsely (-Wrestrict) on "S" + std::to_string() at -O3.
    char name[32];
    std::snprintf(name, sizeof(name), "S%zu", i % static_cast<std::size_t>(stations));
    labels[i].station = name;
    std::snprintf(name, sizeof(name), "t%zu", i);
    labels[i].id = name;
  }
  return SeismicDataset::from_samples(std::move(v), n, samples, std::move(labels), "synthetic");
}

TEST(StationSplit, KeepsEveryStationOnOneSide) {
  const SeismicDataset d = synthetic(60, 10, 2, 5, 13);
  const StationSplit split = split_by_station(d, 0.25, 7);
  EXPECT_EQ(split.train_traces.size() + split.held_out_traces.size(), 60u);
  EXPECT_GE(split.held_out_traces.size(), 15u);       // round(0.25 * 60)
  EXPECT_LT(split.held_out_traces.size(), 15u + 5u);  // one station (at most 5 traces) past it
  std::set<std::string> train(split.train_stations.begin(), split.train_stations.end());
  for (std::size_t t : split.held_out_traces) EXPECT_EQ(train.count(d.label(t).station), 0u);
  for (std::size_t t : split.train_traces) EXPECT_EQ(train.count(d.label(t).station), 1u);
  EXPECT_EQ(split.train_stations.size() + split.held_out_stations.size(), 13u);
  // Deterministic for a seed; another seed holds out other stations.
  EXPECT_EQ(split_by_station(d, 0.25, 7).held_out_stations, split.held_out_stations);
  bool differs = false;
  for (std::uint64_t seed = 8; seed < 12 && !differs; ++seed) {
    differs = split_by_station(d, 0.25, seed).held_out_stations != split.held_out_stations;
  }
  EXPECT_TRUE(differs);
  EXPECT_THROW(split_by_station(d, 1.0, 7), std::runtime_error);
}

TEST(WindowLabel, IsThePhaseInTheNewestHop) {
  EXPECT_EQ(window_label(100, 300, 100, 10), seismic::Phase::kP);
  EXPECT_EQ(window_label(100, 300, 109, 10), seismic::Phase::kP);
  EXPECT_EQ(window_label(100, 300, 110, 10), seismic::Phase::kNoise);
  EXPECT_EQ(window_label(100, 300, 99, 10), seismic::Phase::kNoise);
  EXPECT_EQ(window_label(100, 300, 305, 10), seismic::Phase::kS);
  EXPECT_EQ(window_label(-1, -1, 305, 10), seismic::Phase::kNoise);
}

TEST(WindowSampler, DrawsRandomCropsWithConsistentLabels) {
  const SeismicDataset d = synthetic(8, 3000, 1500, 1800, 4);
  WindowConfig config;
  config.window_samples = 200;
  config.warmup_samples = 300;
  AugmentConfig augment;
  augment.enabled = false;
  WindowSampler sampler(d, {0, 1, 2, 3, 4, 5, 6, 7}, config, augment, 99);
  std::set<std::int64_t> p_offsets;
  int counts[4] = {};
  for (int i = 0; i < 400; ++i) {
    const TrainingWindow w = sampler.next();
    ASSERT_EQ(w.features.size(), 200u * 3u);
    ++counts[static_cast<int>(w.kind)];
    EXPECT_EQ(w.label, window_label(1500, 1800, w.end, config.hop_samples));
    const std::int64_t first = w.end - 199;
    EXPECT_EQ(w.p_offset, 1500 >= first && 1500 <= w.end ? 1500 - first : -1);
    EXPECT_EQ(w.s_offset, 1800 >= first && 1800 <= w.end ? 1800 - first : -1);
    if (w.kind == WindowKind::kNoise) {
      EXPECT_LE(w.end, 1500 - 200 - 1);
      EXPECT_EQ(w.label, seismic::Phase::kNoise);
    }
    if (w.kind == WindowKind::kP) {
      EXPECT_GE(w.end, 1500 - 10);
      EXPECT_LE(w.end, 1500 + 19);
      p_offsets.insert(w.p_offset);
    }
    // Normalised: each live component has zero mean.
    double mean = 0.0;
    for (int t = 0; t < 200; ++t) mean += w.features[t * 3 + 2];
    EXPECT_NEAR(mean / 200.0, 0.0, 1e-4);
  }
  for (int k = 0; k < 4; ++k) EXPECT_GT(counts[k], 0) << k;
  // The P onset lands at many places in the window, never at one fixed position.
  EXPECT_GT(p_offsets.size(), 20u);
}

TEST(WindowSampler, IsSeededAndAugments) {
  const SeismicDataset d = synthetic(8, 3000, 1500, 1800, 4);
  WindowConfig config;
  config.window_samples = 200;
  config.warmup_samples = 300;
  AugmentConfig augment;
  augment.dropout_probability = 1.0;  // every window loses a component or the horizontals
  WindowSampler a(d, {0, 1, 2, 3}, config, augment, 5);
  WindowSampler b(d, {0, 1, 2, 3}, config, augment, 5);
  WindowSampler c(d, {0, 1, 2, 3}, config, augment, 6);
  bool differs = false;
  for (int i = 0; i < 50; ++i) {
    const TrainingWindow wa = a.next(), wb = b.next(), wc = c.next();
    EXPECT_EQ(wa.features, wb.features);
    EXPECT_EQ(wa.end, wb.end);
    differs = differs || wa.features != wc.features;
    EXPECT_LT(wa.trace, 4u);  // only the traces it was given
    int dead = 0;
    for (int comp = 0; comp < 3; ++comp) {
      bool zero = true;
      for (int t = 0; t < 200; ++t) zero = zero && wa.features[t * 3 + comp] == 0.0f;
      dead += zero;
    }
    EXPECT_GE(dead, 1);
  }
  EXPECT_TRUE(differs);
}

TEST(WindowSampler, RefusesWindowsLongerThanTheTraces) {
  const SeismicDataset d = synthetic(2, 500, 300, 400, 2);
  WindowConfig config;  // 400 + 500 warm-up > 500 samples
  EXPECT_THROW(WindowSampler(d, {0, 1}, config, AugmentConfig{}, 1), std::runtime_error);
  config.window_samples = 100;
  config.warmup_samples = 100;
  EXPECT_THROW(WindowSampler(d, {}, config, AugmentConfig{}, 1), std::runtime_error);
  EXPECT_THROW(WindowSampler(d, {5}, config, AugmentConfig{}, 1), std::runtime_error);
}

}  // namespace
}  // namespace mote::tools
