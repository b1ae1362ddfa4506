#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::average_pool_2d());
  add(kernels::fully_connected());
  add(kernels::max_pool_2d());
  add(kernels::reshape());
  add(kernels::softmax());
}

}  // namespace mote
