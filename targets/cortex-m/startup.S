/* Reset handler for mote's Cortex-M images. Written for ARMv6-M (the Thumb subset every Cortex-M
 * runs) so that one file serves the M0+, M3 and M4 builds. It runs on the stack the vector table
 * points at (the top of the stack region) and uses no stack before main's C code:
 *   1. paint the stack below SP with a pattern, for the high-water measurement (stack.cc);
 *   2. copy .data from flash to RAM and zero .bss;
 *   3. enable the FPU (CP10, CP11) when the image is built for one;
 *   4. call mote_board_start (startup.c), which runs constructors and main and never returns. */
#include "targets/cortex-m/startup.h"

  .syntax unified
  .thumb

  .section .text.mote_reset_handler, "ax", %progbits
  .global mote_reset_handler
  .type mote_reset_handler, %function
  .thumb_func
mote_reset_handler:
  ldr r0, =__stack_limit
  mov r1, sp
  ldr r2, =MOTE_STACK_PAINT_WORD
1:
  cmp r0, r1
  bhs 2f
  str r2, [r0]
  adds r0, r0, #4
  b 1b
2:
  ldr r0, =__data_start
  ldr r1, =__data_end
  ldr r2, =__data_load
3:
  cmp r0, r1
  bhs 4f
  ldr r3, [r2]
  str r3, [r0]
  adds r0, r0, #4
  adds r2, r2, #4
  b 3b
4:
  ldr r0, =__bss_start
  ldr r1, =__bss_end
  movs r2, #0
5:
  cmp r0, r1
  bhs 6f
  str r2, [r0]
  adds r0, r0, #4
  b 5b
6:
#if defined(__ARM_FP)
  /* CPACR: full access to CP10 and CP11, then make sure the next instruction sees it. */
  ldr r0, =0xE000ED88
  ldr r1, [r0]
  ldr r2, =(0xF << 20)
  orrs r1, r1, r2
  str r1, [r0]
  dsb
  isb
#endif
  bl mote_board_start
7:
  b 7b
  .size mote_reset_handler, . - mote_reset_handler
  .pool
