#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::add());
  add(kernels::conv_2d());
  add(kernels::depthwise_conv_2d());
  add(kernels::dequantize());
  add(kernels::fully_connected());
  add(kernels::mul());
  add(kernels::quantize());
  add(kernels::reshape());
  add(kernels::sub());
  add(kernels::transpose_conv());
}

}  // namespace mote
