#include "tools/onnx/graph_passes.h"

#include <algorithm>

namespace mote::tools {
namespace {

using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;

bool is_graph_output(const Graph& g, std::int32_t t) {
  return std::find(g.outputs.begin(), g.outputs.end(), t) != g.outputs.end();
}

// The fused activation field of ops that have one, or null.
ActivationFunctionType* activation_of(GraphOp& op) {
  switch (op.code) {
    case BuiltinOperator::CONV_2D:
      return op.options.AsConv2DOptions() ? &op.options.AsConv2DOptions()->fused_activation_function
                                          : nullptr;
    case BuiltinOperator::DEPTHWISE_CONV_2D:
      return op.options.AsDepthwiseConv2DOptions()
                 ? &op.options.AsDepthwiseConv2DOptions()->fused_activation_function
                 : nullptr;
    case BuiltinOperator::FULLY_CONNECTED:
      return op.options.AsFullyConnectedOptions()
                 ? &op.options.AsFullyConnectedOptions()->fused_activation_function
                 : nullptr;
    case BuiltinOperator::TRANSPOSE_CONV:
      return op.options.AsTransposeConvOptions()
                 ? &op.options.AsTransposeConvOptions()->fused_activation_function
                 : nullptr;
    case BuiltinOperator::ADD:
      return op.options.AsAddOptions() ? &op.options.AsAddOptions()->fused_activation_function
                                       : nullptr;
    case BuiltinOperator::SUB:
      return op.options.AsSubOptions() ? &op.options.AsSubOptions()->fused_activation_function
                                       : nullptr;
    case BuiltinOperator::MUL:
      return op.options.AsMulOptions() ? &op.options.AsMulOptions()->fused_activation_function
                                       : nullptr;
    default:
      return nullptr;
  }
}

// The op producing `t` when `t` feeds only `consumer` and is no model output: such a tensor can
// vanish when the two ops become one.
std::optional<std::size_t> sole_producer(const Graph& g, std::int32_t t, std::size_t consumer) {
  if (t < 0 || is_graph_output(g, t)) return std::nullopt;
  const auto consumers = g.consumers(t);
  if (consumers.size() != 1 || consumers[0] != consumer) return std::nullopt;
  return g.producer(t);
}

// A constant tensor that only `op` uses, copied first when others share it.
std::int32_t own_constant(Graph& g, std::size_t op, std::size_t input) {
  const std::int32_t t = g.ops[op].inputs[input];
  if (g.consumers(t).size() > 1) {
    GraphTensor copy = g.tensors[static_cast<std::size_t>(t)];
    const std::int32_t c = g.add_tensor(std::move(copy));
    g.ops[op].inputs[input] = c;
    return c;
  }
  return t;
}

// The one activation equal to `first` then `then`, when there is one (relu6(relu(x)) is relu6(x),
// as PyTorch exports F.relu6 as Relu then Clip).
std::optional<ActivationFunctionType> combine(ActivationFunctionType first,
                                              ActivationFunctionType then) {
  using A = ActivationFunctionType;
  if (first == A::NONE || first == then) return then;
  if ((first == A::RELU && then == A::RELU6) || (first == A::RELU6 && then == A::RELU)) {
    return A::RELU6;
  }
  return std::nullopt;
}

bool fold_one(Graph& g, std::size_t o) {
  GraphOp& op = g.ops[o];
  if (op.code != BuiltinOperator::MUL && op.code != BuiltinOperator::ADD &&
      op.code != BuiltinOperator::SUB) {
    return false;
  }
  const ActivationFunctionType* act = activation_of(op);
  if (act == nullptr || *act != ActivationFunctionType::NONE || op.inputs.size() != 2) return false;
  int c_index = -1;
  for (int i = 0; i < 2; ++i) {
    const GraphTensor& t =
        g.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(i)])];
    if (t.is_constant() && t.type == TensorType::FLOAT32) c_index = i;
  }
  if (c_index < 0 || (op.code == BuiltinOperator::SUB && c_index != 1)) return false;
  const std::int32_t x = op.inputs[static_cast<std::size_t>(1 - c_index)];
  const auto p = sole_producer(g, x, o);
  if (!p) return false;
  GraphOp& prod = g.ops[*p];
  const BuiltinOperator code = prod.code;
  if (code != BuiltinOperator::CONV_2D && code != BuiltinOperator::DEPTHWISE_CONV_2D &&
      code != BuiltinOperator::FULLY_CONNECTED && code != BuiltinOperator::TRANSPOSE_CONV) {
    return false;
  }
  const ActivationFunctionType* prod_act = activation_of(prod);
  if (prod_act == nullptr || *prod_act != ActivationFunctionType::NONE) return false;
  const std::size_t weights_input = 1;
  const std::size_t bias_input = code == BuiltinOperator::TRANSPOSE_CONV ? 3 : 2;
  const std::int32_t w = prod.input(weights_input);
  if (w < 0 || !g.tensors[static_cast<std::size_t>(w)].is_constant() ||
      g.tensors[static_cast<std::size_t>(w)].type != TensorType::FLOAT32) {
    return false;
  }
  const GraphTensor& wt = g.tensors[static_cast<std::size_t>(w)];
  const std::int32_t channels =
      code == BuiltinOperator::DEPTHWISE_CONV_2D ? wt.shape.back() : wt.shape[0];
  const GraphTensor& ct =
      g.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(c_index)])];
  const GraphTensor& xt = g.tensors[static_cast<std::size_t>(x)];
  const GraphTensor& out = g.tensors[static_cast<std::size_t>(op.outputs[0])];
  // Per channel means: all dims 1 but the last, which is the channel count (or one value).
  const auto n = static_cast<std::int32_t>(ct.elements());
  if (n != 1 && n != channels) return false;
  for (std::size_t d = 0; d + 1 < ct.shape.size(); ++d) {
    if (ct.shape[d] != 1) return false;
  }
  if (xt.shape != out.shape || xt.shape.empty() || xt.shape.back() != channels) return false;
  if (ct.shape.size() > xt.shape.size()) return false;

  const std::vector<float> c = tensor_values<float>(ct);
  auto at = [&](std::int32_t ch) { return c[n == 1 ? 0 : static_cast<std::size_t>(ch)]; };
  // The bias (made when absent).
  std::int32_t b = prod.input(bias_input);
  if (b < 0) {
    GraphTensor bias;
    bias.name = xt.name + "/bias";
    bias.shape = {channels};
    set_tensor_values<float>(bias, std::vector<float>(static_cast<std::size_t>(channels), 0.0f));
    b = g.add_tensor(std::move(bias));
    if (g.ops[*p].inputs.size() <= bias_input) g.ops[*p].inputs.resize(bias_input + 1, -1);
    g.ops[*p].inputs[bias_input] = b;
  } else {
    b = own_constant(g, *p, bias_input);
  }
  std::vector<float> bias = tensor_values<float>(g.tensors[static_cast<std::size_t>(b)]);
  const BuiltinOperator kind = g.ops[o].code;
  if (kind == BuiltinOperator::MUL) {
    const std::int32_t wo = own_constant(g, *p, weights_input);
    GraphTensor& wt2 = g.tensors[static_cast<std::size_t>(wo)];
    std::vector<float> weights = tensor_values<float>(wt2);
    const std::size_t per_channel = weights.size() / static_cast<std::size_t>(channels);
    for (std::size_t k = 0; k < weights.size(); ++k) {
      const auto ch = static_cast<std::int32_t>(code == BuiltinOperator::DEPTHWISE_CONV_2D
                                                    ? k % static_cast<std::size_t>(channels)
                                                    : k / per_channel);
      weights[k] *= at(ch);
    }
    set_tensor_values<float>(wt2, weights);
    for (std::int32_t ch = 0; ch < channels; ++ch) bias[static_cast<std::size_t>(ch)] *= at(ch);
  } else {
    const float sign = kind == BuiltinOperator::SUB ? -1.0f : 1.0f;
    for (std::int32_t ch = 0; ch < channels; ++ch)
      bias[static_cast<std::size_t>(ch)] += sign * at(ch);
  }
  set_tensor_values<float>(g.tensors[static_cast<std::size_t>(b)], bias);
  g.ops[*p].outputs[0] = g.ops[o].outputs[0];
  g.ops.erase(g.ops.begin() + static_cast<std::ptrdiff_t>(o));
  return true;
}

