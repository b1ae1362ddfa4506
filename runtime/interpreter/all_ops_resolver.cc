#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::conv_2d());
  add(kernels::depthwise_conv_2d());
  add(kernels::fully_connected());
  add(kernels::reshape());
  add(kernels::transpose_conv());
}

}  // namespace mote
