// A resolver holding every kernel mote implements: convenient on the host and for trying a model,
// but it links every kernel. Firmware should list its ops in a MutableOpResolver instead.
#pragma once

#include "runtime/interpreter/op_resolver.h"

namespace mote {

// Room for every kernel in runtime/kernels/kernels.h.
constexpr uint32_t kMaxKernels = 64;

// Which CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels a resolver holds: the reference
// ones (runtime/kernels/), the optimized ones (runtime/kernels/optimized/), or the build's
// default (optimized when built with MOTE_OPTIMIZED_KERNELS, as Cortex-M4 builds are). Both give
// the same bytes and need the same arena.
enum class KernelSet { kDefault, kReference, kOptimized };

// The set kDefault stands for in this build (kReference or kOptimized).
KernelSet default_kernel_set();

class AllOpsResolver : public MutableOpResolver<kMaxKernels> {
 public:
  explicit AllOpsResolver(KernelSet set = KernelSet::kDefault);
};

}  // namespace mote
