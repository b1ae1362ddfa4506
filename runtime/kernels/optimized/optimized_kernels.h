// Kernels optimized for int8 on cores with the Armv7E-M DSP extension (Cortex-M4/M7/M33), one op
// per file beside this header. Each plans exactly as the reference kernel of its op (same
// checks, same op data, no extra scratch), so a model needs the same arena bytes with either;
// int8 cases it has a fast path for run it, everything else runs the reference code. On other
// cores the same code runs in portable C (simd.h), which is how the host tests it.
//
// Which set a resolver holds is the application's choice (AllOpsResolver: KernelSet).
#pragma once

#include "runtime/interpreter/kernel_registration.h"

namespace mote {
namespace kernels {
namespace optimized {

const KernelRegistration& conv_2d();
const KernelRegistration& depthwise_conv_2d();
const KernelRegistration& fully_connected();

}  // namespace optimized
}  // namespace kernels
}  // namespace mote
