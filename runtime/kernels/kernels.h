// Every kernel mote implements, one function per op returning its registration. A firmware adds
// the ones its model needs to a MutableOpResolver; the linker drops the others.
#pragma once

#include "runtime/interpreter/kernel_registration.h"

namespace mote {
namespace kernels {

const KernelRegistration& add();
const KernelRegistration& average_pool_2d();
const KernelRegistration& concatenation();
const KernelRegistration& conv_2d();
const KernelRegistration& depthwise_conv_2d();
const KernelRegistration& dequantize();
const KernelRegistration& expand_dims();
const KernelRegistration& fully_connected();
const KernelRegistration& hard_swish();
const KernelRegistration& leaky_relu();
const KernelRegistration& logistic();
const KernelRegistration& max_pool_2d();
const KernelRegistration& mean();
const KernelRegistration& mul();
const KernelRegistration& pad();
const KernelRegistration& padv2();
const KernelRegistration& quantize();
const KernelRegistration& relu();
const KernelRegistration& relu6();
const KernelRegistration& relu_0_to_1();
const KernelRegistration& relu_n1_to_1();
const KernelRegistration& reshape();
const KernelRegistration& softmax();
const KernelRegistration& squeeze();
const KernelRegistration& strided_slice();
const KernelRegistration& sub();
const KernelRegistration& svdf();
const KernelRegistration& tanh();
const KernelRegistration& transpose();
const KernelRegistration& transpose_conv();
const KernelRegistration& unidirectional_sequence_lstm();

}  // namespace kernels
}  // namespace mote
