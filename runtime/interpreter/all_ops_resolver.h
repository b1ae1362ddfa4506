// A resolver holding every kernel mote implements: convenient on the host and for trying a model,
// but it links every kernel. Firmware should list its ops in a MutableOpResolver instead.
#pragma once

#include "runtime/interpreter/op_resolver.h"

namespace mote {

// Room for every kernel in runtime/kernels/kernels.h.
constexpr uint32_t kMaxKernels = 64;

class AllOpsResolver : public MutableOpResolver<kMaxKernels> {
 public:
  AllOpsResolver();
};

}  // namespace mote
