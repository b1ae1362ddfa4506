#include "runtime/kernels/internal/shape_util.h"

#include <cstring>

#include "runtime/core/format.h"
#include "runtime/model/model.h"

namespace mote {
namespace kernels {

int32_t int32_at(const Tensor& t, uint32_t i) {
  int32_t value;
  std::memcpy(&value, static_cast<const uint8_t*>(t.data) + 4 * i, sizeof(value));
  return value;
}

Status check_int32_constant(const OpContext& ctx, const Tensor& t, uint32_t count,
                            const char* role) {
  if (!t.present()) return ctx.fail(Status::kInvalidModel, "has no %s tensor", role);
  if (!t.is_constant) {
    return ctx.fail(Status::kUnsupported,
                    "%s tensor %d '%s' is computed at run time; mote needs it constant", role,
                    t.index, t.name);
  }
  if (t.type != TensorType::INT32) {
    return ctx.fail(Status::kUnsupported, "%s tensor %d '%s' is %s; TFLM reads it as int32 only",
                    role, t.index, t.name, tensor_type_name(t.type));
  }
  if (t.elements != count) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' has %u values, expected %u", role,
                    t.index, t.name, t.elements, count);
  }
  return Status::kOk;
}

Status check_output_shape(const OpContext& ctx, const Tensor& output, const int32_t* dims,
                          int rank) {
  bool same = output.rank == rank;
  for (int i = 0; same && i < rank; ++i) same = output.dims[i] == dims[i];
  if (same) return Status::kOk;
  char expected[8 * kMaxRank + 4];
  char actual[8 * kMaxRank + 4];
  format_shape(dims, rank, expected, sizeof(expected));
  format_shape(output.dims, output.rank, actual, sizeof(actual));
  return ctx.fail(Status::kInvalidModel, "output tensor %d '%s' has shape %s, expected %s",
                  output.index, output.name, actual, expected);
}

void row_major_strides(const int32_t* dims, int rank, uint32_t* strides) {
  uint32_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= static_cast<uint32_t>(dims[i]);
  }
}

void format_shape(const int32_t* dims, int rank, char* buffer, uint32_t size) {
  if (size == 0) return;
  size_t used = format_message(buffer, size, "[");
  for (int i = 0; i < rank && used < size; ++i) {
    used += format_message(buffer + used, size - used, i == 0 ? "%d" : ",%d",
                           static_cast<int>(dims[i]));
  }
  if (used < size) format_message(buffer + used, size - used, "]");
}

}  // namespace kernels
}  // namespace mote
