// printf-style output for device tests, through the runtime's small formatter and semihosting.
#pragma once

namespace mote::testing {

// Formats like printf (the conversions of runtime/core/format.h) and writes to the console.
void print(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mote::testing
