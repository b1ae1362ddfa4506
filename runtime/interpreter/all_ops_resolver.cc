#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::fully_connected());
  add(kernels::logistic());
  add(kernels::reshape());
  add(kernels::svdf());
  add(kernels::tanh());
  add(kernels::unidirectional_sequence_lstm());
}

}  // namespace mote
