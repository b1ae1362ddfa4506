// The text of a generated firmware project: its CMakeLists.txt, its main.cc and the source that
// holds the baked-in test inputs. Pure functions of their arguments; firmware_project.h writes
// them with the model's C array.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mote::tools {

// Where a firmware runs: the host (a native executable) or a Cortex-M4 under QEMU.
enum class FirmwareTarget { kHost, kCortexM4 };

// "host" or "cortex-m4".
const char* firmware_target_name(FirmwareTarget target);
// The target named `name`; throws std::runtime_error for any other name.
FirmwareTarget parse_firmware_target(const std::string& name);

// What the generated sources name and contain.
struct FirmwareSpec {
  std::string symbol;                // the model array's C symbol (<symbol>.h, <symbol>.cc)
  std::string model_name;            // file name of the model, for comments
  std::vector<std::string> kernels;  // kernels::<name>() functions to register
  std::uint32_t op_count = 0;        // ops in the model (profiled one by one on the board)
  FirmwareTarget target = FirmwareTarget::kCortexM4;
  std::string mote_source_dir;  // default of the MOTE_SOURCE_DIR cache variable
  // Beyond main.cc, the model array and the inputs: more generated sources, and more libraries
  // of the mote tree to link (a firmware flavour such as the seismic node's).
  std::vector<std::string> extra_sources;
  std::vector<std::string> extra_libraries;
};

// Name of the CMake executable target (and, on Cortex-M, of firmware.elf and firmware.elf.map).
constexpr const char* kFirmwareExecutable = "firmware";
// Name of the generated source with the test inputs.
constexpr const char* kInputsSource = "mote_firmware_inputs.cc";

// CMakeLists.txt: builds the runtime and board support from MOTE_SOURCE_DIR and links the image.
std::string firmware_cmake_lists(const FirmwareSpec& spec);

// main.cc: loads the model, registers only spec.kernels, allocates the exact arena, writes the
// test inputs, invokes once and prints figures and outputs in the form firmware_output.h reads;
// on the board a second, profiled invoke gives instructions per op.
std::string firmware_main_source(const FirmwareSpec& spec);

// The lines of a main.cc that register spec.kernels with a MutableOpResolver named `resolver`
// (optimized kernels on the Cortex-M4), returning 1 from the enclosing function on failure.
std::string firmware_kernel_registrations(const FirmwareSpec& spec);

// mote_firmware_inputs.cc: one aligned array per input; no inputs means every input is zeros.
std::string firmware_inputs_source(const std::vector<std::vector<std::uint8_t>>& inputs);

}  // namespace mote::tools
