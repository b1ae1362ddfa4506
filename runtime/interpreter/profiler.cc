#include "runtime/interpreter/profiler.h"

namespace mote {

void Profiler::begin_invoke() {
  for (uint32_t i = 0; i < capacity_; ++i) op_ticks_[i] = 0;
  invoke_start_ = clock_(user_);
}

void Profiler::end_op(uint32_t op_index) {
  const uint64_t now = clock_(user_);
  if (op_index < capacity_) op_ticks_[op_index] = now - op_start_;
}

void Profiler::end_invoke() { invoke_ticks_ = clock_(user_) - invoke_start_; }

}  // namespace mote
