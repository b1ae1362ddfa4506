// Checks the board's instruction counter against loops whose instruction count is known, and
// prints the calibration: counter ticks per instruction under -icount shift=10.
//
// spin(n) executes 2n instructions in its loop (SUBS, BNE) plus a fixed call overhead, so the
// counter must read exactly 2 (n2 - n1) more for spin(n2) than for spin(n1), for every n1, n2,
// including lengths that wrap the board's 32-bit counter (mps2: 167.8 M instructions).
#include <cstdint>

#include "targets/cortex-m/board.h"
#include "tests/device/device_print.h"

namespace {

using mote::testing::print;

__attribute__((noinline)) void spin(uint32_t n) {
#if defined(__ARM_ARCH_6M__)
#define MOTE_DECREMENT "sub %0, #1\n"  // GCC emits ARMv6-M code in divided syntax
#else
#define MOTE_DECREMENT "subs %0, %0, #1\n"
#endif
  __asm__ volatile("1:\n" MOTE_DECREMENT "bne 1b\n" : "+l"(n) : : "cc");
#undef MOTE_DECREMENT
}

struct Reading {
  uint64_t instructions;
  uint64_t ticks;
};

Reading measure(uint32_t n) {
  const uint64_t t0 = mote::board::counter_ticks();
  const uint64_t i0 = mote::board::instructions();
  spin(n);
  const uint64_t i1 = mote::board::instructions();
  const uint64_t t1 = mote::board::counter_ticks();
  return {i1 - i0 - mote::board::instruction_overhead(), t1 - t0};
}

}  // namespace

int main() {
  int failures = 0;
  const uint64_t overhead = mote::board::instruction_overhead();
  print("board %s: one instructions() call costs %llu instructions\n", mote::board::name(),
        static_cast<unsigned long long>(overhead));
  if (overhead == 0 || overhead > 200) {
    print("FAIL: the counter does not advance as instructions run (is -icount shift=10 on?)\n");
    return 1;
  }

  // Nothing between two readings reads as nothing, but for the caller's own bookkeeping.
  const uint64_t i0 = mote::board::instructions();
  const uint64_t i1 = mote::board::instructions();
  const uint64_t empty = i1 - i0 - overhead;
  print("an empty interval reads %llu instructions\n", static_cast<unsigned long long>(empty));
  if (empty > 4) {
    print("FAIL: instruction_overhead() does not match a caller's back-to-back readings\n");
    ++failures;
  }

  // The call overhead of spin() is the same for every n: the reading minus 2n is a constant.
  const uint32_t lengths[] = {1, 2, 3, 7, 100, 1000, 4099, 65536, 1000003};
  const uint64_t base = measure(lengths[0]).instructions - 2 * lengths[0];
  for (const uint32_t n : lengths) {
    const Reading r = measure(n);
    const uint64_t expected = 2 * uint64_t{n} + base;
    if (r.instructions != expected) {
      print("FAIL: spin(%lu) read %llu instructions, expected %llu\n",
            static_cast<unsigned long>(n), static_cast<unsigned long long>(r.instructions),
            static_cast<unsigned long long>(expected));
      ++failures;
    }
  }

  // Long enough to wrap the 32-bit counter; also gives the calibration with 9 significant digits.
  const uint32_t long_n = 100'000'000;
  const Reading r = measure(long_n);
  const Reading r0 = measure(1);
  const uint64_t instructions = 2 * uint64_t{long_n} - 2;
  if (r.instructions - r0.instructions != instructions) {
    print("FAIL: 200 M instructions read as %llu\n",
          static_cast<unsigned long long>(r.instructions - r0.instructions));
    ++failures;
  }
  const mote::board::TickRatio ratio = mote::board::ticks_per_instruction();
  const uint64_t ticks = r.ticks - r0.ticks;
  print(
      "calibration: %llu ticks for %llu instructions = %.6f ticks per instruction (board: "
      "%lu/%lu)\n",
      static_cast<unsigned long long>(ticks), static_cast<unsigned long long>(instructions),
      static_cast<double>(ticks) / static_cast<double>(instructions),
      static_cast<unsigned long>(ratio.num), static_cast<unsigned long>(ratio.den));
  // The ticks must be within one tick of the ratio for an exact count (see counter_mps2.cc).
  const uint64_t exact = instructions * ratio.num / ratio.den;
  if (ticks + 2 < exact || ticks > exact + 2) {
    print("FAIL: expected %llu ticks\n", static_cast<unsigned long long>(exact));
    ++failures;
  }
  print(failures == 0 ? "PASS\n" : "FAIL\n");
  return failures == 0 ? 0 : 1;
}
