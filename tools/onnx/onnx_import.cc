#include "tools/onnx/onnx_import.h"

#include "tools/io/file_io.h"
#include "tools/onnx/graph_passes.h"
#include "tools/onnx/importer.h"
#include "tools/onnx/onnx_model.h"

namespace mote::tools {

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
  s.transposes = s.ops.count("TRANSPOSE") ? s.ops.at("TRANSPOSE") : 0;
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
