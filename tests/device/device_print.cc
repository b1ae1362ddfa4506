#include "tests/device/device_print.h"

#include <cstdarg>

#include "runtime/core/format.h"
#include "targets/cortex-m/board.h"

namespace mote::testing {

void print(const char* format, ...) {
  char line[256];
  va_list args;
  va_start(args, format);
  const size_t length = format_message(line, sizeof(line), format, args);
  va_end(args);
  board::write(line, length);
}

}  // namespace mote::testing
