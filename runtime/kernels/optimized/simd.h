// The packed 16-bit arithmetic of the Armv7E-M DSP extension that the optimized int8 kernels are
// written in: ACLE intrinsics where the compiler targets a core that has them (__ARM_FEATURE_DSP,
// e.g. Cortex-M4), and plain C with exactly the same results everywhere else, so that the host
// runs and tests the very code structure the device runs.
//
// A "pair" is a 32-bit word holding two 16-bit lanes: lane 0 in bits 15..0, lane 1 in 31..16.
// Four int8 values loaded as one little-endian word b0 b1 b2 b3 split into the pairs (b0, b2)
// (extend_even) and (b1, b3) (extend_odd); since weights and inputs split alike, a dot product
// pairs every input byte with its own weight whichever order the lanes come in.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define MOTE_HAVE_DSP 1
#else
#define MOTE_HAVE_DSP 0
#endif

namespace mote {
namespace kernels {
namespace simd {

// Four bytes from any address as one little-endian word (one LDR on Cortex-M4, which allows
// unaligned word loads).
inline int32_t load4(const int8_t* p) {
  int32_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// Two int16 values from any address as one pair.
inline int32_t load2x16(const int16_t* p) {
  int32_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// acc + a · b modulo 2^32, as the DSP accumulators wrap (a · b itself must fit in 32 bits).
inline int32_t mac(int32_t acc, int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(a * b));
}

// Lane `lane` (0 or 1) of a pair, sign-extended.
inline int32_t lane16(int32_t pair, int lane) {
  return static_cast<int16_t>(static_cast<uint32_t>(pair) >> (16 * lane));
}

// Both 16-bit lanes set to `value` (taken modulo 2^16).
inline int32_t splat16(int32_t value) {
  const uint32_t lane = static_cast<uint32_t>(value) & 0xFFFFu;
  return static_cast<int32_t>(lane | (lane << 16));
}

#if MOTE_HAVE_DSP

// (b0, b2) sign-extended to 16 bits.
inline int32_t extend_even(int32_t word) { return __sxtb16(word); }
// (b1, b3) sign-extended to 16 bits. SXTB16 rotates its operand for free, but GCC 12's
// __sxtb16 does not fold a rotation into it (it emits a separate ROR), so this one instruction
// is written out.
inline int32_t extend_odd(int32_t word) {
  int32_t result;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(result) : "r"(word));
  return result;
}
// offsets + (b0, b2), each lane modulo 2^16.
inline int32_t extend_even_add(int32_t offsets, int32_t word) { return __sxtab16(offsets, word); }
// offsets + (b1, b3), each lane modulo 2^16 (written out for the reason given above).
inline int32_t extend_odd_add(int32_t offsets, int32_t word) {
  int32_t result;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(result) : "r"(offsets), "r"(word));
  return result;
}
// acc + x.lane0 · y.lane0 + x.lane1 · y.lane1, modulo 2^32 (the Q flag it may set is unused).
inline int32_t dot2_add(int32_t x, int32_t y, int32_t acc) { return __smlad(x, y, acc); }
// acc + x.lane0 · y.lane0, modulo 2^32.
inline int32_t mul_add_lane0(int32_t x, int32_t y, int32_t acc) { return __smlabb(x, y, acc); }
// acc + x.lane1 · y.lane1, modulo 2^32.
inline int32_t mul_add_lane1(int32_t x, int32_t y, int32_t acc) { return __smlatt(x, y, acc); }

#else

inline int32_t byte8(int32_t word, int index) {
  return static_cast<int8_t>(static_cast<uint32_t>(word) >> (8 * index));
}
inline int32_t make_pair(int32_t lane0, int32_t lane1) {
  return static_cast<int32_t>((static_cast<uint32_t>(lane0) & 0xFFFFu) |
                              (static_cast<uint32_t>(lane1) << 16));
}

inline int32_t extend_even(int32_t word) { return make_pair(byte8(word, 0), byte8(word, 2)); }
inline int32_t extend_odd(int32_t word) { return make_pair(byte8(word, 1), byte8(word, 3)); }
inline int32_t extend_even_add(int32_t offsets, int32_t word) {
  return make_pair(lane16(offsets, 0) + byte8(word, 0), lane16(offsets, 1) + byte8(word, 2));
}
inline int32_t extend_odd_add(int32_t offsets, int32_t word) {
  return make_pair(lane16(offsets, 0) + byte8(word, 1), lane16(offsets, 1) + byte8(word, 3));
}
inline int32_t dot2_add(int32_t x, int32_t y, int32_t acc) {
  const uint32_t sum = static_cast<uint32_t>(acc) +
                       static_cast<uint32_t>(lane16(x, 0) * lane16(y, 0)) +
                       static_cast<uint32_t>(lane16(x, 1) * lane16(y, 1));
  return static_cast<int32_t>(sum);
}
inline int32_t mul_add_lane0(int32_t x, int32_t y, int32_t acc) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                              static_cast<uint32_t>(lane16(x, 0) * lane16(y, 0)));
}
inline int32_t mul_add_lane1(int32_t x, int32_t y, int32_t acc) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                              static_cast<uint32_t>(lane16(x, 1) * lane16(y, 1)));
}

#endif

}  // namespace simd
}  // namespace kernels
}  // namespace mote
