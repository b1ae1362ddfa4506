#include "tools/graph/tflite_io.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "runtime/model/model.h"
#include "tools/graph/sparse_encoding.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"

namespace mote::tools {
namespace {

tflite::BuiltinOperator code_of(const tflite::OperatorCodeT& code) {
  const int deprecated = code.deprecated_builtin_code;
  const int extended = static_cast<int>(code.builtin_code);
  return static_cast<tflite::BuiltinOperator>(std::max(deprecated, extended));
}

}  // namespace

Graph read_tflite(std::span<const std::uint8_t> bytes, const std::string& what) {
  // The runtime's verifier and semantic checks first: the tools accept what the device accepts.
  const auto loaded = LoadedModel::from_bytes(bytes, what);
  const std::unique_ptr<tflite::ModelT> model(tflite::GetModel(loaded->bytes().data())->UnPack());
  const tflite::SubGraphT& sub = *model->subgraphs.at(0);

  Graph graph;
  graph.name = sub.name;
  graph.description = model->description;
  graph.inputs = sub.inputs;
  graph.outputs = sub.outputs;
  for (const auto& t : sub.tensors) {
    GraphTensor tensor;
    tensor.name = t->name;
    tensor.type = t->type;
    tensor.shape = t->shape;
    tensor.shape_signature = t->shape_signature;
    tensor.is_variable = t->is_variable;
    if (t->quantization) {
      tensor.quant.scale = t->quantization->scale;
      tensor.quant.zero_point = t->quantization->zero_point;
      tensor.quant.axis = t->quantization->quantized_dimension;
      tensor.quant.min = t->quantization->min;
      tensor.quant.max = t->quantization->max;
    }
    if (!t->is_variable && t->buffer < model->buffers.size()) {
      tensor.data = model->buffers[t->buffer]->data;
    }
    if (t->sparsity) {
      // The graph holds every constant dense; the flag keeps the storage choice for writing.
      tensor.data = densify(*t->sparsity, tensor.shape, tensor.type, tensor.data);
      tensor.sparse = true;
    }
    graph.tensors.push_back(std::move(tensor));
  }
  for (const auto& o : sub.operators) {
    GraphOp op;
    const tflite::OperatorCodeT& code = *model->operator_codes.at(o->opcode_index);
    op.code = code_of(code);
    op.custom_code = code.custom_code;
    op.version = code.version;
    op.inputs = o->inputs;
    op.outputs = o->outputs;
    op.intermediates = o->intermediates;
    op.options = o->builtin_options;
    op.custom_options = o->custom_options;
    graph.ops.push_back(std::move(op));
  }
  for (const auto& m : model->metadata) {
    GraphMetadata meta;
    meta.name = m->name;
    if (m->buffer < model->buffers.size()) meta.data = model->buffers[m->buffer]->data;
    graph.metadata.push_back(std::move(meta));
  }
  return graph;
}

Graph read_tflite_file(const std::filesystem::path& path) {
  const AlignedBuffer bytes = read_file(path);
  return read_tflite(bytes.bytes(), path.string());
}

std::vector<std::uint8_t> write_tflite(const Graph& graph) {
  tflite::ModelT model;
  model.version = 3;
  model.description = graph.description;
  model.buffers.push_back(std::make_unique<tflite::BufferT>());  // the empty sentinel buffer 0

  // Identical constants share a buffer: converters often emit the same table twice.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buffers_by_hash;
  auto buffer_for = [&](const std::vector<std::uint8_t>& data) -> std::uint32_t {
    if (data.empty()) return 0;
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
    for (std::uint8_t byte : data) hash = (hash ^ byte) * 1099511628211ull;
    std::vector<std::uint32_t>& candidates = buffers_by_hash[hash];
    for (std::uint32_t index : candidates) {
      const std::vector<std::uint8_t>& existing = model.buffers[index]->data;
      if (existing.size() == data.size() &&
          std::equal(existing.begin(), existing.end(), data.begin())) {
        return index;
      }
    }
    const auto index = static_cast<std::uint32_t>(model.buffers.size());
    auto buffer = std::make_unique<tflite::BufferT>();
    buffer->data = data;
    model.buffers.push_back(std::move(buffer));
    candidates.push_back(index);
    return index;
  };

  auto sub = std::make_unique<tflite::SubGraphT>();
  sub->name = graph.name;
  sub->inputs = graph.inputs;
  sub->outputs = graph.outputs;
  for (const GraphTensor& t : graph.tensors) {
    auto tensor = std::make_unique<tflite::TensorT>();
    tensor->name = t.name;
    tensor->type = t.type;
    tensor->shape = t.shape;
    tensor->shape_signature = t.shape_signature;
    tensor->is_variable = t.is_variable;
    // A sparse tensor with no non-zero value would have an empty buffer, which reads as no data
    // at all: such a tensor is written dense.
    if (t.sparse && !t.is_variable && t.is_constant() && nonzero_elements(t) > 0) {
      SparseEncoding encoded = encode_sparse_rows(t);
      tensor->buffer = buffer_for(encoded.values);
      tensor->sparsity = std::move(encoded.sparsity);
    } else {
      tensor->buffer = t.is_variable ? 0 : buffer_for(t.data);
    }
    if (t.quant.quantized() || !t.quant.min.empty()) {
      auto q = std::make_unique<tflite::QuantizationParametersT>();
      q->scale = t.quant.scale;
      q->zero_point = t.quant.zero_point;
      q->quantized_dimension = t.quant.axis;
      q->min = t.quant.min;
      q->max = t.quant.max;
      tensor->quantization = std::move(q);
    }
    sub->tensors.push_back(std::move(tensor));
  }

  std::vector<std::tuple<tflite::BuiltinOperator, std::string, int>> codes;
  for (const GraphOp& op : graph.ops) {
    const auto key = std::make_tuple(op.code, op.custom_code, op.version);
    auto found = std::find(codes.begin(), codes.end(), key);
    const auto index = static_cast<std::uint32_t>(found - codes.begin());
    if (found == codes.end()) {
      codes.push_back(key);
      auto code = std::make_unique<tflite::OperatorCodeT>();
      const int value = static_cast<int>(op.code);
      // Codes from 127 on live only in the extended field; the byte holds the placeholder.
      code->deprecated_builtin_code = static_cast<std::int8_t>(std::min(value, 127));
      code->builtin_code = op.code;
      code->custom_code = op.custom_code;
      code->version = op.version;
      model.operator_codes.push_back(std::move(code));
    }
    auto o = std::make_unique<tflite::OperatorT>();
    o->opcode_index = index;
    o->inputs = op.inputs;
    o->outputs = op.outputs;
    o->intermediates = op.intermediates;
    o->builtin_options = op.options;
    o->custom_options = op.custom_options;
    sub->operators.push_back(std::move(o));
  }
  model.subgraphs.push_back(std::move(sub));

  for (const GraphMetadata& m : graph.metadata) {
    auto meta = std::make_unique<tflite::MetadataT>();
    meta->name = m.name;
    auto buffer = std::make_unique<tflite::BufferT>();
    buffer->data = m.data;
    meta->buffer = static_cast<std::uint32_t>(model.buffers.size());
    model.buffers.push_back(std::move(buffer));
    model.metadata.push_back(std::move(meta));
  }

  flatbuffers::FlatBufferBuilder fbb;
  tflite::FinishModelBuffer(fbb, tflite::Model::Pack(fbb, &model));
  std::vector<std::uint8_t> bytes(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  // What we write must be what a device accepts.
  LoadedModel::from_bytes(bytes, "the written model");
  return bytes;
}

void write_tflite_file(const Graph& graph, const std::filesystem::path& path) {
  write_file(path, write_tflite(graph));
}

}  // namespace mote::tools
