#include "runtime/kernels/internal/sparse_weights.h"

namespace mote {
namespace kernels {
namespace {

const tflite::SparsityParameters* sparsity_of(const OpContext& ctx, int input) {
  const int32_t index = ctx.input_index(input);
  if (index < 0) return nullptr;
  return ctx.model().tensor(static_cast<uint32_t>(index)).sparsity();
}

}  // namespace

bool is_stored_sparse(const OpContext& ctx, int input) {
  return sparsity_of(ctx, input) != nullptr;
}

Status plan_sparse_rows(PlanContext& ctx, int input, const char* role) {
  // A build without sparse weights refuses sparse tensors when it reads the model.
  if (!kSparseWeights) return Status::kOk;
  const tflite::SparsityParameters* sparsity = sparsity_of(ctx, input);
  if (sparsity == nullptr) return Status::kOk;
  const Tensor t = ctx.input(input);
  if (t.type != TensorType::INT8) {
    return ctx.fail(Status::kUnsupported, "sparse %s are %s; mote runs sparse int8 weights only",
                    role, tensor_type_name(t.type));
  }
  for (uint32_t c = 0; c < t.num_scales; ++c) {
    if (t.zero_points[c] != 0) {
      return ctx.fail(Status::kUnsupported, "sparse %s have zero point %d at channel %u, not 0",
                      role, static_cast<int>(t.zero_points[c]), c);
    }
  }
  // The verifier has checked the metadata against the shape; here only its form matters.
  const auto* order = sparsity->traversal_order();
  const auto* metadata = sparsity->dim_metadata();
  for (int32_t k = 0; k < t.rank; ++k) {
    const auto level = static_cast<uint32_t>(k);
    const bool last = k == t.rank - 1;
    const tflite::DimensionType want =
        last ? tflite::DimensionType::SPARSE_CSR : tflite::DimensionType::DENSE;
    if (order->Get(level) != k || metadata->Get(level)->format() != want) {
      return ctx.fail(Status::kUnsupported,
                      "sparse %s are not stored in rows (every dimension dense in order but the "
                      "last, compressed)",
                      role);
    }
  }
  ctx.accept_sparse_input(input);
  return Status::kOk;
}

SparseRows sparse_rows(const EvalContext& ctx, int input) {
  const tflite::SparsityParameters* sparsity = sparsity_of(ctx, input);
  const auto* metadata = sparsity->dim_metadata();
  const tflite::DimensionMetadata& last = *metadata->Get(metadata->size() - 1);
  SparseRows rows;
  rows.segments = sparse_segments(last);
  rows.indices = sparse_indices(last);
  rows.rows = rows.segments.size - 1;
  rows.values = ctx.input_data<int8_t>(input);
  return rows;
}

}  // namespace kernels
}  // namespace mote
