#include "tools/onnx/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace mote::tools::onnx_import {
namespace {

constexpr std::int64_t kMinOpset = 9;
constexpr std::int64_t kMaxOpset = 17;  // the newest Debian's onnx 1.12 and torch 1.13 know

std::string layout_key(const Layout& l, const Shape& s) {
  std::string key;
  for (const Shape& sub : l.split) key += shape_text(sub);
  key += "|";
  for (std::int32_t p : l.perm) key += std::to_string(p) + ",";
  return key + "|" + shape_text(s);
}

std::vector<std::int32_t> iota_order(std::size_t rank) {
  std::vector<std::int32_t> order(rank);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

const char* kFixedShapesHint =
    "mote needs fixed shapes: export with a fixed-size example input and without dynamic_axes, "
    "e.g. torch.onnx.export(model, torch.randn(1, 3, 32, 32), 'model.onnx', opset_version=13)";

}  // namespace

std::vector<std::int32_t> channels_last_order(std::size_t rank) {
  if (rank < 3) return iota_order(rank);
  std::vector<std::int32_t> order{0};
  for (std::size_t a = 2; a < rank; ++a) order.push_back(static_cast<std::int32_t>(a));
  order.push_back(1);
  return order;
}

Layout conv_layout(const Shape& shape) {
  if (shape.size() == 3) {
    Layout l;
    l.split = {{shape[0]}, {shape[1]}, {1, shape[2]}};
    l.perm = {0, 2, 3, 1};
    return l;
  }
  return permuted_layout(shape, channels_last_order(shape.size()));
}

Importer::Importer(const onnx::ModelProto& model, const OnnxImportOptions& options,
                   OnnxImportSummary& summary)
    : model_(model), options_(options), summary_(summary) {
  for (const auto& op_set : model.opset_import()) {
    if (op_set.domain().empty() || op_set.domain() == "ai.onnx") opset_ = op_set.version();
  }
  if (opset_ == 0)
    throw std::runtime_error("the model imports no version of the ONNX operator set");
  if (opset_ < kMinOpset || opset_ > kMaxOpset) {
    throw std::runtime_error(
        fmt::format("the model uses ONNX opset {}; mote imports opsets {} to {}: export with "
                    "torch.onnx.export(..., opset_version=13)",
                    opset_, kMinOpset, kMaxOpset));
  }
  summary_.opset = opset_;
  summary_.producer = model.producer_name() +
                      (model.producer_version().empty() ? "" : " " + model.producer_version());
  summary_.onnx_nodes = static_cast<std::size_t>(model.graph().node_size());
}

Graph Importer::run() {
  const onnx::GraphProto& g = model_.graph();
  for (const auto& node : g.node()) {
    for (const auto& in : node.input()) {
      if (!in.empty()) ++uses_[in];
    }
  }
  for (const auto& out : g.output()) ++uses_[out.name()];
  for (const auto& init : g.initializer()) {
    Value v;
    v.name = init.name();
    v.constant = tensor_values(init);
    v.shape = v.constant->shape;
    v.layout = identity_layout(v.shape);
    values_[v.name] = std::move(v);
  }
  add_graph_inputs();
  check_supported();
  for (std::size_t i = 0; i < static_cast<std::size_t>(g.node_size()); ++i) convert_node(i);
  node_ = nullptr;
  add_graph_outputs();
  graph_.name = g.name();
  graph_.description =
      fmt::format("Imported from ONNX ({}, opset {}) by mote", summary_.producer, opset_);
  return std::move(graph_);
}

void Importer::add_graph_inputs() {
  for (const auto& in : model_.graph().input()) {
    if (values_.count(in.name())) continue;  // an initializer listed as input (IR < 4)
    if (!in.type().has_tensor_type()) {
      throw std::runtime_error(fmt::format("model input '{}' is not a tensor", in.name()));
    }
    const auto& tt = in.type().tensor_type();
    if (tt.elem_type() != onnx::TensorProto::FLOAT) {
      throw std::runtime_error(fmt::format(
          "model input '{}' is {}; mote imports float32 models (quantize them with mote "
          "afterwards)",
          in.name(), elem_type_name(tt.elem_type())));
    }
    if (!tt.has_shape()) {
      throw std::runtime_error(
          fmt::format("model input '{}' has no shape; {}", in.name(), kFixedShapesHint));
    }
    Shape shape;
    for (int d = 0; d < tt.shape().dim_size(); ++d) {
      const auto& dim = tt.shape().dim(d);
      if (!dim.has_dim_value() || dim.dim_value() <= 0) {
        const std::string name =
            dim.has_dim_param() ? "'" + dim.dim_param() + "'" : std::string("of unknown size");
        throw std::runtime_error(
            fmt::format("model input '{}' has a dynamic dimension {} (axis {}); {}", in.name(),
                        name, d, kFixedShapesHint));
      }
      shape.push_back(to_shape(std::vector<std::int64_t>{dim.dim_value()}, in.name())[0]);
    }
    Value v;
    v.name = in.name();
    v.shape = shape;
    v.layout = identity_layout(shape);
    if (options_.nhwc_input && (shape.size() == 3 || shape.size() == 4)) {
      v.layout = permuted_layout(shape, channels_last_order(shape.size()));
    }
    v.tensor = add_tensor(in.name(), direct_shape(v.layout));
    graph_.inputs.push_back(v.tensor);
    if (!options_.nhwc_input && (shape.size() == 3 || shape.size() == 4) && has_windowed_ops()) {
      // Change to channels-last right at the input, before whatever precedes the first conv
      // (a Pad, a scale): those then work in NHWC too. The plain form stays available; a TRANSPOSE
      // nobody reads is removed later.
      const Layout plain = v.layout;
      const std::int32_t plain_tensor = v.tensor;
      const Layout nhwc = conv_layout(shape);
      v.tensor = stored(v, nhwc, direct_shape(nhwc));
      v.layout = nhwc;
      v.forms.clear();
      v.forms.emplace_back(layout_key(plain, shape), plain_tensor);
    }
    values_[v.name] = std::move(v);
  }
  if (graph_.inputs.empty()) throw std::runtime_error("the model has no (non-constant) input");
}

void Importer::add_graph_outputs() {
  for (const auto& out : model_.graph().output()) {
    auto found = values_.find(out.name());
    if (found == values_.end()) {
      throw std::runtime_error(
          fmt::format("model output '{}' is not produced by any node", out.name()));
    }
    Value& v = found->second;
    if (v.tensor < 0) {
      throw std::runtime_error(fmt::format(
          "model output '{}' is a constant: it does not depend on the model input", out.name()));
    }
    // The computed shape must be the declared one (when declared): a cheap check of the
    // importer's shape arithmetic.
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) {
      const auto& declared = out.type().tensor_type().shape();
      bool same = declared.dim_size() == static_cast<int>(v.shape.size());
      for (int d = 0; same && d < declared.dim_size(); ++d) {
        if (declared.dim(d).has_dim_value() &&
            declared.dim(d).dim_value() != v.shape[static_cast<std::size_t>(d)]) {
          same = false;
        }
      }
      if (!same) {
        throw std::runtime_error(fmt::format(
            "model output '{}' is declared with another shape than the {} mote computes",
            out.name(), shape_text(v.shape)));
      }
    }
    Layout target = identity_layout(v.shape);
    if (options_.nhwc_output && (v.shape.size() == 3 || v.shape.size() == 4)) {
      target = permuted_layout(v.shape, channels_last_order(v.shape.size()));
    }
    std::int32_t t = stored(v, target, direct_shape(target));
    const bool is_input =
        std::find(graph_.inputs.begin(), graph_.inputs.end(), t) != graph_.inputs.end();
    const bool is_output =
        std::find(graph_.outputs.begin(), graph_.outputs.end(), t) != graph_.outputs.end();
    if (is_input || is_output) {
      // A model output must be a tensor of its own: copy through a RESHAPE.
      const std::int32_t copy = add_tensor(out.name(), tensor(t).shape);
      const Shape& s = tensor(t).shape;
      emit(tflite::BuiltinOperator::RESHAPE,
           {t, add_int32_constant(out.name() + "/shape", {static_cast<std::int32_t>(s.size())},
                                  std::vector<std::int32_t>(s.begin(), s.end()))},
           {copy});
      t = copy;
    }
    graph_.tensors[static_cast<std::size_t>(t)].name = out.name();
    graph_.outputs.push_back(t);
  }
}

