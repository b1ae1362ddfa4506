#include "tools/onnx/onnx_model.h"

#include <fmt/format.h>
#include <onnx/checker.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mote::tools::onnx_import {
namespace {

using onnx::TensorProto;

template <typename T>
std::vector<double> from_raw(const std::string& raw, std::size_t count) {
  if (raw.size() != count * sizeof(T)) {
    throw std::runtime_error(fmt::format("raw data holds {} bytes, {} values of {} bytes need {}",
                                         raw.size(), count, sizeof(T), count * sizeof(T)));
  }
  std::vector<double> values(count);
  for (std::size_t k = 0; k < count; ++k) {
    T v;
    std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
    values[k] = static_cast<double>(v);
  }
  return values;
}

template <typename Field>
std::vector<double> from_field(const Field& field) {
  return std::vector<double>(field.begin(), field.end());
}

}  // namespace

bool ConstantValue::is_float() const {
  return elem_type == TensorProto::FLOAT || elem_type == TensorProto::DOUBLE ||
         elem_type == TensorProto::FLOAT16;
}

std::vector<std::int64_t> ConstantValue::as_ints() const {
  std::vector<std::int64_t> out;
  // INT64_MAX (PyTorch's "to the end" in slices) is not exact as a double; clamp far inside.
  constexpr double kLimit = 4.0e18;
  for (double v : values) out.push_back(static_cast<std::int64_t>(std::clamp(v, -kLimit, kLimit)));
  return out;
}

onnx::ModelProto parse_model(std::span<const std::uint8_t> bytes, const std::string& what) {
  onnx::ModelProto model;
  if (bytes.empty()) throw std::runtime_error(what + ": the file is empty");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw std::runtime_error(what +
                             ": not an ONNX model (the protobuf does not parse; is the file "
                             "truncated or of another format?)");
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    throw std::runtime_error(what + ": the ONNX model has no graph nodes");
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        fmt::format("{}: the ONNX checker refuses the model: {}", what, e.what()));
  }
  return model;
}

ConstantValue tensor_values(const TensorProto& t) {
  const std::string what = t.name().empty() ? std::string("a constant") : "'" + t.name() + "'";
  if (t.data_location() == TensorProto::EXTERNAL) {
    throw std::runtime_error(what +
                             " is stored in an external data file; export the model with the "
                             "weights inside it (models under 2 GB need no external data)");
  }
  ConstantValue c;
  c.elem_type = t.data_type();
  c.shape = to_shape(std::span<const std::int64_t>(t.dims().data(), t.dims().size()), what);
  std::size_t count = 1;
  for (std::int32_t d : c.shape) {
    count *= static_cast<std::size_t>(d);
    if (count > (std::size_t{1} << 31)) {
      throw std::runtime_error(what + " has more than 2^31 elements");
    }
  }
  const bool raw = t.has_raw_data();
  try {
    switch (t.data_type()) {
      case TensorProto::FLOAT:
        c.values = raw ? from_raw<float>(t.raw_data(), count) : from_field(t.float_data());
        break;
      case TensorProto::DOUBLE:
        c.values = raw ? from_raw<double>(t.raw_data(), count) : from_field(t.double_data());
        break;
      case TensorProto::INT64:
        c.values = raw ? from_raw<std::int64_t>(t.raw_data(), count) : from_field(t.int64_data());
        break;
      case TensorProto::INT32:
        c.values = raw ? from_raw<std::int32_t>(t.raw_data(), count) : from_field(t.int32_data());
        break;
      case TensorProto::INT16:
        c.values = raw ? from_raw<std::int16_t>(t.raw_data(), count) : from_field(t.int32_data());
        break;
      case TensorProto::INT8:
        c.values = raw ? from_raw<std::int8_t>(t.raw_data(), count) : from_field(t.int32_data());
        break;
      case TensorProto::UINT8:
      case TensorProto::BOOL:
        c.values = raw ? from_raw<std::uint8_t>(t.raw_data(), count) : from_field(t.int32_data());
        break;
      default:
        throw std::runtime_error(fmt::format("has element type {}, which mote does not import",
                                             elem_type_name(t.data_type())));
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
  if (c.values.size() != count) {
    throw std::runtime_error(
        fmt::format("{} has {} values for shape {}", what, c.values.size(), shape_text(c.shape)));
  }
  return c;
}

Shape to_shape(std::span<const std::int64_t> dims, const std::string& what) {
  Shape shape;
  for (std::int64_t d : dims) {
    if (d < 0 || d > std::numeric_limits<std::int32_t>::max()) {
      throw std::runtime_error(fmt::format("{} has dimension {}, outside 0..2^31-1", what, d));
    }
    shape.push_back(static_cast<std::int32_t>(d));
  }
  return shape;
}

std::string elem_type_name(std::int32_t elem_type) {
  switch (elem_type) {
    case TensorProto::FLOAT:
      return "float32";
    case TensorProto::UINT8:
      return "uint8";
    case TensorProto::INT8:
      return "int8";
    case TensorProto::UINT16:
      return "uint16";
    case TensorProto::INT16:
      return "int16";
    case TensorProto::INT32:
      return "int32";
    case TensorProto::INT64:
      return "int64";
    case TensorProto::STRING:
      return "string";
    case TensorProto::BOOL:
      return "bool";
    case TensorProto::FLOAT16:
      return "float16";
    case TensorProto::DOUBLE:
      return "float64";
    case TensorProto::UINT32:
      return "uint32";
    case TensorProto::UINT64:
      return "uint64";
    case TensorProto::BFLOAT16:
      return "bfloat16";
    default:
      return fmt::format("type {}", elem_type);
  }
}

std::string node_label(const onnx::NodeProto& node, std::size_t index) {
  if (node.name().empty()) return fmt::format("{} node #{}", node.op_type(), index);
  return fmt::format("{} node '{}'", node.op_type(), node.name());
}

Attributes::Attributes(const onnx::NodeProto& node) : node_(node) {}

const onnx::AttributeProto* Attributes::find(const std::string& name) const {
  for (const auto& a : node_.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::int64_t Attributes::i(const std::string& name, std::int64_t fallback) const {
  const auto* a = find(name);
  return a ? a->i() : fallback;
}

float Attributes::f(const std::string& name, float fallback) const {
  const auto* a = find(name);
  return a ? a->f() : fallback;
}

std::string Attributes::s(const std::string& name, const std::string& fallback) const {
  const auto* a = find(name);
  return a ? a->s() : fallback;
}

std::vector<std::int64_t> Attributes::ints(const std::string& name,
                                           std::vector<std::int64_t> fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<float> Attributes::floats(const std::string& name) const {
  const auto* a = find(name);
  if (!a) return {};
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

const onnx::TensorProto* Attributes::tensor(const std::string& name) const {
  const auto* a = find(name);
  return a && a->has_t() ? &a->t() : nullptr;
}

}  // namespace mote::tools::onnx_import
