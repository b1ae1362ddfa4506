// TFLite's sparse tensor storage (SparsityParameters): the dimensions are walked in
// traversal_order; a DENSE level keeps every index of its dimension, a SPARSE_CSR level keeps
// only the listed ones (array_segments[p] .. array_segments[p + 1] of array_indices for parent
// position p). The buffer holds the values of the last level's positions only. mote reads the
// general form in its verifier and runs the row form (every dimension DENSE but the last,
// SPARSE_CSR, in order, no blocks) in its FULLY_CONNECTED and CONV_2D int8 kernels.
#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {

// One array_segments or array_indices vector, whatever its element width (uint8, uint16,
// int32). Elements are read little-endian, as flatbuffers stores them.
struct SparseIndexArray {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  uint8_t width = 0;  // bytes per element; 0 when the vector is absent

  bool present() const { return width != 0; }
  // Element `k` (k < size); int32 elements below zero read as values above INT32_MAX.
  uint32_t get(uint32_t k) const {
    if (width == 1) return data[k];
    if (width == 2) {
      uint16_t v;
      std::memcpy(&v, data + 2 * k, 2);
      return v;
    }
    uint32_t v;
    std::memcpy(&v, data + 4 * k, 4);
    return v;
  }
};

// The segments / indices of dimension metadata `m` (absent arrays have width 0).
SparseIndexArray sparse_segments(const tflite::DimensionMetadata& m);
SparseIndexArray sparse_indices(const tflite::DimensionMetadata& m);

// Checks the sparsity parameters of tensor `index` ('name', `rank` dimensions `shape`):
// traversal order a permutation of the dimensions, no block map (mote does not read block
// sparsity), one metadata entry per dimension, DENSE sizes equal to the dimension, and for every
// SPARSE_CSR level segments that start at 0, never decrease, end at the number of indices and
// number one more than the parent positions, with indices inside the dimension and strictly
// increasing within a segment. Sets `stored_elements` to the values the buffer must hold.
Status check_sparsity(const tflite::SparsityParameters& sparsity, uint32_t index, const char* name,
                      const flatbuffers::Vector<int32_t>* shape, const ErrorReporter* reporter,
                      uint64_t* stored_elements);

}  // namespace mote
