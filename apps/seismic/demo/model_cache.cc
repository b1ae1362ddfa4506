#include "apps/seismic/demo/model_cache.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace mote::seismic::demo {

std::uint64_t hash_file(const std::filesystem::path& path, std::uint64_t hash) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      hash ^= static_cast<unsigned char>(buffer[i]);
      hash *= 0x100000001b3ull;
    }
  }
  return hash;
}

CachedModel ensure_model(const std::filesystem::path&, const std::filesystem::path&,
                         const TrainSettings&, const std::filesystem::path&, bool,
                         const TrainProgress&) {
  throw std::runtime_error("training is not wired in yet: pass --model");
}

}  // namespace mote::seismic::demo
