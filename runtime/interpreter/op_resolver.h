// Which kernels a firmware links. A MutableOpResolver holds only the kernels the application adds,
// so the linker drops every other kernel; AllOpsResolver (all_ops_resolver.h) holds them all.
#pragma once

#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/interpreter/kernel_registration.h"

namespace mote {

class OpResolver {
 public:
  OpResolver(const OpResolver&) = delete;
  OpResolver& operator=(const OpResolver&) = delete;

  // Index of the kernel for builtin `op` (or, for CUSTOM, the kernel whose custom code equals
  // `custom_code`); -1 when the resolver has none.
  int find(tflite::BuiltinOperator op, const char* custom_code) const;
  uint32_t size() const { return count_; }
  const KernelRegistration& kernel(uint32_t index) const { return *kernels_[index]; }

 protected:
  OpResolver(const KernelRegistration** storage, uint32_t capacity)
      : kernels_(storage), capacity_(capacity) {}
  ~OpResolver() = default;

  // Adds `kernel`; refuses a second kernel for the same op and a full resolver.
  Status add_kernel(const KernelRegistration& kernel);

 private:
  const KernelRegistration** kernels_;
  uint32_t capacity_;
  uint32_t count_ = 0;
};

// A resolver with room for `N` kernels, filled by the application:
//   MutableOpResolver<3> resolver;
//   resolver.add(kernels::conv_2d());
template <uint32_t N>
class MutableOpResolver : public OpResolver {
 public:
  MutableOpResolver() : OpResolver(storage_, N) {}

  // Adds `kernel`; fails when the resolver is full or already has a kernel for that op.
  Status add(const KernelRegistration& kernel) { return add_kernel(kernel); }

 private:
  const KernelRegistration* storage_[N] = {};
};

}  // namespace mote
