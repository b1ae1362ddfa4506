// TFLite sparse storage of constant tensors for the graph IR, which always holds data dense:
// decoding any element-wise sparsity a file may hold, and encoding in the row form mote's
// FULLY_CONNECTED and CONV_2D int8 kernels run (every dimension DENSE but the last, SPARSE_CSR,
// indices and segments in the narrowest of uint8 / uint16 / int32 that holds them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

// The dense bytes of a tensor of `shape` and `type` stored as `values` under `sparsity`
// (verified by the runtime's reader: no block map). Throws on a block map.
std::vector<std::uint8_t> densify(const tflite::SparsityParametersT& sparsity,
                                  const std::vector<std::int32_t>& shape, TensorType type,
                                  const std::vector<std::uint8_t>& values);

struct SparseEncoding {
  std::unique_ptr<tflite::SparsityParametersT> sparsity;
  std::vector<std::uint8_t> values;  // the non-zero elements, in row order
};

// `t` (constant, rank >= 1) in row form. Zero elements (all bytes 0) are left out.
SparseEncoding encode_sparse_rows(const GraphTensor& t);

// Elements of `t` whose bytes are not all zero.
std::size_t nonzero_elements(const GraphTensor& t);

// Bytes `t` takes in a model in row form: values, segments and indices.
std::size_t sparse_storage_bytes(const GraphTensor& t);

}  // namespace mote::tools
