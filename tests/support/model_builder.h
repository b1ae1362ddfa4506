// Builds small TFLite models in memory for unit tests: tensors, constants and ops, written with
// the same schema the runtime reads.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "runtime/schema/tflite_subset_generated.h"
#include "tools/io/aligned_buffer.h"

namespace mote::testing {

struct Quant {
  std::vector<float> scales;
  std::vector<std::int64_t> zero_points;
  std::int32_t dimension = 0;
};

// Per-tensor quantization.
inline Quant quant(float scale, std::int64_t zero_point) { return {{scale}, {zero_point}, 0}; }

class ModelBuilder {
 public:
  ModelBuilder();

  // An activation tensor (no data).
  int tensor(tflite::TensorType type, std::vector<std::int32_t> shape, Quant q = {},
             const std::string& name = "");
  // A variable tensor (recurrent state).
  int variable(tflite::TensorType type, std::vector<std::int32_t> shape, Quant q = {});
  // A constant tensor holding `bytes`.
  int constant_bytes(tflite::TensorType type, std::vector<std::int32_t> shape,
                     std::span<const std::uint8_t> bytes, Quant q = {});
  // A constant whose tensor carries an empty SparsityParameters table: enough for a reader
  // built without sparse weights to refuse it (a real reader rejects it as malformed).
  int constant_marked_sparse(tflite::TensorType type, std::vector<std::int32_t> shape,
                             std::span<const std::uint8_t> bytes, Quant q = {});
  template <typename T>
  int constant(tflite::TensorType type, std::vector<std::int32_t> shape,
               const std::vector<T>& values, Quant q = {}) {
    return constant_bytes(
        type, std::move(shape),
        {reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * sizeof(T)},
        std::move(q));
  }

  // The builder to create options tables with, before calling op().
  flatbuffers::FlatBufferBuilder& fbb() { return fbb_; }

  // Adds a builtin op.
  void op(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
          std::vector<std::int32_t> outputs,
          tflite::BuiltinOptions options_type = tflite::BuiltinOptions::NONE,
          flatbuffers::Offset<void> options = 0, int version = 1);
  // Adds a custom op.
  void custom_op(const std::string& custom_code, std::vector<std::int32_t> inputs,
                 std::vector<std::int32_t> outputs);

  void inputs(std::vector<std::int32_t> indices) { inputs_ = std::move(indices); }
  void outputs(std::vector<std::int32_t> indices) { outputs_ = std::move(indices); }
  // Schema version written into the model (3 unless a test wants a wrong one).
  void schema_version(std::uint32_t version) { version_ = version; }

  // The finished model; later calls return the same bytes (add nothing after the first).
  tools::AlignedBuffer build();

 private:
  int add_tensor(tflite::TensorType type, std::vector<std::int32_t> shape, const Quant& q,
                 std::uint32_t buffer, bool is_variable, const std::string& name,
                 bool marked_sparse = false);
  int opcode_index(tflite::BuiltinOperator code, const std::string& custom, int version);

  struct OpCode {
    tflite::BuiltinOperator code;
    std::string custom;
    int version;
  };

  flatbuffers::FlatBufferBuilder fbb_;
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors_;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers_;
  std::vector<flatbuffers::Offset<tflite::Operator>> ops_;
  std::vector<OpCode> opcodes_;
  std::vector<std::int32_t> inputs_;
  std::vector<std::int32_t> outputs_;
  std::uint32_t version_ = 3;
  bool finished_ = false;
};

}  // namespace mote::testing
