/* What the startup code (startup.S, startup.c) and the board's C++ parts share. */
#pragma once

/* Word painted over the unused stack at reset and by board::paint_stack(). */
#define MOTE_STACK_PAINT_WORD 0x57AC57AC

#ifndef __ASSEMBLER__
#ifdef __cplusplus
extern "C" {
#endif

/* Entered from the reset handler with .data and .bss ready; never returns. */
__attribute__((noreturn)) void mote_board_start(void);
/* Starts the board's counter; called before main. */
void mote_board_init(void);
/* The semihosting command line split into words; *argv is NULL-terminated. */
int mote_board_command_line(char*** argv);
/* Ends the program with `code` as the emulator's exit status. */
__attribute__((noreturn)) void mote_board_exit(int code);

#ifdef __cplusplus
}
#endif
#endif
