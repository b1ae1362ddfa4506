// The input sections of a GNU ld map file (`-Wl,-Map=`): which object file put how many bytes
// into which output section.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mote::tools {

struct MapOutputSection {
  std::string name;  // ".text", ".bss", ...
  std::uint64_t address = 0;
  std::uint64_t size = 0;
};

struct MapInputSection {
  std::string output_section;  // the output section it was placed in
  std::string name;            // ".text.foo", or "*fill*" for alignment padding
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::string file;  // "path/x.obj", "path/libfoo.a(member.obj)"; empty for padding
};

struct MapFile {
  std::vector<MapOutputSection> output_sections;
  std::vector<MapInputSection> input_sections;
};

// Parses the "Linker script and memory map" part of `text`; the name of a long input section
// may stand alone on its line with address, size and file on the next. Throws
// std::runtime_error when the text has no memory map.
MapFile parse_map_file(const std::string& text);

}  // namespace mote::tools
