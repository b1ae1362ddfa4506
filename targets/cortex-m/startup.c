/* The C part of startup: constructors, the command line and main. In C because C++ may not call
 * main. */
#include <stdint.h>

#include "targets/cortex-m/startup.h"

extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(int argc, char** argv);

#if !defined(__ARM_ARCH_6M__)
extern uint32_t __stack_limit[];

/* A no-access MPU region over the lowest 32 bytes of the stack. Below the stack lies no RAM, but
 * on QEMU's mps2 boards that space reads as zeros instead of faulting, so an overflow would run on
 * with garbage; with the guard it faults at once (QEMU reports a lockup when the fault cannot
 * even be stacked). ARMv6-M parts such as the nRF51 have no MPU. */
static void guard_stack(void) {
  volatile uint32_t* const mpu_type = (volatile uint32_t*)0xE000ED90u;
  volatile uint32_t* const mpu_ctrl = (volatile uint32_t*)0xE000ED94u;
  volatile uint32_t* const mpu_rnr = (volatile uint32_t*)0xE000ED98u;
  volatile uint32_t* const mpu_rbar = (volatile uint32_t*)0xE000ED9Cu;
  volatile uint32_t* const mpu_rasr = (volatile uint32_t*)0xE000EDA0u;
  volatile uint32_t* const shcsr = (volatile uint32_t*)0xE000ED24u;
  if (((*mpu_type >> 8) & 0xFFu) == 0) return; /* no MPU regions */
  *mpu_rnr = 0;
  *mpu_rbar = (uint32_t)__stack_limit; /* 32-byte aligned by the linker script */
  /* XN, AP = no access, SIZE = 2^(4 + 1) = 32 bytes, enabled. */
  *mpu_rasr = (1u << 28) | (0u << 24) | (4u << 1) | 1u;
  *shcsr |= 1u << 16;          /* MemManage faults reported as such */
  *mpu_ctrl = (1u << 2) | 1u;  /* default map for everything else, MPU on */
  __asm volatile("dsb\n isb" ::: "memory");
}
#endif

void mote_board_start(void) {
#if !defined(__ARM_ARCH_6M__)
  guard_stack();
#endif
  /* Runtime code has no static constructors; test frameworks and applications may. */
  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  mote_board_init();
  char** argv;
  const int argc = mote_board_command_line(&argv);
  mote_board_exit(main(argc, argv));
}
