// `mote seismic train` end to end: split by station, train the phase net, export it as a float
// .tflite checked against the network's own outputs, quantize it to int8 with calibration on
// training windows, and measure both models (arena, MACs, weights) and the int8 one's accuracy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/data/seismic_dataset.h"
#include "tools/data/station_split.h"
#include "tools/quantize/calibrator.h"
#include "tools/train/trainer.h"
#include "tools/train/validation_split.h"

namespace mote::tools {

struct SeismicTrainOptions {
  TrainOptions train;
  std::filesystem::path out_dir;
  double held_out_fraction = kDefaultHeldOutFraction;  // as `mote seismic eval` splits
  std::uint64_t split_seed = kDefaultSplitSeed;
  double validation_fraction = 0.1;  // of the training traces, whole stations
  std::size_t calibration_windows = 500;
  RangeOptions calibration;
  double export_tolerance = 1e-4;  // float .tflite against the network, per probability
};

// A written model and what it costs.
struct ExportedModel {
  std::filesystem::path path;
  std::size_t file_bytes = 0;
  std::size_t arena_bytes = 0;
  std::uint64_t macs = 0;
  std::uint64_t parameters = 0;
  std::uint64_t weight_bytes = 0;
};

struct SeismicTrainResult {
  TrainResult train;
  std::size_t fit_traces = 0;
  std::size_t validation_traces = 0;
  std::size_t held_out_traces = 0;  // never seen: for `mote seismic eval --subset held-out`
  std::vector<std::string> validation_stations;
  double export_max_error = 0.0;                // float .tflite vs the network on the check windows
  ExportedModel float_model;                    // DIR/seismic_float.tflite
  ExportedModel int8_model;                     // DIR/seismic_int8.tflite (int8 input and output)
  ClassScores int8_validation;                  // the int8 model on the validation windows
  std::vector<float> int8_check_probabilities;  // the int8 model on the check windows
};

// Mean of the last `steps` losses (fewer if training was shorter), NaN for none: the loss a
// summary reports, smoothed over the batches' noise.
double final_loss(const std::vector<float>& losses, std::size_t steps = 100);

// The validation stations train_seismic_model() keeps out of fitting for `options`: the training
// side of the station split, whole stations moved aside with a seed derived from the training
// seed. The demo chooses its trigger level on them.
ValidationSplit seismic_validation_split(const SeismicDataset& data,
                                         const SeismicTrainOptions& options);

// Runs everything and writes both models into `options.out_dir` (created). Throws
// std::runtime_error when the float export differs from the network by more than the tolerance.
SeismicTrainResult train_seismic_model(const SeismicDataset& data,
                                       const SeismicTrainOptions& options,
                                       const TrainProgress& train_progress = {},
                                       const ProgressFn& calibration_progress = {});

}  // namespace mote::tools