int version_of(const Graph& g, const GraphOp& op) {
  auto rank = [&](std::size_t i) {
    const std::int32_t t = op.input(i);
    return t < 0 ? 0 : static_cast<int>(g.tensors[static_cast<std::size_t>(t)].shape.size());
  };
  switch (op.code) {
    case BuiltinOperator::DEPTHWISE_CONV_2D: {
      const auto* o = op.options.AsDepthwiseConv2DOptions();
      return o && (o->dilation_w_factor != 1 || o->dilation_h_factor != 1) ? 2 : 1;
    }
    case BuiltinOperator::FULLY_CONNECTED: {
      if (op.input(2) < 0) return 6;  // no bias
      const auto* o = op.options.AsFullyConnectedOptions();
      return o && o->keep_num_dims ? 5 : 1;
    }
    case BuiltinOperator::TRANSPOSE_CONV: {
      const auto* o = op.options.AsTransposeConvOptions();
      if (o && o->fused_activation_function != ActivationFunctionType::NONE) return 4;
      return op.input(3) >= 0 ? 3 : 1;
    }
    case BuiltinOperator::TRANSPOSE:
    case BuiltinOperator::PAD:
    case BuiltinOperator::PADV2:
    case BuiltinOperator::STRIDED_SLICE:
      return rank(0) > 4 ? 4 : 1;
    case BuiltinOperator::SUB: {
      const bool broadcast =
          op.inputs.size() == 2 && g.tensors[static_cast<std::size_t>(op.inputs[0])].shape !=
                                       g.tensors[static_cast<std::size_t>(op.inputs[1])].shape;
      return broadcast && std::max(rank(0), rank(1)) > 4 ? 3 : 1;
    }
    default:
      return 1;
  }
}

}  // namespace

