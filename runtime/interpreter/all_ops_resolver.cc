#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"
#include "runtime/kernels/optimized/optimized_kernels.h"

namespace mote {

KernelSet default_kernel_set() {
#if defined(MOTE_OPTIMIZED_KERNELS) && MOTE_OPTIMIZED_KERNELS
  return KernelSet::kOptimized;
#else
  return KernelSet::kReference;
#endif
}

AllOpsResolver::AllOpsResolver(KernelSet set) {
  const bool optimized =
      (set == KernelSet::kDefault ? default_kernel_set() : set) == KernelSet::kOptimized;
  add(kernels::add());
  add(kernels::average_pool_2d());
  add(kernels::concatenation());
  add(optimized ? kernels::optimized::conv_2d() : kernels::conv_2d());
  add(optimized ? kernels::optimized::depthwise_conv_2d() : kernels::depthwise_conv_2d());
  add(kernels::dequantize());
  add(kernels::expand_dims());
  add(optimized ? kernels::optimized::fully_connected() : kernels::fully_connected());
  add(kernels::hard_swish());
  add(kernels::leaky_relu());
  add(kernels::logistic());
  add(kernels::max_pool_2d());
  add(kernels::mean());
  add(kernels::mul());
  add(kernels::pad());
  add(kernels::padv2());
  add(kernels::quantize());
  add(kernels::relu());
  add(kernels::relu6());
  add(kernels::relu_0_to_1());
  add(kernels::relu_n1_to_1());
  add(kernels::reshape());
  add(kernels::softmax());
  add(kernels::squeeze());
  add(kernels::strided_slice());
  add(kernels::sub());
  add(kernels::svdf());
  add(kernels::tanh());
  add(kernels::transpose());
  add(kernels::transpose_conv());
  add(kernels::unidirectional_sequence_lstm());
}

}  // namespace mote
