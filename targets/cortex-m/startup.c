/* The C part of startup: constructors, the command line and main. In C because C++ may not call
 * main. */
#include <stdint.h>

#include "targets/cortex-m/startup.h"

extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(int argc, char** argv);

void mote_board_start(void) {
  /* Runtime code has no static constructors; test frameworks and applications may. */
  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  mote_board_init();
  char** argv;
  const int argc = mote_board_command_line(&argv);
  mote_board_exit(main(argc, argv));
}
