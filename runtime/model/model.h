// A verified, zero-copy view of a TensorFlow Lite model (schema version 3) held in memory the
// caller owns. Nothing is copied: tensors' shapes, quantization parameters and weights are read
// straight from the flatbuffer for as long as the model lives.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/core/status.h"
#include "runtime/core/tensor_type.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {

using BuiltinOperator = tflite::BuiltinOperator;

// The largest tensor, op and buffer counts the runtime plans for (indices are stored in 16 bits).
constexpr uint32_t kMaxTensors = 0xFFFE;
constexpr uint32_t kMaxOps = 0xFFFE;
// The largest single tensor, in bytes.
constexpr uint32_t kMaxTensorBytes = 0x7FFFFFFF;
// The highest tensor rank the runtime accepts.
constexpr int kMaxRank = 6;

class Model {
 public:
  Model() = default;

  // Verifies `size` bytes at `data` (16-byte aligned, outliving the model) and, when they hold a
  // model this runtime can read, fills `out`. Refusals name the problem through `reporter`.
  static Status load(const void* data, size_t size, const ErrorReporter* reporter, Model* out);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const tflite::Model& flatbuffer() const { return *model_; }
  const tflite::SubGraph& graph() const { return *graph_; }

  // Flatbuffers writes an empty list as an absent one; both read as empty here.
  uint32_t num_tensors() const { return size_of(graph_->tensors()); }
  uint32_t num_ops() const { return size_of(ops_); }
  uint32_t num_inputs() const { return size_of(graph_->inputs()); }
  uint32_t num_outputs() const { return size_of(graph_->outputs()); }
  // Tensor index of the model's i-th input / output (i below num_inputs / num_outputs).
  int32_t input_tensor(uint32_t i) const { return graph_->inputs()->Get(i); }
  int32_t output_tensor(uint32_t i) const { return graph_->outputs()->Get(i); }
  // True when tensor `index` is listed as a model input / output.
  bool is_model_input(int32_t index) const;
  bool is_model_output(int32_t index) const;

  const tflite::Tensor& tensor(uint32_t index) const { return *graph_->tensors()->Get(index); }
  const tflite::Operator& op(uint32_t index) const { return *ops_->Get(index); }

  // The builtin operator of op `index` (CUSTOM for custom ops).
  BuiltinOperator op_code(uint32_t index) const;
  // The custom code of op `index`, or nullptr for builtin ops.
  const char* op_custom_code(uint32_t index) const;
  // The operator version the model asks for.
  int op_version(uint32_t index) const;

  // Elements of tensor `index` (product of its shape; 1 for a scalar).
  uint32_t tensor_elements(uint32_t index) const;
  // Bytes of tensor `index` (elements × element size); verified at load not to overflow.
  uint32_t tensor_bytes(uint32_t index) const;
  // The constant data of tensor `index` inside the model, or nullptr for activations and
  // variables.
  const uint8_t* constant_data(uint32_t index) const;
  bool is_variable(uint32_t index) const { return tensor(index).is_variable(); }

 private:
  template <typename V>
  static uint32_t size_of(const V* v) {
    return v == nullptr ? 0 : v->size();
  }

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  const tflite::Model* model_ = nullptr;
  const tflite::SubGraph* graph_ = nullptr;
  const flatbuffers::Vector<flatbuffers::Offset<tflite::Operator>>* ops_ = nullptr;
};

// Name of a builtin operator as TFLite spells it ("CONV_2D"), or "UNKNOWN" outside the enum.
const char* builtin_op_name(BuiltinOperator op);

}  // namespace mote
