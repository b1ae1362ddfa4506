// The instruction counter of the mps2 boards (AN385, AN386): the FPGAIO block's 25 MHz COUNTER.
//
// Under QEMU with -icount shift=10 every instruction advances virtual time by exactly 1024 ns, so
// COUNTER advances 1024 ns x 25 MHz = 25.6 ticks per instruction (128 / 5). A reading is
// floor(25.6 n + c) for the n-th instruction and a constant c, so the ticks between two readings
// are 25.6 dn + e with |e| < 1, and rounding ticks / 25.6 gives dn exactly. instructions() counts
// from a reading taken at startup and is therefore exact; counter_test checks it against loops
// of known length.
//
// COUNTER has 32 bits and wraps every 2^32 / 25.6 = 167.8 M instructions. The same block's
// CLK100HZ counter (100 Hz, so 250,000 COUNTER ticks per tick) wraps only after 497 days of
// virtual time; it tells how many times COUNTER has wrapped, so counter_ticks() is a 64-bit count
// that needs no interrupt and no reading at least once per wrap.
#include "targets/cortex-m/board.h"
#include "targets/cortex-m/startup.h"

namespace mote::board {
namespace {

constexpr uintptr_t kFpgaio = 0x40028000;
constexpr uintptr_t kClk100Hz = kFpgaio + 0x14;
constexpr uintptr_t kCounter = kFpgaio + 0x18;
constexpr int64_t kTicksPer100Hz = 25'000'000 / 100;
constexpr uint32_t kNum = 128;  // ticks per instruction, as a fraction
constexpr uint32_t kDen = 5;

uint32_t read(uintptr_t address) { return *reinterpret_cast<volatile const uint32_t*>(address); }

uint64_t start_ticks = 0;
uint64_t overhead = 0;

}  // namespace

// Not inlined, so that instruction_overhead() measured at startup is what every caller sees.
__attribute__((noinline)) uint64_t counter_ticks() {
  const uint32_t fine = read(kCounter);
  const uint32_t coarse = read(kClk100Hz);
  // The middle of the coarse tick estimates the full count to within 125,000 ticks; the number
  // of wraps is the multiple of 2^32 that brings `fine` nearest to it.
  const int64_t estimate = static_cast<int64_t>(coarse) * kTicksPer100Hz + kTicksPer100Hz / 2;
  const int64_t wraps = (estimate - static_cast<int64_t>(fine) + (int64_t{1} << 31)) >> 32;
  return (static_cast<uint64_t>(wraps) << 32) + fine;
}

__attribute__((noinline)) uint64_t instructions() {
  const uint64_t ticks = counter_ticks() - start_ticks;
  // round(ticks / 25.6) = round(ticks * 5 / 128)
  return (ticks * kDen + kNum / 2) / kNum;
}

TickRatio ticks_per_instruction() { return {kNum, kDen}; }

uint64_t instruction_clock(void*) { return instructions(); }

uint64_t instruction_overhead() { return overhead; }

}  // namespace mote::board

extern "C" void mote_board_init(void) {
  mote::board::start_ticks = mote::board::counter_ticks();
  const uint64_t first = mote::board::instructions();
  mote::board::overhead = mote::board::instructions() - first;
}
