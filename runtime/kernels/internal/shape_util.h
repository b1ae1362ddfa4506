// Helpers of the data-movement kernels (PAD, STRIDED_SLICE, TRANSPOSE, MEAN, ...): reading the
// small constant index tensors that parameterise them, and row-major strides.
#pragma once

#include <cstdint>

#include "runtime/interpreter/op_context.h"

namespace mote {
namespace kernels {

// Element `i` of the int32 tensor `t`; `t` must hold at least i + 1 int32 values. Constant data
// inside a model carries no alignment promise the compiler could rely on, hence the copy.
int32_t int32_at(const Tensor& t, uint32_t i);

// Refuses the op unless `t` is present, constant, int32 and holds exactly `count` values (TFLM
// reads such index tensors as int32 whatever their type, and needs them at planning time).
Status check_int32_constant(const OpContext& ctx, const Tensor& t, uint32_t count,
                            const char* role);

// Refuses the op unless `output` has rank `rank` and dimensions `dims`; the message shows both
// shapes.
Status check_output_shape(const OpContext& ctx, const Tensor& output, const int32_t* dims,
                          int rank);

// Row-major strides (in elements) of a tensor with `rank` dimensions `dims`.
void row_major_strides(const int32_t* dims, int rank, uint32_t* strides);

// Writes "[d0,d1,...]" into `buffer` (always terminated).
void format_shape(const int32_t* dims, int rank, char* buffer, uint32_t size);

}  // namespace kernels
}  // namespace mote
