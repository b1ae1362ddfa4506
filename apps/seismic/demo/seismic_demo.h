// `mote demo seismic`: the whole seismic system in one run, from recordings to a report —
// a phase model trained (or reused from the cache) and quantized, scored against STA/LTA on the
// held-out stations, then those stations' recordings replayed through nodes to a gateway over a
// Mosquitto broker that goes down in the middle, and one report: detection, delivery, bandwidth,
// energy and the node model's footprint, as text, JSON and an HTML page with waveform plots.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/seismic/demo/model_cache.h"

namespace mote::seismic::demo {

struct DemoOptions {
  std::filesystem::path waveforms;  // [N, 3, T] at 100 Hz
  std::filesystem::path labels;
  std::filesystem::path out_dir;  // report.{txt,json,html}, network/, model cache under it
  std::filesystem::path model;    // a phase model to use as is; empty: train or reuse
  TrainSettings train;            // how to train when no model is given
  bool retrain = false;           // ignore a cached model
  // The picker's trigger level; 0: chosen on the validation stations of the training side
  // (threshold_choice.h).
  float threshold = 0.0f;
  std::size_t max_traces = 0;  // 0: every held-out trace; else the first n (tests)
  bool durable = true;
  // Cortex-M4 instructions per inference for the energy budget; 0: estimated from the MACs
  // (and labelled an estimate).
  double instructions_per_inference = 0.0;
  std::string instructions_source;
  // Build the node model's firmware for the Cortex-M4 and run it in QEMU for its instructions,
  // flash and RAM (needs arm-none-eabi-gcc and qemu-system-arm; the first build takes a minute).
  bool device_figures = true;
  // With device_figures: seconds of one held-out recording (around its P pick) streamed through
  // the node firmware in QEMU and compared with the host node; 0 leaves it out.
  double node_firmware_seconds = 60.0;
};

struct DemoReport {
  std::string text;
  nlohmann::ordered_json json;
  std::filesystem::path html;
};

// Stage progress: (stage, done, total); total 0 = a stage without a count.
using DemoProgress = std::function<void(const std::string&, std::uint64_t, std::uint64_t)>;

// Runs the demo; throws std::runtime_error naming the stage and the problem.
DemoReport run_seismic_demo(const DemoOptions& options, const DemoProgress& progress = {});

}  // namespace mote::seismic::demo