bool Importer::has_windowed_ops() const {
  for (const auto& n : model_.graph().node()) {
    const std::string& op = n.op_type();
    if (op == "Conv" || op == "ConvTranspose" || op == "MaxPool" || op == "AveragePool" ||
        op == "GlobalAveragePool") {
      return true;
    }
  }
  return false;
}

void Importer::check_supported() const {
  std::map<std::string, std::vector<std::string>> unsupported;
  std::map<std::string, bool> constant;
  for (const auto& init : model_.graph().initializer()) constant[init.name()] = true;
  const auto& nodes = model_.graph().node();
  for (int i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    const std::string& op = n.op_type();
    const bool domain_ok = n.domain().empty() || n.domain() == "ai.onnx";
    bool all_constant = true;
    for (const auto& in : n.input()) {
      if (!in.empty() && !constant[in]) all_constant = false;
    }
    const bool folds =
        domain_ok && (op == "Constant" || op == "Shape" || (is_foldable(op) && all_constant));
    if (folds) {
      for (const auto& out : n.output()) constant[out] = true;
      continue;
    }
    if (domain_ok && find_converter(op) != nullptr) continue;
    std::string key = domain_ok ? op : n.domain() + "::" + op;
    if (domain_ok && is_foldable(op))
      key += " (on a computed tensor; mote folds it on constants only)";
    unsupported[key].push_back(n.name().empty() ? fmt::format("#{}", i) : "'" + n.name() + "'");
  }
  if (unsupported.empty()) return;
  std::string list;
  for (const auto& [op, nodes_using] : unsupported) {
    if (!list.empty()) list += "; ";
    list += fmt::format("{} (node{} {})", op, nodes_using.size() > 1 ? "s" : "",
                        fmt::join(nodes_using, ", "));
  }
  throw std::runtime_error(fmt::format(
      "the model uses ONNX ops mote cannot import: {}. Supported: Conv, ConvTranspose, Gemm, "
      "MatMul, Add, Sub, Mul, Div (by a constant), Relu, Clip, LeakyRelu, Sigmoid, Tanh, "
      "HardSwish, HardSigmoid, MaxPool, AveragePool, GlobalAveragePool, ReduceMean, "
      "BatchNormalization, Flatten, Reshape, Squeeze, Unsqueeze, Concat, Pad, Transpose, Softmax, "
      "Constant, Identity, Dropout, and shape arithmetic on constants",
      list));
}

