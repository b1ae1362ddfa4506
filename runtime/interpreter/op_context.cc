#include "runtime/interpreter/op_context.h"

#include <cstdarg>

#include "runtime/core/format.h"

namespace mote {

const char* OpContext::op_name() const {
  const char* custom = state_.model->op_custom_code(op_index_);
  return custom != nullptr ? custom : builtin_op_name(op_code());
}

int32_t OpContext::input_index(int i) const {
  if (i < 0 || i >= num_inputs()) return -1;
  return op_.inputs()->Get(static_cast<uint32_t>(i));
}

int32_t OpContext::output_index(int i) const {
  if (i < 0 || i >= num_outputs()) return -1;
  return op_.outputs()->Get(static_cast<uint32_t>(i));
}

Tensor OpContext::input(int i) const { return tensor_view(input_index(i)); }

Tensor OpContext::output(int i) const { return tensor_view(output_index(i)); }

Tensor OpContext::tensor_view(int32_t index) const { return mote::tensor_view(state_, index); }

Status OpContext::fail(Status status, const char* format, ...) const {
  char detail[kMaxErrorMessage];
  va_list args;
  va_start(args, format);
  format_message(detail, sizeof(detail), format, args);
  va_end(args);
  return report_error(state_.reporter, status, "op %u (%s): %s", op_index_, op_name(), detail);
}

Status PlanContext::request_scratch(uint32_t bytes, int* handle) {
  if (request_->num_scratch >= kMaxScratchPerOp) {
    return fail(Status::kUnsupported, "asks for more than %d scratch buffers", kMaxScratchPerOp);
  }
  request_->scratch_bytes[request_->num_scratch] = bytes;
  *handle = request_->num_scratch++;
  return Status::kOk;
}

void* InitContext::raw_op_data() const {
  const uint32_t offset = state_.ops[op_index_].op_data;
  return offset == kNoLocation ? nullptr : state_.arena + offset;
}

void* EvalContext::raw_op_data() const {
  const uint32_t offset = state_.ops[op_index_].op_data;
  return offset == kNoLocation ? nullptr : state_.arena + offset;
}

void* EvalContext::scratch(int handle) const {
  const uint32_t offset = state_.scratch_offsets[state_.ops[op_index_].first_scratch + handle];
  return state_.arena + offset;
}

}  // namespace mote
