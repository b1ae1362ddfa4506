// Reading the ONNX protobuf: parsing and checking a model, attributes of a node, and the values
// of initializers and Constant nodes.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/onnx/layout.h"

namespace mote::tools::onnx_import {

// Values known at import time. Every ONNX number type is held as double: float32 is exact, and
// the integers that appear as constants (shapes, axes, pads) are far below 2^53.
struct ConstantValue {
  std::int32_t elem_type = 1;  // onnx::TensorProto::DataType
  Shape shape;
  std::vector<double> values;

  bool is_float() const;
  std::size_t elements() const { return values.size(); }
  std::vector<std::int64_t> as_ints() const;
};

// Parses and checks ONNX model bytes; throws std::runtime_error saying what is wrong.
onnx::ModelProto parse_model(std::span<const std::uint8_t> bytes, const std::string& what);

// The values of an initializer or a Constant's tensor; throws for external data and types mote
// cannot hold.
ConstantValue tensor_values(const onnx::TensorProto& tensor);

// A shape from ONNX int64 dimensions; throws when one is negative or beyond int32.
Shape to_shape(std::span<const std::int64_t> dims, const std::string& what);

// The name of an ONNX element type ("float32", "int64").
std::string elem_type_name(std::int32_t elem_type);

// "Conv node '/c/Conv'" (or "Conv node #3" when unnamed).
std::string node_label(const onnx::NodeProto& node, std::size_t index);

// Typed access to a node's attributes with ONNX's defaults.
class Attributes {
 public:
  explicit Attributes(const onnx::NodeProto& node);

  bool has(const std::string& name) const { return find(name) != nullptr; }
  std::int64_t i(const std::string& name, std::int64_t fallback) const;
  float f(const std::string& name, float fallback) const;
  std::string s(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> ints(const std::string& name,
                                 std::vector<std::int64_t> fallback = {}) const;
  std::vector<float> floats(const std::string& name) const;
  const onnx::TensorProto* tensor(const std::string& name) const;

 private:
  const onnx::AttributeProto* find(const std::string& name) const;
  const onnx::NodeProto& node_;
};

}  // namespace mote::tools::onnx_import
