#include "tools/io/file_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

namespace mote::tools {

AlignedBuffer read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    throw std::runtime_error("cannot open '" + path.string() + "': " + std::strerror(errno));
  }
  const std::streamsize size = in.tellg();
  if (size < 0) throw std::runtime_error("cannot read the size of '" + path.string() + "'");
  AlignedBuffer buffer(static_cast<std::size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(buffer.data()), size)) {
    throw std::runtime_error("cannot read '" + path.string() + "'");
  }
  return buffer;
}

void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw std::runtime_error("cannot create '" + path.string() + "': " + std::strerror(errno));
  }
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
}

}  // namespace mote::tools
