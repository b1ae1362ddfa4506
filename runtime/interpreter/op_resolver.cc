#include "runtime/interpreter/op_resolver.h"

#include <cstring>

namespace mote {

int OpResolver::find(tflite::BuiltinOperator op, const char* custom_code) const {
  for (uint32_t i = 0; i < count_; ++i) {
    const KernelRegistration& k = *kernels_[i];
    if (k.op != op) continue;
    if (op != tflite::BuiltinOperator::CUSTOM) return static_cast<int>(i);
    if (custom_code != nullptr && k.custom_code != nullptr &&
        std::strcmp(custom_code, k.custom_code) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

Status OpResolver::add_kernel(const KernelRegistration& kernel) {
  if (find(kernel.op, kernel.custom_code) >= 0) return Status::kInvalidArgument;
  if (count_ >= capacity_) return Status::kInvalidArgument;
  kernels_[count_++] = &kernel;
  return Status::kOk;
}

}  // namespace mote
