// Every kernel mote implements, one function per op returning its registration. A firmware adds
// the ones its model needs to a MutableOpResolver; the linker drops the others.
#pragma once

#include "runtime/interpreter/kernel_registration.h"

namespace mote {
namespace kernels {

const KernelRegistration& fully_connected();
const KernelRegistration& logistic();
const KernelRegistration& reshape();
const KernelRegistration& svdf();
const KernelRegistration& tanh();
const KernelRegistration& unidirectional_sequence_lstm();

}  // namespace kernels
}  // namespace mote
