// `mote firmware`: a standalone CMake project that runs one model on a target: the model as a C
// array with its exact arena size (tools/export), a main.cc registering only the kernels the
// model uses, the test inputs baked in, and a CMakeLists.txt that builds the runtime and board
// support from the mote source tree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tools/firmware/firmware_sources.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {

struct FirmwareOptions {
  FirmwareTarget target = FirmwareTarget::kCortexM4;
  std::string symbol;  // C symbol of the model array; empty: "<model file stem>_model"
  // Raw bytes of every model input, in order; empty: the firmware runs on zeros.
  std::vector<std::vector<std::uint8_t>> inputs;
  std::filesystem::path mote_source_dir;  // empty: default_mote_source_dir()
};

// What was generated.
struct FirmwareProject {
  std::filesystem::path directory;
  std::string symbol;
  std::uint32_t arena_bytes = 0;
  std::size_t model_bytes = 0;
  std::vector<std::string> kernels;
  RuntimeParts parts;  // what of the runtime the firmware builds (runtime_parts(model))
  std::vector<std::filesystem::path> files;
};

// A firmware flavour beside the plain model runner (e.g. the seismic node, tools/firmware/
// node_firmware.h): its own main.cc, more generated files (those ending in .cc are compiled) and
// more libraries of the mote tree to link. The default flavour is the model runner.
struct FirmwareFlavour {
  std::function<std::string(const FirmwareSpec&)> main_source;   // empty: firmware_main_source
  std::vector<std::pair<std::string, std::string>> extra_files;  // file name, text
  std::vector<std::string> libraries;
};

// The mote source tree these tools were built from (a generated config header).
std::filesystem::path default_mote_source_dir();

// Writes the project for `model` (loaded from `model_path`) into `directory`, creating it. A
// file whose content is unchanged is left alone, so that rebuilding an existing build folder
// recompiles only what changed. Throws std::runtime_error when a kernel is missing or the
// inputs do not match the model's.
FirmwareProject write_firmware_project(const LoadedModel& model,
                                       const std::filesystem::path& model_path,
                                       const FirmwareOptions& options,
                                       const std::filesystem::path& directory,
                                       const FirmwareFlavour& flavour = {});

}  // namespace mote::tools
