// The instruction counter of the micro:bit (nRF51822): TIMER0 counting at 16 MHz.
//
// Under QEMU with -icount shift=10 each instruction is 1024 ns of virtual time, 16.384 ticks of a
// 16 MHz timer (2048 / 125); as on mps2 (counter_mps2.cc), rounding ticks / 16.384 counted from a
// startup reading gives exact instructions. TIMER0 runs in 32-bit mode and wraps every 262 M
// instructions; TIMER1, prescaled by 2^15, counts its wraps.
#include "targets/cortex-m/board.h"
#include "targets/cortex-m/startup.h"

namespace mote::board {
namespace {

constexpr uintptr_t kTimer0 = 0x40008000;
constexpr uintptr_t kTimer1 = 0x40009000;
constexpr uintptr_t kTaskStart = 0x000;
constexpr uintptr_t kTaskCapture0 = 0x040;
constexpr uintptr_t kMode = 0x504;
constexpr uintptr_t kBitMode = 0x508;
constexpr uintptr_t kPrescaler = 0x510;
constexpr uintptr_t kCc0 = 0x540;
constexpr uint32_t kBitMode32 = 3;
constexpr uint32_t kCoarsePrescale = 15;  // 16 MHz >> 15: one coarse tick per 32,768 fine ticks
constexpr int64_t kFinePerCoarse = int64_t{1} << kCoarsePrescale;
constexpr uint32_t kNum = 2048;  // ticks per instruction, as a fraction
constexpr uint32_t kDen = 125;

volatile uint32_t& reg(uintptr_t timer, uintptr_t offset) {
  return *reinterpret_cast<volatile uint32_t*>(timer + offset);
}

uint32_t capture(uintptr_t timer) {
  reg(timer, kTaskCapture0) = 1;
  return reg(timer, kCc0);
}

uint64_t start_ticks = 0;
uint64_t overhead = 0;

}  // namespace

// Not inlined, so that instruction_overhead() measured at startup is what every caller sees.
__attribute__((noinline)) uint64_t counter_ticks() {
  const uint32_t fine = capture(kTimer0);
  const uint32_t coarse = capture(kTimer1);
  const int64_t estimate = static_cast<int64_t>(coarse) * kFinePerCoarse + kFinePerCoarse / 2;
  const int64_t wraps = (estimate - static_cast<int64_t>(fine) + (int64_t{1} << 31)) >> 32;
  return (static_cast<uint64_t>(wraps) << 32) + fine;
}

__attribute__((noinline)) uint64_t instructions() {
  const uint64_t ticks = counter_ticks() - start_ticks;
  return (ticks * kDen + kNum / 2) / kNum;
}

TickRatio ticks_per_instruction() { return {kNum, kDen}; }

uint64_t instruction_clock(void*) { return instructions(); }

uint64_t instruction_overhead() { return overhead; }

}  // namespace mote::board

extern "C" void mote_board_init(void) {
  using namespace mote::board;
  reg(kTimer0, kMode) = 0;  // timer mode
  reg(kTimer0, kBitMode) = kBitMode32;
  reg(kTimer0, kPrescaler) = 0;
  reg(kTimer1, kMode) = 0;
  reg(kTimer1, kBitMode) = kBitMode32;
  reg(kTimer1, kPrescaler) = kCoarsePrescale;
  reg(kTimer0, kTaskStart) = 1;
  reg(kTimer1, kTaskStart) = 1;
  start_ticks = counter_ticks();
  const uint64_t first = instructions();
  overhead = instructions() - first;
}
