// A fault ends the program at once with the fault named and exit code 70 (CTest checks the
// message), rather than hanging until the test's timeout.
#include "tests/device/device_print.h"

int main() {
  mote::testing::print("executing an undefined instruction\n");
  __asm__ volatile("udf #0");
  mote::testing::print("FAIL: still running after the fault\n");
  return 0;
}
