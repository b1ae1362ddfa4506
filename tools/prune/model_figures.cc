#include "tools/prune/model_figures.h"

#include "tools/analysis/op_cost.h"
#include "tools/graph/sparse_encoding.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {

ModelFigures model_figures(const Graph& graph) {
  const std::vector<std::uint8_t> bytes = write_tflite(graph);
  const auto loaded = LoadedModel::from_bytes(bytes, "the pruned model");
  const Model& model = loaded->model();
  ModelFigures f;
  f.file_bytes = bytes.size();
  const WeightTotals totals = weight_totals(model);
  f.parameters = totals.parameters;
  f.weight_bytes = totals.bytes;
  f.macs = model_macs(model);
  f.arena_bytes = measure_arena(model).total;
  for (std::size_t o = 0; o < graph.ops.size(); ++o) {
    if (op_macs(model, static_cast<std::uint32_t>(o)) == 0) continue;
    const std::int32_t w = graph.ops[o].input(1);
    if (w < 0 || !graph.tensors[static_cast<std::size_t>(w)].is_constant()) continue;
    const GraphTensor& t = graph.tensors[static_cast<std::size_t>(w)];
    f.weight_elements += t.elements();
    f.nonzero_weights += nonzero_elements(t);
  }
  return f;
}

}  // namespace mote::tools
