#include "tools/onnx/onnx_import.h"

#include <algorithm>

#include "tools/io/file_io.h"
#include "tools/onnx/graph_passes.h"
#include "tools/onnx/importer.h"
#include "tools/onnx/onnx_model.h"

namespace mote::tools {
namespace {

bool contains(const std::vector<std::int32_t>& list, std::int32_t t) {
  return std::find(list.begin(), list.end(), t) != list.end();
}

// Whether `t` is a model input, seen through RESHAPEs (which move no data).
bool reads_input(const Graph& g, std::int32_t t) {
  for (;;) {
    if (contains(g.inputs, t)) return true;
    const auto p = g.producer(t);
    if (!p || g.ops[*p].code != tflite::BuiltinOperator::RESHAPE) return false;
    t = g.ops[*p].inputs[0];
  }
}

// Whether `t` becomes a model output, through RESHAPEs only.
bool makes_output(const Graph& g, std::int32_t t) {
  for (;;) {
    if (contains(g.outputs, t)) return true;
    const auto c = g.consumers(t);
    if (c.size() != 1 || g.ops[c[0]].code != tflite::BuiltinOperator::RESHAPE) return false;
    t = g.ops[c[0]].outputs[0];
  }
}

}  // namespace

Graph import_onnx(std::span<const std::uint8_t> bytes, const std::string& what,
                  const OnnxImportOptions& options, OnnxImportSummary* summary) {
  OnnxImportSummary local;
  OnnxImportSummary& s = summary ? *summary : local;
  s = OnnxImportSummary{};
  const onnx::ModelProto model = onnx_import::parse_model(bytes, what);
  Graph graph;
  try {
    graph = onnx_import::Importer(model, options, s).run();
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
  s.affine_folded = fold_affine_into_weights(graph);
  s.activations_fused = fuse_activations(graph);
  remove_redundant_ops(graph);
  set_float_op_versions(graph);

  for (const GraphOp& op : graph.ops) ++s.ops[op_name(op)];
  for (const GraphOp& op : graph.ops) {
    if (op.code != tflite::BuiltinOperator::TRANSPOSE) continue;
    ++s.transposes;
    if (reads_input(graph, op.inputs[0])) {
      ++s.transposes_at_inputs;
    } else if (makes_output(graph, op.outputs[0])) {
      ++s.transposes_at_outputs;
    } else {
      ++s.transposes_inside;
    }
  }
  for (const GraphTensor& t : graph.tensors) {
    if (t.is_constant() && t.type == TensorType::FLOAT32) {
      s.parameters += static_cast<std::int64_t>(t.elements());
    }
  }
  return graph;
}

Graph import_onnx_file(const std::filesystem::path& path, const OnnxImportOptions& options,
                       OnnxImportSummary* summary) {
  const AlignedBuffer bytes = read_file(path);
  return import_onnx(bytes.bytes(), path.string(), options, summary);
}

}  // namespace mote::tools
