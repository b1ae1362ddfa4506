#include "runtime/interpreter/tensor.h"

namespace mote {

bool same_shape(const Tensor& a, const Tensor& b) {
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i) {
    if (a.dims[i] != b.dims[i]) return false;
  }
  return true;
}

uint32_t dims_product(const Tensor& t, int first, int last) {
  uint32_t n = 1;
  for (int i = first; i < last; ++i) n *= static_cast<uint32_t>(t.dims[i]);
  return n;
}

}  // namespace mote
