#include "tools/train/seismic_training.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tools/analysis/op_cost.h"
#include "tools/graph/tflite_io.h"
#include "tools/io/file_io.h"
#include "tools/quantize/quantizer.h"
#include "tools/train/phase_graph.h"
#include "tools/train/phase_model_runner.h"
#include "tools/train/validation_split.h"

namespace mote::tools {
namespace {

ExportedModel write_model(const std::filesystem::path& path, const PhaseModelRunner& runner,
                          const std::vector<std::uint8_t>& bytes) {
  write_file(path, bytes);
  ExportedModel m;
  m.path = path;
  m.file_bytes = bytes.size();
  m.arena_bytes = runner.arena_bytes();
  m.macs = model_macs(runner.model());
  const WeightTotals weights = weight_totals(runner.model());
  m.parameters = weights.parameters;
  m.weight_bytes = weights.bytes;
  return m;
}

}  // namespace

ValidationSplit seismic_validation_split(const SeismicDataset& data,
                                         const SeismicTrainOptions& options) {
  const StationSplit split = split_by_station(data, options.held_out_fraction, options.split_seed);
  return split_validation(data, split.train_traces, options.validation_fraction,
                          options.train.seed ^ 0x7a11'da7eULL);
}

SeismicTrainResult train_seismic_model(const SeismicDataset& data,
                                       const SeismicTrainOptions& options,
                                       const TrainProgress& train_progress,
                                       const ProgressFn& calibration_progress) {
  const StationSplit split = split_by_station(data, options.held_out_fraction, options.split_seed);
  const ValidationSplit validation = seismic_validation_split(data, options);
  SeismicTrainResult result;
  result.fit_traces = validation.fit_traces.size();
  result.validation_traces = validation.validation_traces.size();
  result.held_out_traces = split.held_out_traces.size();
  result.validation_stations = validation.validation_stations;

  result.train = train_phase_net(data, validation.fit_traces, validation.validation_traces,
                                 options.train, train_progress);

  // Float export, checked against the network's own probabilities.
  std::filesystem::create_directories(options.out_dir);
  const Graph float_graph = phase_net_graph(result.train.weights);
  const std::vector<std::uint8_t> float_bytes = write_tflite(float_graph);
  PhaseModelRunner float_runner(float_bytes, "seismic_float.tflite");
  const std::vector<float> exported =
      float_runner.run(result.train.check.features, result.train.check.count);
  for (std::size_t i = 0; i < exported.size(); ++i) {
    result.export_max_error =
        std::max(result.export_max_error,
                 static_cast<double>(std::fabs(exported[i] - result.train.check_probabilities[i])));
  }
  if (!(result.export_max_error <= options.export_tolerance)) {
    throw std::runtime_error("train: the exported float model differs from the network by " +
                             std::to_string(result.export_max_error) + " (tolerance " +
                             std::to_string(options.export_tolerance) + ")");
  }
  result.float_model =
      write_model(options.out_dir / "seismic_float.tflite", float_runner, float_bytes);

  // Calibration on unbalanced, augmented training windows: the mix the node will see in part.
  WindowSampler sampler(data, validation.fit_traces, options.train.windows, options.train.augment,
                        options.train.seed ^ 0xca1b'0001ULL);
  const WindowBatch calibration_windows = draw_windows(sampler, options.calibration_windows);
  SampleSet samples;
  samples.count = calibration_windows.count;
  samples.inputs = {calibration_windows.features};
  const Calibration calibration =
      calibrate(float_graph, samples, options.calibration, calibration_progress);
  QuantizeOptions quantize_options;  // int8 inside and at the interface
  const QuantizedModel quantized = quantize(float_graph, calibration, quantize_options);
  const std::vector<std::uint8_t> int8_bytes = write_tflite(quantized.graph);
  PhaseModelRunner int8_runner(int8_bytes, "seismic_int8.tflite");
  result.int8_model = write_model(options.out_dir / "seismic_int8.tflite", int8_runner, int8_bytes);
  const std::vector<float> int8_probabilities =
      int8_runner.run(result.train.validation.features, result.train.validation.count);
  result.int8_validation = score_classes(int8_probabilities, result.train.validation.labels);
  result.int8_check_probabilities.assign(
      int8_probabilities.begin(),
      int8_probabilities.begin() + static_cast<std::ptrdiff_t>(result.train.check.count * 3));
  return result;
}

double final_loss(const std::vector<float>& losses, std::size_t steps) {
  const std::size_t n = std::min(steps, losses.size());
  if (n == 0) return std::nan("");
  double sum = 0.0;
  for (std::size_t i = losses.size() - n; i < losses.size(); ++i) sum += losses[i];
  return sum / static_cast<double>(n);
}

}  // namespace mote::tools