void Importer::convert_node(std::size_t index) {
  const onnx::NodeProto& n = model_.graph().node(static_cast<int>(index));
  const Attributes attributes(n);
  node_ = &n;
  node_index_ = index;
  attributes_ = &attributes;
  bool all_constant = true;
  for (const auto& in : n.input()) {
    if (in.empty()) continue;
    auto found = values_.find(in);
    if (found == values_.end()) {
      fail(
          fmt::format("input '{}' is not produced by an earlier node (the graph is not in "
                      "topological order, or the name is wrong)",
                      in));
    }
    if (!found->second.constant) all_constant = false;
  }
  const std::string& op = n.op_type();
  try {
    if (op == "Constant" || op == "Shape" || (is_foldable(op) && all_constant)) {
      fold_constant_node(*this);
      ++summary_.nodes_folded;
    } else {
      find_converter(op)(*this);
    }
  } catch (const NodeError&) {
    throw;
  } catch (const std::runtime_error& e) {
    fail(e.what());  // shape rules and constant readers do not know the node: name it
  }
  for (int o = 0; o < n.output_size(); ++o) {
    if (!n.output(o).empty() && output_used(static_cast<std::size_t>(o)) &&
        !values_.count(n.output(o))) {
      fail(fmt::format("output {} ('{}') is used but mote does not compute it", o, n.output(o)));
    }
  }
  attributes_ = nullptr;
}

