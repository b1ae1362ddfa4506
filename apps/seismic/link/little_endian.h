// Little-endian field access for the link's packets and records, byte by byte so that it is
// independent of the host's byte order and alignment.
#pragma once

#include <cstdint>

namespace mote::seismic {

// Writes the low `bytes` bytes of `value` to `out`, least significant first.
inline void put_le(uint8_t* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

// Reads a `bytes`-byte little-endian unsigned value from `in`.
inline uint64_t get_le(const uint8_t* in, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}

}  // namespace mote::seismic
