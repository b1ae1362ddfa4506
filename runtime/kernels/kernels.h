// Every kernel mote implements, one function per op returning its registration. A firmware adds
// the ones its model needs to a MutableOpResolver; the linker drops the others.
#pragma once

#include "runtime/interpreter/kernel_registration.h"

namespace mote {
namespace kernels {

const KernelRegistration& average_pool_2d();
const KernelRegistration& fully_connected();
const KernelRegistration& hard_swish();
const KernelRegistration& leaky_relu();
const KernelRegistration& max_pool_2d();
const KernelRegistration& relu();
const KernelRegistration& relu6();
const KernelRegistration& relu_0_to_1();
const KernelRegistration& relu_n1_to_1();
const KernelRegistration& reshape();
const KernelRegistration& softmax();

}  // namespace kernels
}  // namespace mote
