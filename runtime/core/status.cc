#include "runtime/core/status.h"

namespace mote {

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk:
      return "Ok";
    case Status::kInvalidArgument:
      return "InvalidArgument";
    case Status::kInvalidModel:
      return "InvalidModel";
    case Status::kUnsupported:
      return "Unsupported";
    case Status::kArenaTooSmall:
      return "ArenaTooSmall";
    case Status::kNotAllocated:
      return "NotAllocated";
    case Status::kKernelError:
      return "KernelError";
    case Status::kMalformedData:
      return "MalformedData";
    case Status::kIoError:
      return "IoError";
  }
  return "Unknown";
}

}  // namespace mote
