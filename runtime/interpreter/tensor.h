// The view of one tensor that kernels and applications work with: type, shape and quantization
// read from the model, plus where its bytes are.
#pragma once

#include <cstdint>

#include "runtime/core/tensor_type.h"

namespace mote {

struct Tensor {
  int32_t index = -1;  // tensor index in the model; -1 for an absent optional input
  TensorType type = TensorType::FLOAT32;
  int32_t rank = 0;
  const int32_t* dims = nullptr;  // `rank` entries, inside the model
  uint32_t elements = 0;
  uint32_t bytes = 0;
  // Quantization: none (num_scales == 0), per tensor (1) or per channel along
  // quantized_dimension. The arrays live inside the model.
  uint32_t num_scales = 0;
  const float* scales = nullptr;
  const int64_t* zero_points = nullptr;
  int32_t quantized_dimension = 0;
  // Constant tensors point into the model; activations point into the arena once allocated and
  // are null before that.
  void* data = nullptr;
  bool is_constant = false;
  bool is_variable = false;
  const char* name = "";

  bool present() const { return index >= 0; }
  // Size of dimension `i`; a negative `i` counts from the last dimension.
  int32_t dim(int i) const { return dims[i < 0 ? rank + i : i]; }
  // Per-tensor scale (the first channel's for per-channel tensors); 0 when not quantized.
  float scale() const { return num_scales > 0 ? scales[0] : 0.0f; }
  // Per-tensor zero point (the first channel's); 0 when not quantized.
  int32_t zero_point() const { return num_scales > 0 ? static_cast<int32_t>(zero_points[0]) : 0; }

  template <typename T>
  T* data_as() const {
    return static_cast<T*>(data);
  }
};

// True when `a` and `b` have the same rank and dimensions.
bool same_shape(const Tensor& a, const Tensor& b);

// Product of dimensions [first, last) of `t`.
uint32_t dims_product(const Tensor& t, int first, int last);

}  // namespace mote
