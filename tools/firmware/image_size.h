// Where a firmware image's flash and RAM go, from its linker map: flash by kind (runtime core,
// kernels, model data, other) and by the folder of the object file, RAM by kind (data, bss,
// arena, stack). For `mote size`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/firmware/map_file.h"

namespace mote::tools {

struct FolderSize {
  std::string folder;  // "runtime/kernels", "targets/cortex-m", "libc_nano.a", ...
  std::uint64_t flash = 0;
};

struct ImageSize {
  // Flash: everything the part must store (.vectors, .text, .rodata, tables, .data's image).
  std::uint64_t flash_runtime_core = 0;  // runtime/ except runtime/kernels/
  std::uint64_t flash_kernels = 0;       // runtime/kernels/ (with kernels/internal/)
  std::uint64_t flash_model = 0;         // the model's C array
  std::uint64_t flash_other = 0;         // board support, main, inputs, C library, padding
  std::uint64_t flash_total = 0;
  // RAM.
  std::uint64_t ram_data = 0;
  std::uint64_t ram_bss = 0;  // without the arena
  std::uint64_t ram_arena = 0;
  std::uint64_t ram_stack = 0;  // reserved for the stack
  std::uint64_t ram_total = 0;
  std::vector<FolderSize> folders;   // flash per folder, largest first
  std::vector<std::string> kernels;  // kernel sources linked ("conv_2d.cc", ...)
};

// Measures the image whose map is `map`. `model_symbol` names the model array's source
// (<symbol>.cc), `arena_symbol` the arena's; `mote_source_dir` tells which folder of runtime/
// an archive member (which keeps only its file name) was compiled from.
ImageSize measure_image(const MapFile& map, const std::string& model_symbol,
                        const std::string& arena_symbol,
                        const std::filesystem::path& mote_source_dir);

}  // namespace mote::tools