int fold_affine_into_weights(Graph& graph) {
  int folded = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t o = 0; o < graph.ops.size(); ++o) {
      if (fold_one(graph, o)) {
        ++folded;
        changed = true;
        break;
      }
    }
  }
  graph.remove_unused_tensors();
  return folded;
}

int fuse_activations(Graph& graph) {
  int fused = 0;
  for (std::size_t o = 0; o < graph.ops.size();) {
    const GraphOp& op = graph.ops[o];
    ActivationFunctionType kind;
    if (op.code == BuiltinOperator::RELU) {
      kind = ActivationFunctionType::RELU;
    } else if (op.code == BuiltinOperator::RELU6) {
      kind = ActivationFunctionType::RELU6;
    } else if (op.code == BuiltinOperator::RELU_N1_TO_1) {
      kind = ActivationFunctionType::RELU_N1_TO_1;
    } else {
      ++o;
      continue;
    }
    const auto p = sole_producer(graph, op.input(0), o);
    ActivationFunctionType* act = p ? activation_of(graph.ops[*p]) : nullptr;
    const auto combined = act ? combine(*act, kind) : std::nullopt;
    if (!combined || graph.ops[*p].code == BuiltinOperator::TRANSPOSE_CONV) {
      ++o;
      continue;
    }
    *act = *combined;
    graph.ops[*p].outputs[0] = op.outputs[0];
    graph.ops.erase(graph.ops.begin() + static_cast<std::ptrdiff_t>(o));
    ++fused;
  }
  graph.remove_unused_tensors();
  return fused;
}

void remove_redundant_ops(Graph& graph) {
  // RESHAPE of a RESHAPE reads the first one's input directly.
  for (GraphOp& op : graph.ops) {
    if (op.code != BuiltinOperator::RESHAPE) continue;
    for (;;) {
      const auto p = graph.producer(op.inputs[0]);
      if (!p || graph.ops[*p].code != BuiltinOperator::RESHAPE) break;
      op.inputs[0] = graph.ops[*p].inputs[0];
    }
  }
  // A RESHAPE to the same shape is its input (unless it makes a model output).
  for (std::size_t o = 0; o < graph.ops.size();) {
    GraphOp& op = graph.ops[o];
    const std::int32_t in = op.input(0), out = op.outputs.empty() ? -1 : op.outputs[0];
    if (op.code == BuiltinOperator::RESHAPE && !is_graph_output(graph, out) &&
        graph.tensors[static_cast<std::size_t>(in)].shape ==
            graph.tensors[static_cast<std::size_t>(out)].shape) {
      for (GraphOp& other : graph.ops) {
        std::replace(other.inputs.begin(), other.inputs.end(), out, in);
      }
      graph.ops.erase(graph.ops.begin() + static_cast<std::ptrdiff_t>(o));
      continue;
    }
    ++o;
  }
  // Ops nobody reads, from the back so chains disappear in one sweep.
  for (std::size_t o = graph.ops.size(); o-- > 0;) {
    bool used = false;
    for (std::int32_t t : graph.ops[o].outputs) {
      used = used || is_graph_output(graph, t) || !graph.consumers(t).empty();
    }
    if (!used) graph.ops.erase(graph.ops.begin() + static_cast<std::ptrdiff_t>(o));
  }
  graph.remove_unused_tensors();
}

void set_float_op_versions(Graph& graph) {
  for (GraphOp& op : graph.ops) op.version = version_of(graph, op);
}

}  // namespace mote::tools
