// The text of a generated firmware project: its CMakeLists.txt, its main.cc and the source that
// holds the baked-in test inputs. Pure functions of their arguments; firmware_project.h writes
// them with the model's C array.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace mote::tools {

// Where a firmware runs: the host (a native executable) or a Cortex-M4 under QEMU.
enum class FirmwareTarget { kHost, kCortexM4 };

// "host" or "cortex-m4".
const char* firmware_target_name(FirmwareTarget target);
// The target named `name`; throws std::runtime_error for any other name.
FirmwareTarget parse_firmware_target(const std::string& name);

// The parts of the runtime a firmware builds (runtime/core/build_options.h): a firmware leaves
// out the kernel paths its model cannot reach, which the linker could not drop by itself.
struct RuntimeParts {
  bool float_kernels = true;
  bool int16_kernels = true;
  bool sparse_weights = true;
};

// "all" when every part is in, else "int8" followed by the parts that are ("int8+float"): a
// name for a build folder that holds one set of parts.
std::string runtime_parts_tag(const RuntimeParts& parts);

// What the generated sources name and contain.
struct FirmwareSpec {
  std::string symbol;                // the model array's C symbol (<symbol>.h, <symbol>.cc)
  std::string model_name;            // file name of the model, for comments
  std::vector<std::string> kernels;  // kernels::<name>() functions to register
  std::uint32_t op_count = 0;        // ops in the model (profiled one by one on the board)
  FirmwareTarget target = FirmwareTarget::kCortexM4;
  std::string mote_source_dir;  // default of the MOTE_SOURCE_DIR cache variable
  RuntimeParts parts;           // defaults of the runtime's MOTE_*_KERNELS / _WEIGHTS options
  // Beyond main.cc, the model array and the inputs: more generated sources, and more libraries
  // of the mote tree to link (a firmware flavour such as the seismic node's).
  std::vector<std::string> extra_sources;
  std::vector<std::string> extra_libraries;
};

// `text` with every @KEY@ replaced by its value: the generated files are C++ and CMake, whose
// braces and ${} would fight fmt's own syntax.
std::string substitute(std::string text,
                       const std::vector<std::pair<std::string, std::string>>& values);

// `name` safe inside a C string literal that is also a printf format, and inside a comment.
std::string printable_name(const std::string& name);

// The console functions a generated main.cc defines inside its anonymous namespace: write_text(),
// print() (lines of at most `line_chars` - 1 characters), report() for the runtime's errors and
// instructions(). The main must include stdarg.h, stdio.h off the board, targets/cortex-m/board.h
// on it, and runtime/core/format.h.
std::string firmware_console_source(int line_chars);

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
