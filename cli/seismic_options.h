// What the `mote seismic` subcommands share: the data and split options and number formatting.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "tools/data/station_split.h"

namespace mote::cli {

struct SplitOptions {
  std::string waveforms;
  std::string labels;
  double held_out_fraction = tools::kDefaultHeldOutFraction;
  std::uint64_t seed = tools::kDefaultSplitSeed;
};

// --waveforms and --labels (required, existing files).
void add_data_options(CLI::App* cmd, SplitOptions* o);
// --held-out-fraction and --split-seed.
void add_split_options(CLI::App* cmd, SplitOptions* o);

// JSON number, or null for NaN (an undefined ratio).
nlohmann::json number(double v);
// `v` formatted, or "n/a" for NaN.
std::string text(double v, const char* format = "{:.3f}");

// `mote seismic node-firmware` (cli/seismic_node_firmware_command.cc).
void add_seismic_node_firmware_command(CLI::App* seismic);

// `mote seismic train` (cli/seismic_train_command.cc; only in builds with MOTE_TRAINING).
void add_seismic_train_command(CLI::App* seismic);

}  // namespace mote::cli
