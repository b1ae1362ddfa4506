#include "tests/support/model_builder.h"

namespace mote::testing {

ModelBuilder::ModelBuilder() {
  // Buffer 0 is TFLite's empty sentinel.
  buffers_.push_back(tflite::CreateBuffer(fbb_));
}

int ModelBuilder::add_tensor(tflite::TensorType type, std::vector<std::int32_t> shape,
                             const Quant& q, std::uint32_t buffer, bool is_variable,
                             const std::string& name, bool marked_sparse) {
  flatbuffers::Offset<tflite::QuantizationParameters> quantization = 0;
  if (!q.scales.empty()) {
    quantization = tflite::CreateQuantizationParametersDirect(
        fbb_, nullptr, nullptr, &q.scales, &q.zero_points, tflite::QuantizationDetails::NONE, 0,
        q.dimension);
  }
  std::string tensor_name = name;
  if (tensor_name.empty()) tensor_name = std::string("t").append(std::to_string(tensors_.size()));
  flatbuffers::Offset<tflite::SparsityParameters> sparsity = 0;
  if (marked_sparse) sparsity = tflite::CreateSparsityParameters(fbb_);
  tensors_.push_back(tflite::CreateTensorDirect(fbb_, &shape, type, buffer, tensor_name.c_str(),
                                                quantization, is_variable, sparsity));
  return static_cast<int>(tensors_.size() - 1);
}

int ModelBuilder::tensor(tflite::TensorType type, std::vector<std::int32_t> shape, Quant q,
                         const std::string& name) {
  return add_tensor(type, std::move(shape), q, 0, false, name);
}

int ModelBuilder::variable(tflite::TensorType type, std::vector<std::int32_t> shape, Quant q) {
  return add_tensor(type, std::move(shape), q, 0, true, "");
}

int ModelBuilder::constant_bytes(tflite::TensorType type, std::vector<std::int32_t> shape,
                                 std::span<const std::uint8_t> bytes, Quant q) {
  fbb_.ForceVectorAlignment(bytes.size(), 1, 16);
  const auto data = fbb_.CreateVector(bytes.data(), bytes.size());
  buffers_.push_back(tflite::CreateBuffer(fbb_, data));
  return add_tensor(type, std::move(shape), q, static_cast<std::uint32_t>(buffers_.size() - 1),
                    false, "");
}

int ModelBuilder::constant_marked_sparse(tflite::TensorType type, std::vector<std::int32_t> shape,
                                         std::span<const std::uint8_t> bytes, Quant q) {
  fbb_.ForceVectorAlignment(bytes.size(), 1, 16);
  const auto data = fbb_.CreateVector(bytes.data(), bytes.size());
  buffers_.push_back(tflite::CreateBuffer(fbb_, data));
  return add_tensor(type, std::move(shape), q, static_cast<std::uint32_t>(buffers_.size() - 1),
                    false, "", true);
}

int ModelBuilder::opcode_index(tflite::BuiltinOperator code, const std::string& custom,
                               int version) {
  for (std::size_t i = 0; i < opcodes_.size(); ++i) {
    if (opcodes_[i].code == code && opcodes_[i].custom == custom &&
        opcodes_[i].version == version) {
      return static_cast<int>(i);
    }
  }
  opcodes_.push_back({code, custom, version});
  return static_cast<int>(opcodes_.size() - 1);
}

void ModelBuilder::op(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
                      std::vector<std::int32_t> outputs, tflite::BuiltinOptions options_type,
                      flatbuffers::Offset<void> options, int version) {
  const int index = opcode_index(code, "", version);
  ops_.push_back(tflite::CreateOperatorDirect(fbb_, static_cast<std::uint32_t>(index), &inputs,
                                              &outputs, options_type, options));
}

void ModelBuilder::custom_op(const std::string& custom_code, std::vector<std::int32_t> inputs,
                             std::vector<std::int32_t> outputs) {
  const int index = opcode_index(tflite::BuiltinOperator::CUSTOM, custom_code, 1);
  ops_.push_back(
      tflite::CreateOperatorDirect(fbb_, static_cast<std::uint32_t>(index), &inputs, &outputs));
}

tools::AlignedBuffer ModelBuilder::build() {
  if (finished_) {
    return tools::AlignedBuffer(
        std::span<const std::uint8_t>(fbb_.GetBufferPointer(), fbb_.GetSize()));
  }
  finished_ = true;
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
  for (const OpCode& c : opcodes_) {
    const int value = static_cast<int>(c.code);
    // Codes below 127 also go in the deprecated byte field, as TensorFlow's converter writes them.
    const auto deprecated = static_cast<std::int8_t>(value < 127 ? value : 127);
    codes.push_back(tflite::CreateOperatorCodeDirect(
        fbb_, deprecated, c.custom.empty() ? nullptr : c.custom.c_str(), c.version, c.code));
  }
  const auto subgraph =
      tflite::CreateSubGraphDirect(fbb_, &tensors_, &inputs_, &outputs_, &ops_, "main");
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {subgraph};
  const auto model =
      tflite::CreateModelDirect(fbb_, version_, &codes, &subgraphs, "test model", &buffers_);
  tflite::FinishModelBuffer(fbb_, model);
  return tools::AlignedBuffer(
      std::span<const std::uint8_t>(fbb_.GetBufferPointer(), fbb_.GetSize()));
}

}  // namespace mote::testing
