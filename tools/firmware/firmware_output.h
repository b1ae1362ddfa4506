// Reads what a generated firmware's main.cc prints ("key: value" lines, outputs as hex), for
// `mote run --target`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mote::tools {

struct FirmwareOutputTensor {
  std::uint32_t index = 0;
  std::string type;  // as tensor_type_name() spells it
  std::vector<std::uint8_t> bytes;
};

struct FirmwareOpFigure {
  std::uint32_t index = 0;
  std::string op;  // builtin op name
  std::uint64_t instructions = 0;
};

struct FirmwareReport {
  std::string board;
  std::map<std::string, std::uint64_t> figures;  // arena_bytes, instructions, stack_bytes, ...
  std::vector<FirmwareOutputTensor> outputs;
  std::vector<FirmwareOpFigure> ops;  // instructions per op (board only)
  std::vector<std::string> errors;    // the "error: ..." lines the runtime reported
  bool done = false;                  // "done: ok" was printed
};

// Parses the printed text; lines it does not know (QEMU's, the size tool's) are ignored.
// Throws std::runtime_error for an output line that is malformed (wrong hex length).
FirmwareReport parse_firmware_output(const std::string& text);

}  // namespace mote::tools
