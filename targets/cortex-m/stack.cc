// Stack high-water measurement and the memory the image leaves free, from the linker script's
// symbols (cortex_m.ld.in).
#include <cstdint>

#include "targets/cortex-m/board.h"
#include "targets/cortex-m/startup.h"

extern "C" {
extern uint32_t __stack_limit[];
extern uint32_t __stack_top[];
extern uint8_t __free_ram_start[];
extern uint8_t __free_ram_end[];
extern uint8_t __free_flash_start[];
extern uint8_t __free_flash_end[];
extern uint8_t __flash_bytes[];
extern uint8_t __ram_bytes[];
}

namespace mote::board {
namespace {

// The lowest 32 bytes of the stack are an MPU guard on cores with an MPU (startup.c): no access.
#if defined(__ARM_ARCH_6M__)
constexpr uint32_t kGuardWords = 0;
#else
constexpr uint32_t kGuardWords = 32 / sizeof(uint32_t);
#endif

// The lowest stack word code may use.
uint32_t* usable_limit() { return __stack_limit + kGuardWords; }

uint32_t* stack_pointer() {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

}  // namespace

size_t stack_size() {
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack_top) -
                             reinterpret_cast<uintptr_t>(usable_limit()));
}

size_t stack_depth() {
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack_top) -
                             reinterpret_cast<uintptr_t>(stack_pointer()));
}

size_t stack_high_water() {
  const uint32_t* word = usable_limit();
  while (word < __stack_top && *word == MOTE_STACK_PAINT_WORD) ++word;
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack_top) -
                             reinterpret_cast<uintptr_t>(word));
}

// Not inlined, so that it paints below its own frame, which lies below the caller's. The stores
// are volatile so that GCC does not turn the loop into a call to memset, whose frame would sit
// in the bytes being painted.
__attribute__((noinline)) void paint_stack() {
  volatile uint32_t* const end = stack_pointer();
  for (volatile uint32_t* word = usable_limit(); word < end; ++word) *word = MOTE_STACK_PAINT_WORD;
}

bool stack_overflowed() { return *usable_limit() != MOTE_STACK_PAINT_WORD; }

Region free_ram() {
  return {__free_ram_start, static_cast<size_t>(__free_ram_end - __free_ram_start)};
}

Region free_flash() {
#if defined(MOTE_BOARD_FLASH_WRITABLE)
  return {__free_flash_start, static_cast<size_t>(__free_flash_end - __free_flash_start)};
#else
  return {nullptr, 0};
#endif
}

size_t flash_bytes() { return reinterpret_cast<uintptr_t>(__flash_bytes); }
size_t ram_bytes() { return reinterpret_cast<uintptr_t>(__ram_bytes); }

const char* name() { return MOTE_BOARD_NAME; }

}  // namespace mote::board

extern "C" void mote_board_exit(int code) { mote::board::exit(code); }
