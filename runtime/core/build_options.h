// What this build of the runtime holds. The kernels choose a path by tensor type at run time, so
// the linker keeps every path of every kernel a firmware registers; a firmware for an int8 model
// leaves out the float32 and 16-bit paths and sparse weights at compile time instead (`mote
// firmware` does so when the model needs none of them). Every part is in by default. A model
// that needs a part this build left out is refused when it is loaded or allocated, with the
// CMake option that puts the part back; it never runs a path that is not there.
#pragma once

#include "runtime/core/tensor_type.h"

#ifndef MOTE_FLOAT_KERNELS
#define MOTE_FLOAT_KERNELS 1
#endif
#ifndef MOTE_INT16_KERNELS
#define MOTE_INT16_KERNELS 1
#endif
#ifndef MOTE_SPARSE_WEIGHTS
#define MOTE_SPARSE_WEIGHTS 1
#endif

namespace mote {

// Kernels run float32 tensors (MOTE_FLOAT_KERNELS).
constexpr bool kFloatKernels = MOTE_FLOAT_KERNELS != 0;
// Kernels run int16 activations: the 16x8 paths and int16 element-wise ops (MOTE_INT16_KERNELS).
constexpr bool kInt16Kernels = MOTE_INT16_KERNELS != 0;
// The reader accepts, and the FULLY_CONNECTED and CONV_2D kernels run, sparse int8 weights
// (MOTE_SPARSE_WEIGHTS).
constexpr bool kSparseWeights = MOTE_SPARSE_WEIGHTS != 0;

// The CMake option that adds `type` to this build when the build left it out; nullptr when the
// build runs tensors of that type.
constexpr const char* option_missing_for(TensorType type) {
  if (type == TensorType::FLOAT32 && !kFloatKernels) return "MOTE_FLOAT_KERNELS";
  if (type == TensorType::INT16 && !kInt16Kernels) return "MOTE_INT16_KERNELS";
  return nullptr;
}

}  // namespace mote
