// The host tools' model: one graph of tensors and ops, editable (quantize, prune, import) and
// written back as a standard .tflite. Ops keep TFLite's builtin options as flatbuffers object-API
// values, so everything mote's schema knows survives a read-write round trip.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/core/tensor_type.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote::tools {

struct QuantParams {
  std::vector<float> scale;
  std::vector<std::int64_t> zero_point;
  std::int32_t axis = 0;
  std::vector<float> min;  // optional, as TensorFlow writes them
  std::vector<float> max;

  bool quantized() const { return !scale.empty(); }
  bool operator==(const QuantParams&) const = default;
};

// Per-tensor parameters.
QuantParams per_tensor(float scale, std::int64_t zero_point);

struct GraphTensor {
  std::string name;
  TensorType type = TensorType::FLOAT32;
  std::vector<std::int32_t> shape;
  std::vector<std::int32_t> shape_signature;  // with -1 for dynamic dimensions, when known
  QuantParams quant;
  std::vector<std::uint8_t> data;  // constant bytes; empty for activations and variables
  bool is_variable = false;
  // Store `data` (always held dense here) in TFLite's sparse form when written; see
  // tools/graph/sparse_encoding.h.
  bool sparse = false;

  bool is_constant() const { return !data.empty(); }
  std::size_t elements() const;
  std::size_t bytes() const { return elements() * tensor_type_size(type); }
  bool operator==(const GraphTensor&) const = default;
};

struct GraphOp {
  tflite::BuiltinOperator code = tflite::BuiltinOperator::CUSTOM;
  std::string custom_code;
  int version = 1;
  std::vector<std::int32_t> inputs;  // -1: absent optional input
  std::vector<std::int32_t> outputs;
  std::vector<std::int32_t> intermediates;
  tflite::BuiltinOptionsUnion options;
  std::vector<std::uint8_t> custom_options;

  // Input `i`'s tensor index, or -1 when absent or past the end.
  std::int32_t input(std::size_t i) const { return i < inputs.size() ? inputs[i] : -1; }
};

struct GraphMetadata {
  std::string name;
  std::vector<std::uint8_t> data;
  bool operator==(const GraphMetadata&) const = default;
};

class Graph {
 public:
  std::vector<GraphTensor> tensors;
  std::vector<GraphOp> ops;  // in execution order
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  std::string name;
  std::string description;
  std::vector<GraphMetadata> metadata;

  // Appends a tensor and returns its index.
  std::int32_t add_tensor(GraphTensor tensor);
  // The op that writes tensor `t`, if any.
  std::optional<std::size_t> producer(std::int32_t t) const;
  // The ops that read tensor `t`, in order.
  std::vector<std::size_t> consumers(std::int32_t t) const;
  // Removes tensors no op, input or output refers to, renumbering the rest.
  void remove_unused_tensors();
};

// Name of a builtin op ("CONV_2D") or the custom code of a custom op.
std::string op_name(const GraphOp& op);

// Typed view of constant data (copy; the bytes may be unaligned for T).
template <typename T>
std::vector<T> tensor_values(const GraphTensor& t) {
  std::vector<T> values(t.data.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), t.data.data(), values.size() * sizeof(T));
  return values;
}

// Sets constant data from values.
template <typename T>
void set_tensor_values(GraphTensor& t, std::span<const T> values) {
  t.data.resize(values.size_bytes());
  if (!values.empty()) std::memcpy(t.data.data(), values.data(), values.size_bytes());
}

}  // namespace mote::tools
