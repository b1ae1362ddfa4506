// Where the runtime's error messages go. The runtime never prints; it formats a message and hands
// it to the reporter the application gave it (a UART, a log, a test's collector). Without a
// reporter, messages are dropped and only the status code remains.
#pragma once

#include <cstdarg>

#include "runtime/core/status.h"

namespace mote {

struct ErrorReporter {
  // Receives one complete message, valid only for the duration of the call.
  void (*report)(void* user, const char* message);
  void* user;
};

// Longest message the runtime formats (longer ones are cut); it lives on the stack while reported.
constexpr int kMaxErrorMessage = 192;

// Formats a message, hands it to `reporter` (which may be null) and returns `status`.
Status report_error(const ErrorReporter* reporter, Status status, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

// As report_error with a va_list.
Status report_error_v(const ErrorReporter* reporter, Status status, const char* format,
                      va_list args);

}  // namespace mote
