// A model as C/C++ source for firmware: an aligned byte array, its length and the exact arena size
// the runtime needs, with the model's inputs and outputs described in the header. Replaces
// `xxd -i`, which neither aligns the data nor knows the arena.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace mote::tools {

struct CArrayFiles {
  std::string header_name;  // "<symbol>.h"
  std::string header;
  std::string source_name;  // "<symbol>.cc"
  std::string source;
};

// A C identifier made from `name`: letters, digits and '_', not starting with a digit.
std::string c_symbol(const std::string& name);

// The bytes as the body of a C array initializer: " 0x1f, 0x00, ..." twelve to a line.
std::string c_byte_initializer(std::span<const std::uint8_t> bytes);

// Header and source for the model `bytes` under `symbol`; `arena_bytes` is the planner's exact
// figure and `description` a comment (inputs, outputs) for the header.
CArrayFiles make_c_array(std::span<const std::uint8_t> bytes, const std::string& symbol,
                         std::uint32_t arena_bytes, const std::string& description);

// Writes both files into `directory` (created if missing); returns the paths written.
std::pair<std::filesystem::path, std::filesystem::path> write_c_array(
    const CArrayFiles& files, const std::filesystem::path& directory);

}  // namespace mote::tools
