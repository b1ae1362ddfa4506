#include "tools/analysis/op_cost.h"

#include "runtime/model/sparsity.h"

namespace mote::tools {
namespace {

using tflite::BuiltinOperator;

// Dimension `d` (negative: from the end) of tensor `index`; 0 when absent or out of range.
std::uint64_t dim(const Model& model, std::int32_t index, int d) {
  if (index < 0) return 0;
  const auto* shape = model.tensor(static_cast<std::uint32_t>(index)).shape();
  if (shape == nullptr) return 0;
  const int rank = static_cast<int>(shape->size());
  if (d < 0) d += rank;
  if (d < 0 || d >= rank) return 0;
  return static_cast<std::uint64_t>(shape->Get(static_cast<std::uint32_t>(d)));
}

std::uint64_t elements(const Model& model, std::int32_t index) {
  return index < 0 ? 0 : model.tensor_elements(static_cast<std::uint32_t>(index));
}

std::int32_t input(const Model& model, std::uint32_t op, std::uint32_t i) {
  const auto* inputs = model.op(op).inputs();
  return inputs != nullptr && i < inputs->size() ? inputs->Get(i) : -1;
}

std::int32_t output(const Model& model, std::uint32_t op, std::uint32_t i) {
  const auto* outputs = model.op(op).outputs();
  return outputs != nullptr && i < outputs->size() ? outputs->Get(i) : -1;
}

// Values stored for constant tensor `index` (all its elements unless it is stored sparse).
std::uint64_t stored_values(const Model& model, std::int32_t index) {
  const auto t = static_cast<std::uint32_t>(index);
  if (model.tensor(t).sparsity() == nullptr) return model.tensor_elements(t);
  const tflite::Buffer* b = model.flatbuffer().buffers()->Get(model.tensor(t).buffer());
  return b->data()->size() / tensor_type_size(model.tensor(t).type());
}

// Bytes of the index vectors of a sparse tensor's metadata (0 for a dense one).
std::uint64_t sparse_index_bytes(const Model& model, std::uint32_t t) {
  const tflite::SparsityParameters* sparsity = model.tensor(t).sparsity();
  if (sparsity == nullptr || sparsity->dim_metadata() == nullptr) return 0;
  std::uint64_t bytes = 0;
  for (const tflite::DimensionMetadata* m : *sparsity->dim_metadata()) {
    const SparseIndexArray segments = sparse_segments(*m);
    const SparseIndexArray indices = sparse_indices(*m);
    bytes +=
        std::uint64_t{segments.size} * segments.width + std::uint64_t{indices.size} * indices.width;
  }
  return bytes;
}

}  // namespace

std::uint64_t op_macs(const Model& model, std::uint32_t op) {
  switch (model.op_code(op)) {
    case BuiltinOperator::FULLY_CONNECTED:
    case BuiltinOperator::CONV_2D: {
      // Every output element is a dot product over one output channel's weights (FULLY_CONNECTED
      // [out, depth], CONV_2D [out_c, kh, kw, in_c per group]); sparse weights are multiplied
      // only where a value is stored. Taps in the padding count, as for dense convolutions.
      const std::int32_t weights = input(model, op, 1);
      const std::uint64_t out_channels = dim(model, weights, 0);
      if (out_channels == 0 || weights < 0) return 0;
      return elements(model, output(model, op, 0)) / out_channels * stored_values(model, weights);
    }
    case BuiltinOperator::DEPTHWISE_CONV_2D:
      // Filter [1, kh, kw, out_c].
      return elements(model, output(model, op, 0)) * dim(model, input(model, op, 1), 1) *
             dim(model, input(model, op, 1), 2);
    case BuiltinOperator::TRANSPOSE_CONV: {
      // Inputs: output shape, filter [out_c, kh, kw, in_c], input. Each input element is
      // scattered through kh × kw × out_c weights.
      const std::int32_t filter = input(model, op, 1);
      return elements(model, input(model, op, 2)) * dim(model, filter, 0) * dim(model, filter, 1) *
             dim(model, filter, 2);
    }
    case BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM: {
      // Four gates, each a product of the input and of the previous output with the cell width,
      // per batch and time step; plus the optional projection.
      const std::int32_t in = input(model, op, 0);
      const std::uint64_t steps =
          elements(model, in) / (dim(model, in, -1) == 0 ? 1 : dim(model, in, -1));
      const std::uint64_t n_input = dim(model, in, -1);
      const std::uint64_t n_cell = dim(model, input(model, op, 2), 0);    // input-to-forget
      const std::uint64_t n_output = dim(model, input(model, op, 6), 1);  // recurrent-to-forget
      std::uint64_t macs = steps * 4 * n_cell * (n_input + n_output);
      const std::int32_t projection = input(model, op, 16);
      if (projection >= 0) macs += steps * n_output * n_cell;
      return macs;
    }
    case BuiltinOperator::SVDF: {
      // Feature weights [filters, input], time weights [filters, memory].
      const std::int32_t in = input(model, op, 0);
      const std::uint64_t batches = dim(model, in, 0);
      const std::int32_t feature = input(model, op, 1);
      const std::int32_t time = input(model, op, 2);
      return batches * (dim(model, feature, 0) * dim(model, feature, 1) +
                        dim(model, time, 0) * dim(model, time, 1));
    }
    default:
      return 0;
  }
}

std::uint64_t model_macs(const Model& model) {
  std::uint64_t total = 0;
  for (std::uint32_t o = 0; o < model.num_ops(); ++o) total += op_macs(model, o);
  return total;
}

WeightTotals weight_totals(const Model& model) {
  WeightTotals totals;
  for (std::uint32_t t = 0; t < model.num_tensors(); ++t) {
    if (model.constant_data(t) == nullptr) continue;
    // Sparse tensors: the stored values, and their bytes with the index vectors.
    const std::uint64_t values = stored_values(model, static_cast<std::int32_t>(t));
    totals.parameters += values;
    totals.bytes +=
        values * tensor_type_size(model.tensor(t).type()) + sparse_index_bytes(model, t);
  }
  return totals;
}

}  // namespace mote::tools