void Importer::fail(const std::string& message) const {
  if (node_ == nullptr) throw std::runtime_error(message);
  throw NodeError(node_label(*node_, node_index_) + ": " + message);
}

bool Importer::has_input(std::size_t i) const {
  return i < static_cast<std::size_t>(node_->input_size()) &&
         !node_->input(static_cast<int>(i)).empty();
}

Value& Importer::input(std::size_t i) {
  if (!has_input(i)) fail(fmt::format("input {} is missing", i));
  return values_.at(node_->input(static_cast<int>(i)));
}

const ConstantValue& Importer::constant_input(std::size_t i, const std::string& what) {
  Value& v = input(i);
  if (!v.constant) {
    fail(
        fmt::format("{} (input {}, '{}') must be a constant (an initializer or computed from "
                    "constants); mote does not take it from a computed tensor",
                    what, i, v.name));
  }
  return *v.constant;
}

bool Importer::output_used(std::size_t i) const {
  if (i >= static_cast<std::size_t>(node_->output_size())) return false;
  const std::string& name = node_->output(static_cast<int>(i));
  if (name.empty()) return false;
  auto found = uses_.find(name);
  return found != uses_.end() && found->second > 0;
}

std::string Importer::output_name(std::size_t i) const {
  return node_->output(static_cast<int>(i));
}

void Importer::define_output(std::size_t i, Value value) {
  if (i >= static_cast<std::size_t>(node_->output_size())) return;
  value.name = output_name(i);
  if (value.name.empty()) return;
  values_[value.name] = std::move(value);
}

void Importer::define_output(std::size_t i, const Shape& shape, std::int32_t tensor,
                             Layout layout) {
  Value v;
  v.shape = shape;
  v.tensor = tensor;
  v.layout = std::move(layout);
  define_output(i, std::move(v));
}

std::int32_t Importer::add_tensor(const std::string& name, const Shape& shape, TensorType type) {
  GraphTensor t;
  t.name = name;
  t.type = type;
  t.shape = shape;
  return graph_.add_tensor(std::move(t));
}

std::int32_t Importer::add_float_constant(const std::string& name, const Shape& shape,
                                          const std::vector<float>& values) {
  GraphTensor t;
  t.name = name;
  t.type = TensorType::FLOAT32;
  t.shape = shape;
  set_tensor_values<float>(t, values);
  return graph_.add_tensor(std::move(t));
}

std::int32_t Importer::add_int32_constant(const std::string& name, const Shape& shape,
                                          const std::vector<std::int32_t>& values) {
  GraphTensor t;
  t.name = name;
  t.type = TensorType::INT32;
  t.shape = shape;
  set_tensor_values<std::int32_t>(t, values);
  return graph_.add_tensor(std::move(t));
}

GraphOp& Importer::emit(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
                        std::vector<std::int32_t> outputs, tflite::BuiltinOptionsUnion options) {
  GraphOp op;
  op.code = code;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.options = std::move(options);
  graph_.ops.push_back(std::move(op));
  return graph_.ops.back();
}

std::int32_t Importer::reshape_tensor(std::int32_t t, const Shape& shape) {
  if (tensor(t).shape == shape) return t;
  const std::string name = tensor(t).name;
  const std::int32_t out = add_tensor(name + "/reshape", shape);
  tflite::ReshapeOptionsT options;
  options.new_shape = shape;
  tflite::BuiltinOptionsUnion u;
  u.Set(std::move(options));
  std::vector<std::int32_t> inputs{t};
  if (!shape.empty()) {
    inputs.push_back(add_int32_constant(name + "/reshape_shape",
                                        {static_cast<std::int32_t>(shape.size())}, shape));
  }
  emit(tflite::BuiltinOperator::RESHAPE, inputs, {out}, std::move(u));
  return out;
}

