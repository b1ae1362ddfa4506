// A small printf-style formatter for error messages. The C library's vsnprintf costs several
// kilobytes of flash on a Cortex-M (more with float support); messages need only a few
// conversions: %d %i %u %x %s %c %f %% with the l, ll and z length modifiers.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace mote {

// Writes at most `capacity` bytes including the terminating NUL; returns the length written.
size_t format_message(char* out, size_t capacity, const char* format, va_list args);

// As format_message, with the arguments given directly.
size_t format_message(char* out, size_t capacity, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace mote
