#include "runtime/interpreter/all_ops_resolver.h"

#include "runtime/kernels/kernels.h"

namespace mote {

AllOpsResolver::AllOpsResolver() {
  add(kernels::add());
  add(kernels::dequantize());
  add(kernels::fully_connected());
  add(kernels::mul());
  add(kernels::quantize());
  add(kernels::reshape());
  add(kernels::sub());
}

}  // namespace mote
