#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::concatenation());
  add(kernels::expand_dims());
  add(kernels::fully_connected());
  add(kernels::mean());
  add(kernels::pad());
  add(kernels::padv2());
  add(kernels::reshape());
  add(kernels::squeeze());
  add(kernels::strided_slice());
  add(kernels::transpose());
}

}  // namespace mote
