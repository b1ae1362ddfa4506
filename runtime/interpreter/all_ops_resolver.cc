#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::average_pool_2d());
  add(kernels::fully_connected());
  add(kernels::hard_swish());
  add(kernels::leaky_relu());
  add(kernels::max_pool_2d());
  add(kernels::relu());
  add(kernels::relu6());
  add(kernels::relu_0_to_1());
  add(kernels::relu_n1_to_1());
  add(kernels::reshape());
  add(kernels::softmax());
}

}  // namespace mote
