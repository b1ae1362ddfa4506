// Status codes returned by every runtime call that can fail. The message that explains a failure
// goes to the ErrorReporter; the code tells the caller what kind of failure it was.
#pragma once

#include <cstdint>

namespace mote {

enum class Status : uint8_t {
  kOk = 0,
  kInvalidArgument,  // the caller passed something wrong: null pointer, index out of range
  kInvalidModel,     // the model bytes are malformed or inconsistent
  kUnsupported,      // the model is valid but uses something this runtime does not run
  kArenaTooSmall,    // the arena cannot hold the memory plan; the message names the bytes needed
  kNotAllocated,     // invoke() or a tensor access before a successful allocate()
  kKernelError,      // a kernel refused its data while running
  kMalformedData,    // bytes from outside (a received packet, a stored record) fail validation
  kIoError,          // storage or a link failed; the operation may succeed when retried
};

// Returns a short constant name for `status`, e.g. "ArenaTooSmall".
const char* status_name(Status status);

}  // namespace mote

// Returns from the calling function when `expr` yields a status other than kOk.
#define MOTE_RETURN_IF_ERROR(expr)              \
  do {                                          \
    const ::mote::Status mote_status_ = (expr); \
    if (mote_status_ != ::mote::Status::kOk) {  \
      return mote_status_;                      \
    }                                           \
  } while (false)
