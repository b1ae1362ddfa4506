// The importer's state while it walks the ONNX nodes: the graph being built, what every ONNX value
// is (logical shape, stored tensor, layout, known constant values), and the helpers converters use
// to emit ops and to get a value in the element order an op needs.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/onnx/layout.h"
#include "tools/onnx/onnx_import.h"
#include "tools/onnx/onnx_model.h"

namespace mote::tools::onnx_import {

// An error that already names the node it is about.
class NodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Value {
  std::string name;
  Shape shape;                            // logical (ONNX) shape
  Layout layout;                          // how `tensor` stores the logical elements
  std::int32_t tensor = -1;               // -1 while the value is only a known constant
  std::optional<ConstantValue> constant;  // values known at import time
  // Facts about the values that let a later node map onto a TFLite op: never negative (a Clip
  // with only a max after a Relu is RELU6), or HardSigmoid(1/6, 1/2) of the named value (times
  // that value it is HARD_SWISH, as exporters before opset 14 write it).
  bool nonnegative = false;
  std::string hard_sigmoid_of;
  // Stored forms already made (layout and shape key -> tensor), so a value feeding several ops
  // is transposed once.
  std::vector<std::pair<std::string, std::int32_t>> forms;
};

// Channels-last layout a convolution or pool works in: NCHW stored NHWC, NCW stored N1WC.
Layout conv_layout(const Shape& shape);
// The logical axes in the order a channels-last tensor stores them ([0, 2, ..., 1]).
std::vector<std::int32_t> channels_last_order(std::size_t rank);

class Importer {
 public:
  Importer(const onnx::ModelProto& model, const OnnxImportOptions& options,
           OnnxImportSummary& summary);

  // Converts the whole model.
  Graph run();

  // --- for converters: the node being converted ---
  const onnx::NodeProto& node() const { return *node_; }
  const Attributes& attributes() const { return *attributes_; }
  std::int64_t opset() const { return opset_; }
  // Throws a runtime_error naming the current node.
  [[noreturn]] void fail(const std::string& message) const;
  // Whether input `i` is given (ONNX marks absent optional inputs with an empty name).
  bool has_input(std::size_t i) const;
  // Input `i`; fails when absent.
  Value& input(std::size_t i);
  // Input `i`'s values, which must be known at import time (`what` names it in the error).
  const ConstantValue& constant_input(std::size_t i, const std::string& what);
  // Whether output `i` is used by a later node or is a model output.
  bool output_used(std::size_t i) const;
  // Defines output `i` of the current node.
  void define_output(std::size_t i, Value value);
  // A value for output `i` stored in `tensor` (made by add_tensor) with `layout`.
  void define_output(std::size_t i, const Shape& shape, std::int32_t tensor, Layout layout);
  // The name of output `i` (for naming tensors).
  std::string output_name(std::size_t i) const;

  // --- building the graph ---
  std::int32_t add_tensor(const std::string& name, const Shape& shape,
                          TensorType type = TensorType::FLOAT32);
  std::int32_t add_float_constant(const std::string& name, const Shape& shape,
                                  const std::vector<float>& values);
  std::int32_t add_int32_constant(const std::string& name, const Shape& shape,
                                  const std::vector<std::int32_t>& values);
  GraphOp& emit(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
                std::vector<std::int32_t> outputs, tflite::BuiltinOptionsUnion options = {});
  // A RESHAPE of `tensor` to `shape` (a new tensor), or `tensor` when it has that shape already.
  std::int32_t reshape_tensor(std::int32_t tensor, const Shape& shape);
  const GraphTensor& tensor(std::int32_t t) const {
    return graph_.tensors[static_cast<std::size_t>(t)];
  }

  // --- layouts ---
  // `v` stored with `target` order and `stored_shape`: the stored tensor itself when it already
  // is, else a RESHAPE and/or TRANSPOSE of it (made once per form); constants are permuted.
  std::int32_t stored(Value& v, const Layout& target, const Shape& stored_shape);
  // `v` with its logical axes stored in `order` (each axis one stored dimension).
  std::int32_t stored_in_order(Value& v, const std::vector<std::int32_t>& order);
  // The order of logical axes `v` is stored in, when its axes are whole blocks in storage
  // (preferring channels-last for rank >= 3); identity order otherwise (a TRANSPOSE later).
  std::vector<std::int32_t> natural_order(const Value& v) const;
  // `v` under a new logical shape (ONNX reshape semantics): no op, only a new layout.
  Value reshaped(Value& v, const Shape& new_shape);

  void note(std::string text) { summary_.notes.push_back(std::move(text)); }
  OnnxImportSummary& summary() { return summary_; }

 private:
  void add_graph_inputs();
  void add_graph_outputs();
  void check_supported() const;
  bool has_windowed_ops() const;
  void convert_node(std::size_t index);
  std::int32_t reorder(Value& v, const Layout& target, const Shape& stored_shape);

  const onnx::ModelProto& model_;
  OnnxImportOptions options_;
  OnnxImportSummary& summary_;
  std::int64_t opset_ = 0;
  Graph graph_;
  std::unordered_map<std::string, Value> values_;
  std::unordered_map<std::string, int> uses_;  // ONNX value name -> later node inputs + outputs
  const onnx::NodeProto* node_ = nullptr;
  std::size_t node_index_ = 0;
  const Attributes* attributes_ = nullptr;
};

// A converter turns the current node into ops (or into a constant, or into a new layout).
using Converter = void (*)(Importer&);
// The converter of an ONNX op, or null.
Converter find_converter(const std::string& op_type);
// Ops that mote evaluates at import time when all their inputs are constants.
bool is_foldable(const std::string& op_type);
// Evaluates a foldable node whose inputs are constants, defining its outputs as constants.
void fold_constant_node(Importer& im);

}  // namespace mote::tools::onnx_import
