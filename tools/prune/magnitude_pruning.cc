#include "tools/prune/magnitude_pruning.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "tools/graph/sparse_encoding.h"
#include "tools/prune/tensor_slicing.h"

namespace mote::tools {
namespace {

using tflite::BuiltinOperator;

struct Target {
  std::size_t op;
  std::int32_t tensor;
};

bool prunable_op(BuiltinOperator code) {
  return code == BuiltinOperator::CONV_2D || code == BuiltinOperator::DEPTHWISE_CONV_2D ||
         code == BuiltinOperator::FULLY_CONNECTED;
}

// The kernels that run sparse weights: int8 FULLY_CONNECTED and CONV_2D with int8 inputs.
bool kernel_reads_sparse(const Graph& graph, const GraphOp& op) {
  if (op.code != BuiltinOperator::FULLY_CONNECTED && op.code != BuiltinOperator::CONV_2D) {
    return false;
  }
  const std::int32_t in = op.input(0);
  return in >= 0 && graph.tensors[static_cast<std::size_t>(in)].type == TensorType::INT8;
}

std::vector<Target> targets(const Graph& graph) {
  std::vector<Target> result;
  for (std::size_t o = 0; o < graph.ops.size(); ++o) {
    const GraphOp& op = graph.ops[o];
    if (!prunable_op(op.code)) continue;
    const std::int32_t w = op.input(1);
    if (w < 0) continue;
    const GraphTensor& t = graph.tensors[static_cast<std::size_t>(w)];
    if (!t.is_constant() || (t.type != TensorType::FLOAT32 && t.type != TensorType::INT8)) continue;
    // A tensor shared by two ops is pruned once.
    const bool seen =
        std::any_of(result.begin(), result.end(), [&](const Target& r) { return r.tensor == w; });
    if (!seen) result.push_back({o, w});
  }
  return result;
}

void zero_element(GraphTensor& t, std::size_t i) {
  const std::size_t size = tensor_type_size(t.type);
  std::memset(t.data.data() + i * size, 0, size);
}

}  // namespace

bool sparse_storage_pays(const GraphTensor& t) {
  return t.type == TensorType::INT8 && nonzero_elements(t) > 0 &&
         sparse_storage_bytes(t) < t.bytes();
}

std::vector<MagnitudeLayer> prune_magnitude(Graph& graph, const MagnitudeOptions& options) {
  if (!(options.sparsity >= 0.0 && options.sparsity <= 1.0)) {
    throw std::runtime_error(fmt::format("sparsity must be in [0, 1], got {}", options.sparsity));
  }
  const std::vector<Target> found = targets(graph);
  if (found.empty()) {
    throw std::runtime_error(
        "the model has no constant float32 or int8 weights of CONV_2D, DEPTHWISE_CONV_2D or "
        "FULLY_CONNECTED to prune");
  }
  std::vector<MagnitudeLayer> rows;
  for (const Target& target : found) {
    const GraphTensor& t = graph.tensors[static_cast<std::size_t>(target.tensor)];
    MagnitudeLayer row;
    row.op = target.op;
    row.op_name = op_name(graph.ops[target.op]);
    row.weights = t.name;
    row.elements = t.elements();
    row.zeros_before = row.elements - nonzero_elements(t);
    rows.push_back(row);
  }

  // (magnitude, target, element) of every candidate, smallest first; ties by position so that
  // the result does not depend on the sort.
  struct Entry {
    double magnitude;
    std::size_t target;
    std::size_t element;
  };
  auto prune_entries = [&](std::vector<Entry>& entries, std::size_t count) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      if (a.magnitude != b.magnitude) return a.magnitude < b.magnitude;
      if (a.target != b.target) return a.target < b.target;
      return a.element < b.element;
    });
    for (std::size_t k = 0; k < count && k < entries.size(); ++k) {
      zero_element(graph.tensors[static_cast<std::size_t>(found[entries[k].target].tensor)],
                   entries[k].element);
    }
  };
  auto entries_of = [&](std::size_t target, std::vector<Entry>& out) {
    const GraphTensor& t = graph.tensors[static_cast<std::size_t>(found[target].tensor)];
    for (std::size_t i = 0; i < t.elements(); ++i) {
      out.push_back({std::fabs(real_value(t, i)), target, i});
    }
  };
  if (options.scope == SparsityScope::kPerLayer) {
    for (std::size_t k = 0; k < found.size(); ++k) {
      std::vector<Entry> entries;
      entries_of(k, entries);
      prune_entries(entries, static_cast<std::size_t>(std::llround(
                                 options.sparsity * static_cast<double>(entries.size()))));
    }
  } else {
    std::vector<Entry> entries;
    for (std::size_t k = 0; k < found.size(); ++k) entries_of(k, entries);
    prune_entries(entries, static_cast<std::size_t>(std::llround(
                               options.sparsity * static_cast<double>(entries.size()))));
  }

  for (std::size_t k = 0; k < found.size(); ++k) {
    GraphTensor& t = graph.tensors[static_cast<std::size_t>(found[k].tensor)];
    rows[k].zeros_after = rows[k].elements - nonzero_elements(t);
    const GraphOp& op = graph.ops[found[k].op];
    // Every op reading the tensor must run sparse weights for it to be stored sparse.
    bool all_read_sparse = true;
    for (std::size_t c : graph.consumers(found[k].tensor)) {
      all_read_sparse =
          all_read_sparse && kernel_reads_sparse(graph, graph.ops[c]) &&
          graph.ops[c].input(1) == found[k].tensor &&
          std::count(graph.ops[c].inputs.begin(), graph.ops[c].inputs.end(), found[k].tensor) == 1;
    }
    t.sparse = options.store_sparse && all_read_sparse && kernel_reads_sparse(graph, op) &&
               sparse_storage_pays(t);
    rows[k].stored_sparse = t.sparse;
  }
  return rows;
}

}  // namespace mote::tools
