// Sparse weights as the FULLY_CONNECTED and CONV_2D int8 kernels read them: TFLite sparsity in
// row form, every dimension DENSE but the last, which is SPARSE_CSR, in storage order and without
// blocks. Row r (a weight row of FULLY_CONNECTED, one (out_c, ky, kx) tap of CONV_2D) keeps
// values[segments[r] .. segments[r + 1]) at last-dimension positions indices[...]. Zeros are
// simply not stored, so a kernel that walks the rows does only the multiplications that count,
// and (integer sums being exact) gives the dense kernel's bytes.
#pragma once

#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/model/sparsity.h"

namespace mote {
namespace kernels {

struct SparseRows {
  uint32_t rows = 0;
  SparseIndexArray segments;  // rows + 1 bounds
  SparseIndexArray indices;   // last-dimension position of every stored value
  const int8_t* values = nullptr;
};

// True when input `input` of the op is stored sparse.
bool is_stored_sparse(const OpContext& ctx, int input);

// As is_stored_sparse, and constant false in a build without sparse weights (whose reader
// refuses sparse tensors), so that the compiler drops the sparse paths.
inline bool is_sparse_input(const OpContext& ctx, int input) {
  return kSparseWeights && is_stored_sparse(ctx, input);
}

// For a sparse input `input`: refuses anything but int8 weights in row form with zero points 0
// (a stored zero must be a real zero for skipping it to be exact), then declares that the kernel
// reads the input sparse. Does nothing for a dense input.
Status plan_sparse_rows(PlanContext& ctx, int input, const char* role);

// The row view of input `input`, which plan_sparse_rows accepted.
SparseRows sparse_rows(const EvalContext& ctx, int input);

}  // namespace kernels
}  // namespace mote
