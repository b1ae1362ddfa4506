#include "tools/firmware/map_file.h"

#include <sstream>
#include <stdexcept>

namespace mote::tools {
namespace {

bool parse_hex(const std::string& token, std::uint64_t* value) {
  if (token.size() < 3 || token[0] != '0' || token[1] != 'x') return false;
  std::size_t used = 0;
  try {
    *value = std::stoull(token.substr(2), &used, 16);
  } catch (const std::exception&) {
    return false;
  }
  return used == token.size() - 2;
}

std::vector<std::string> split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  return tokens;
}

}  // namespace

MapFile parse_map_file(const std::string& text) {
  const auto start = text.find("Linker script and memory map");
  if (start == std::string::npos) throw std::runtime_error("not a GNU ld map file");
  MapFile map;
  std::istringstream lines(text.substr(start));
  std::string current_output;
  std::string pending_name;  // an input section name whose figures are on the next line
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      pending_name.clear();
      continue;
    }
    const auto tokens = split(line);
    if (tokens.empty()) continue;
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    if (line[0] != ' ') {
      // An output section: ".text  0xADDR  0xSIZE", or its name alone (figures follow).
      if (line[0] != '.') {
        pending_name.clear();
        continue;
      }
      current_output = tokens[0];
      if (tokens.size() >= 3 && parse_hex(tokens[1], &address) && parse_hex(tokens[2], &size)) {
        map.output_sections.push_back({current_output, address, size});
      } else if (tokens.size() == 1) {
        pending_name = "\x01" + current_output;  // an output section's figures on the next line
      }
      continue;
    }
    if (current_output.empty()) continue;
    if (!pending_name.empty() && tokens.size() >= 2 && parse_hex(tokens[0], &address) &&
        parse_hex(tokens[1], &size)) {
      if (pending_name[0] == '\x01') {
        map.output_sections.push_back({pending_name.substr(1), address, size});
      } else {
        map.input_sections.push_back(
            {current_output, pending_name, address, size, tokens.size() >= 3 ? tokens[2] : ""});
      }
      pending_name.clear();
      continue;
    }
    pending_name.clear();
    // " .text.foo  0xADDR  0xSIZE  file" or " *fill*  0xADDR  0xSIZE"; symbol lines start with
    // an address and linker-script lines (" *(.text)") have no figures.
    const std::string& name = tokens[0];
    if (name[0] != '.' && name != "*fill*" && name != "COMMON") continue;
    if (tokens.size() == 1) {
      pending_name = name;
      continue;
    }
    if (tokens.size() >= 3 && parse_hex(tokens[1], &address) && parse_hex(tokens[2], &size)) {
      map.input_sections.push_back(
          {current_output, name, address, size, tokens.size() >= 4 ? tokens[3] : ""});
    }
  }
  return map;
}

}  // namespace mote::tools
