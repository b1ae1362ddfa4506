#include "tools/train/seismic_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "tools/data/station_split.h"
#include "tools/io/file_io.h"
#include "tools/train/phase_model_runner.h"

namespace mote::tools {
namespace {

const SeismicDataset& ncedc154() {
  static const SeismicDataset data = SeismicDataset::load(
      std::filesystem::path(MOTE_SHARED_DIR) / "data/seismic/ncedc154/waveforms.npy",
      std::filesystem::path(MOTE_SHARED_DIR) / "data/seismic/ncedc154/labels.csv");
  return data;
}

TrainOptions small_options(std::size_t steps) {
  TrainOptions o;
  o.steps = steps;
  o.batch = 24;
  o.threads = 1;
  o.seed = 11;
  o.validation_windows = 30;
  o.check_windows = 6;
  return o;
}

double mean(const std::vector<float>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from),
                         v.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

TEST(Trainer, LossDecreasesOverFiftyStepsAndASeedRepeatsItself) {
  const SeismicDataset& data = ncedc154();
  const StationSplit split = split_by_station(data);
  const TrainResult a = train_phase_net(data, split.train_traces, {}, small_options(60));
  ASSERT_EQ(a.losses.size(), 60u);
  // Balanced classes start near ln 3; training must bring the loss clearly below it.
  EXPECT_NEAR(mean(a.losses, 0, 5), std::log(3.0), 0.2);
  EXPECT_LT(mean(a.losses, 50, 60), mean(a.losses, 0, 10) - 0.1);
  const TrainResult b = train_phase_net(data, split.train_traces, {}, small_options(60));
  EXPECT_EQ(a.losses, b.losses);
  EXPECT_EQ(a.weights.dense.back().weights, b.weights.dense.back().weights);
}

TEST(SeismicTraining, WritesFloatAndInt8ModelsThatTheRuntimeRunsAsTheNetwork) {
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / "mote_seismic_training_test";
  std::filesystem::remove_all(out);
  SeismicTrainOptions o;
  o.train = small_options(8);
  o.out_dir = out;
  o.calibration_windows = 20;
  const SeismicTrainResult r = train_seismic_model(ncedc154(), o);

  EXPECT_GT(r.fit_traces, 0u);
  EXPECT_GT(r.validation_traces, 0u);
  EXPECT_EQ(r.fit_traces + r.validation_traces + r.held_out_traces, ncedc154().size());
  EXPECT_LE(r.export_max_error, 1e-4);

  // Both files, read back from disk, run in the runtime; the float one gives the network's
  // probabilities on the check windows.
  PhaseModelRunner float_model(read_file(out / "seismic_float.tflite").bytes(), "float");
  const std::vector<float> p = float_model.run(r.train.check.features, r.train.check.count);
  ASSERT_EQ(p.size(), r.train.check_probabilities.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(p[i], r.train.check_probabilities[i], 1e-4) << i;
  }
  PhaseModelRunner int8_model(read_file(out / "seismic_int8.tflite").bytes(), "int8");
  EXPECT_EQ(float_model.input_type(), TensorType::FLOAT32);
  EXPECT_EQ(int8_model.input_type(), TensorType::INT8);
  EXPECT_EQ(int8_model.output_type(), TensorType::INT8);
  const std::vector<float> q = int8_model.run(r.train.check.features, r.train.check.count);
  ASSERT_EQ(q.size(), p.size());
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], p[i], 0.1) << i;
  EXPECT_EQ(q, r.int8_check_probabilities);

  EXPECT_EQ(r.int8_model.macs, phase_net_macs(o.train.spec));
  // The net's parameters plus a few constants of the graph (the flatten's shape).
  EXPECT_GE(r.int8_model.parameters, phase_net_parameters(o.train.spec));
  EXPECT_LE(r.int8_model.parameters, phase_net_parameters(o.train.spec) + 4);
  EXPECT_LE(r.int8_model.arena_bytes, 32u * 1024);
  EXPECT_LE(r.int8_model.weight_bytes, 64u * 1024);
  EXPECT_LT(r.int8_model.weight_bytes, r.float_model.weight_bytes / 2);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace mote::tools
