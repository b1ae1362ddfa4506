// `mote run --target cortex-m4`: the model and its input as a firmware image (tools/firmware/),
// built in a cache folder, run in QEMU, its figures and outputs read back and checked against
// the host's run.
#pragma once

#include <string>
#include <vector>

namespace mote::cli {

struct DeviceRunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string target;  // "cortex-m4" (or "host": the same firmware built natively)
  bool json = false;
  std::string build_dir;  // empty: the cache folder
  bool profile = false;   // print instructions per op (JSON always has them)
};

// Runs the model on the target and prints instructions per invoke, arena, stack and outputs
// (one JSON object with `json`). Throws std::runtime_error when the build or run fails or the
// outputs differ from the host runtime's.
void run_on_target(const DeviceRunOptions& options);

}  // namespace mote::cli
