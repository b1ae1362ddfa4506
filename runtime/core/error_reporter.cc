#include "runtime/core/error_reporter.h"

#include "runtime/core/format.h"

namespace mote {

Status report_error_v(const ErrorReporter* reporter, Status status, const char* format,
                      va_list args) {
  if (reporter != nullptr && reporter->report != nullptr) {
    char message[kMaxErrorMessage];
    format_message(message, sizeof(message), format, args);
    reporter->report(reporter->user, message);
  }
  return status;
}

Status report_error(const ErrorReporter* reporter, Status status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  report_error_v(reporter, status, format, args);
  va_end(args);
  return status;
}

}  // namespace mote