std::int32_t Importer::stored(Value& v, const Layout& target, const Shape& stored_shape) {
  const std::string key = layout_key(target, stored_shape);
  for (const auto& [k, t] : v.forms) {
    if (k == key) return t;
  }
  std::int32_t t;
  if (v.tensor < 0) {
    if (!v.constant) throw std::logic_error("a value with neither tensor nor constant");
    const std::vector<double> ordered = to_stored_order(v.constant->values, target);
    if (v.constant->is_float()) {
      t = add_float_constant(v.name, stored_shape,
                             std::vector<float>(ordered.begin(), ordered.end()));
    } else {
      std::vector<std::int32_t> ints;
      for (double d : ordered) ints.push_back(static_cast<std::int32_t>(d));
      t = add_int32_constant(v.name, stored_shape, ints);
    }
  } else {
    t = reorder(v, target, stored_shape);
  }
  v.forms.emplace_back(key, t);
  return t;
}

std::int32_t Importer::reorder(Value& v, const Layout& target, const Shape& stored_shape) {
  const auto r = reorder_between(v.layout, target);
  if (!r) {
    // The two factorizations do not meet: go through the logical order.
    Value plain;
    plain.name = v.name;
    plain.shape = v.shape;
    plain.layout = identity_layout(v.shape);
    plain.tensor = stored(v, plain.layout, v.shape);
    return reorder(plain, target, stored_shape);
  }
  if (r->is_reshape()) return reshape_tensor(v.tensor, stored_shape);
  // Between two orders of whole logical axes one TRANSPOSE of the logical rank says it all (as
  // TFLite's converter writes it); otherwise the reduced reorder, between RESHAPEs.
  std::int32_t source;
  std::vector<std::int32_t> perm;
  const Layout from = without_unit_subaxes(v.layout), to = without_unit_subaxes(target);
  if (is_whole_axes(from) && is_whole_axes(to) && v.shape.size() <= 5) {
    source = reshape_tensor(v.tensor, direct_shape(from));
    for (std::int32_t axis : to.perm) {
      perm.push_back(static_cast<std::int32_t>(std::find(from.perm.begin(), from.perm.end(), axis) -
                                               from.perm.begin()));
    }
  } else {
    source = reshape_tensor(v.tensor, r->source_shape);
    perm = r->perm;
  }
  const Shape& source_shape = tensor(source).shape;
  Shape out_shape;
  for (std::int32_t p : perm) out_shape.push_back(source_shape[static_cast<std::size_t>(p)]);
  const std::string name = v.name + "/transposed";
  const std::int32_t out = add_tensor(name, out_shape);
  tflite::BuiltinOptionsUnion u;
  u.Set(tflite::TransposeOptionsT{});
  emit(tflite::BuiltinOperator::TRANSPOSE,
       {source, add_int32_constant(name + "_perm", {static_cast<std::int32_t>(perm.size())}, perm)},
       {out}, std::move(u));
  return reshape_tensor(out, stored_shape);
}

std::int32_t Importer::stored_in_order(Value& v, const std::vector<std::int32_t>& order) {
  const Layout target = permuted_layout(v.shape, order);
  return stored(v, target, direct_shape(target));
}

std::vector<std::int32_t> Importer::natural_order(const Value& v) const {
  if (v.tensor < 0) return iota_order(v.shape.size());
  const auto order = axis_order(v.layout, v.shape, channels_last_order(v.shape.size()));
  return order ? *order : iota_order(v.shape.size());
}

Value Importer::reshaped(Value& v, const Shape& new_shape) {
  Value out;
  out.shape = new_shape;
  if (v.constant) {
    out.constant = v.constant;
    out.constant->shape = new_shape;
  }
  if (v.tensor < 0) {
    out.layout = identity_layout(new_shape);
    return out;
  }
  if (auto layout = reshaped_layout(v.layout, new_shape)) {
    out.layout = *layout;
    out.tensor = v.tensor;
    return out;
  }
  out.tensor = stored(v, identity_layout(v.shape), v.shape);
  out.layout = identity_layout(new_shape);
  return out;
}

}  // namespace mote::tools::onnx_import
