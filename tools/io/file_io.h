// Whole-file reads and writes for the host tools; failures throw std::runtime_error naming the
// file and the reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "tools/io/aligned_buffer.h"

namespace mote::tools {

// Reads the whole file into a 16-byte aligned buffer.
AlignedBuffer read_file(const std::filesystem::path& path);

// Writes `bytes` to `path`, replacing it.
void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace mote::tools
