#include "tools/firmware/firmware_output.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace mote::tools {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<std::uint8_t> parse_hex(const std::string& hex, std::size_t bytes) {
  if (hex.size() != 2 * bytes) {
    throw std::runtime_error("firmware output: " + std::to_string(bytes) + " bytes announced, " +
                             std::to_string(hex.size()) + " hex digits printed");
  }
  std::vector<std::uint8_t> out(bytes);
  for (std::size_t i = 0; i < bytes; ++i) {
    const int hi = hex_digit(hex[2 * i]);
    const int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error("firmware output: bad hex digit");
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

bool parse_number(const std::string& text, std::uint64_t* value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

FirmwareReport parse_firmware_output(const std::string& text) {
  FirmwareReport report;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const std::string value = line.substr(colon + 2);
    if (key == "output") {
      std::istringstream fields(value);
      FirmwareOutputTensor tensor;
      std::size_t bytes = 0;
      std::string hex;
      if (!(fields >> tensor.index >> tensor.type >> bytes)) {
        throw std::runtime_error("firmware output: malformed line '" + line + "'");
      }
      fields >> hex;  // empty for a tensor of no bytes
      tensor.bytes = parse_hex(hex, bytes);
      report.outputs.push_back(std::move(tensor));
    } else if (key == "op") {
      std::istringstream fields(value);
      FirmwareOpFigure op;
      if (!(fields >> op.index >> op.op >> op.instructions)) {
        throw std::runtime_error("firmware output: malformed line '" + line + "'");
      }
      report.ops.push_back(op);
    } else if (key == "error") {
      report.errors.push_back(value);
    } else if (key == "board") {
      report.board = value;
    } else if (key == "done") {
      report.done = value == "ok";
    } else if (std::uint64_t number = 0; parse_number(value, &number)) {
      report.figures[key] = number;
    }
  }
  return report;
}

}  // namespace mote::tools
