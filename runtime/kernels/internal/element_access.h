// Loading elements and accumulating them the way TFLite's integer kernels do, without the
// undefined behaviour plain C++ would have in the same places.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mote {
namespace kernels {

// Accumulators add with wrap-around, as TFLite's int32 accumulators do on every target (and
// without the undefined behaviour of signed overflow in C++).
inline int32_t accumulate(int32_t acc, int32_t x) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(x));
}
inline int64_t accumulate(int64_t acc, int64_t x) { return acc + x; }

// Element `i` of an array of T that may sit at any address. Model buffers promise less than
// 8-byte alignment: real models place int64 biases at 4 mod 8, which a plain load would read
// with undefined behaviour (and a fault on Cortex-M's LDRD).
template <typename T>
inline T load_unaligned(const void* data, int32_t i) {
  T value;
  std::memcpy(&value, static_cast<const uint8_t*>(data) + static_cast<size_t>(i) * sizeof(T),
              sizeof(T));
  return value;
}

}  // namespace kernels
}  // namespace mote
