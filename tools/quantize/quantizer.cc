#include "tools/quantize/quantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/quantize/quant_params.h"

namespace mote::tools {
namespace {

using Op = tflite::BuiltinOperator;

constexpr int kLstmHiddenState = 18;
constexpr int kLstmCellState = 19;

std::string first_output_name(const Graph& g, const GraphOp& op) {
  if (op.outputs.empty() || op.outputs[0] < 0) return "";
  return g.tensors.at(static_cast<std::size_t>(op.outputs[0])).name;
}

std::string describe_ops(const std::vector<UnsupportedOp>& ops) {
  std::string text = fmt::format("mote cannot quantize {} op(s) of this model:", ops.size());
  for (const UnsupportedOp& u : ops) {
    text += fmt::format("\n  op {} {} (output '{}'): {}", u.index, u.op, u.output, u.reason);
  }
  text +=
      "\nmote quantizes FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, ADD, SUB, "
      "MUL, MEAN, AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, SQUEEZE, EXPAND_DIMS, PAD, PADV2, "
      "TRANSPOSE, STRIDED_SLICE, CONCATENATION, SOFTMAX, LOGISTIC, TANH, RELU, RELU6, "
      "RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, HARD_SWISH (int8 only) and "
      "UNIDIRECTIONAL_SEQUENCE_LSTM";
  return text;
}

// Disjoint sets of tensors that must share their quantization parameters.
class TensorGroups {
 public:
  explicit TensorGroups(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), std::int32_t{0});
  }
  std::int32_t find(std::int32_t t) {
    while (parent_[static_cast<std::size_t>(t)] != t) {
      parent_[static_cast<std::size_t>(t)] =
          parent_[static_cast<std::size_t>(parent_[static_cast<std::size_t>(t)])];
      t = parent_[static_cast<std::size_t>(t)];
    }
    return t;
  }
  void unite(std::int32_t a, std::int32_t b) {
    parent_[static_cast<std::size_t>(find(a))] = find(b);
  }

 private:
  std::vector<std::int32_t> parent_;
};

RealRange data_range(const GraphTensor& t) {
  const std::vector<float> values = tensor_values<float>(t);
  if (values.empty()) return {};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {*lo, *hi};
}

RealRange unite(RealRange a, RealRange b) {
  return {std::min(a.min, b.min), std::max(a.max, b.max)};
}

class Quantizer {
 public:
  Quantizer(const Graph& float_graph, const Calibration& calibration,
            const QuantizeOptions& options)
      : in_(float_graph), calibration_(calibration), options_(options), g_(float_graph) {}

  QuantizedModel run() {
    const std::vector<UnsupportedOp> unsupported = unsupported_ops(in_, options_);
    if (!unsupported.empty()) throw UnsupportedOpsError(unsupported);
    if (calibration_.tensors.size() != in_.tensors.size()) {
      throw std::runtime_error("the calibration was made on another graph");
    }
    classify();
    quantize_activations();
    quantize_weights_and_biases();
    quantize_lstm_states();
    if (options_.float_interface) add_float_interface();
    for (GraphOp& op : g_.ops) op.version = quantized_op_version(op, g_);
    g_.description = fmt::format("mote quantize: {} activations, int8 weights, {} calibration",
                                 tensor_type_name(options_.activations),
                                 range_method_name(calibration_.options.method));
    finish_report();
    g_.remove_unused_tensors();
    QuantizedModel result{std::move(g_), std::move(report_)};
    if (options_.check_runtime) {
      const std::vector<std::uint8_t> bytes = write_tflite(result.graph);
      const auto loaded = LoadedModel::from_bytes(bytes, "the quantized model");
      try {
        result.report.arena_bytes = measure_arena(loaded->model()).total;
      } catch (const std::exception& e) {
        throw std::runtime_error(
            fmt::format("the quantized model does not allocate in the mote runtime: {}", e.what()));
      }
    }
    return result;
  }

 private:
  enum class Role { kOther, kActivation, kWeights, kBias, kState };

  bool is_float(std::int32_t t) const {
    return t >= 0 && in_.tensors[static_cast<std::size_t>(t)].type == TensorType::FLOAT32;
  }

  // Marks weights, biases and LSTM states; every other float tensor is quantized as an
  // activation (constants among them with their own values' range).
  void classify() {
    roles_.assign(in_.tensors.size(), Role::kOther);
    for (std::size_t t = 0; t < in_.tensors.size(); ++t) {
      if (in_.tensors[t].type == TensorType::FLOAT32) roles_[t] = Role::kActivation;
    }
    for (std::size_t o = 0; o < in_.ops.size(); ++o) {
      const GraphOp& op = in_.ops[o];
      const OpRule rule = *op_rule(op, options_.rules);
      for (const WeightInput& w : rule.weights) {
        if (op.input(static_cast<std::size_t>(w.input)) >= 0) {
          roles_[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(w.input)])] =
              Role::kWeights;
        }
      }
      for (const BiasInput& b : rule.biases) {
        if (op.input(static_cast<std::size_t>(b.input)) >= 0) {
          roles_[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(b.input)])] =
              Role::kBias;
        }
      }
      if (rule.lstm && op.input(kLstmCellState) >= 0) {
        roles_[static_cast<std::size_t>(op.input(kLstmCellState))] = Role::kState;
      }
    }
  }

  RealRange observed_range(std::int32_t t) const {
    const GraphTensor& tensor = in_.tensors[static_cast<std::size_t>(t)];
    if (tensor.is_constant()) return data_range(tensor);
    const TensorStats& stats = calibration_.tensors.at(static_cast<std::size_t>(t));
    if (stats.empty()) {
      throw std::runtime_error(fmt::format(
          "tensor {} '{}' took no value during calibration, so it has no range", t, tensor.name));
    }
    return {stats.min(), stats.max()};
  }

  RealRange chosen_range(std::int32_t t) const {
    const GraphTensor& tensor = in_.tensors[static_cast<std::size_t>(t)];
    if (tensor.is_constant()) return data_range(tensor);
    return calibration_.range(t, options_.activations);
  }

  void quantize_activations() {
    const TensorType type = options_.activations;
    TensorGroups groups(in_.tensors.size());
    std::map<std::int32_t, std::string> fixed_by;  // tensor -> op that fixes it
    std::map<std::int32_t, QuantParams> fixed;
    for (const GraphOp& op : in_.ops) {
      const OpRule rule = *op_rule(op, options_.rules);
      const std::int32_t out = op.outputs.empty() ? -1 : op.outputs[0];
      for (int i : rule.same_as_output) {
        const std::int32_t t = op.input(static_cast<std::size_t>(i));
        if (out >= 0 && is_float(t) && roles_[static_cast<std::size_t>(t)] == Role::kActivation) {
          groups.unite(t, out);
          shared_with_[t] = "its " + op_name(op) + " neighbour";
          shared_with_[out] = "its " + op_name(op) + " neighbour";
        }
      }
      if (rule.lstm) {
        const std::int32_t hidden = op.input(kLstmHiddenState);
        if (out >= 0 && hidden >= 0) {
          groups.unite(hidden, out);
          shared_with_[hidden] = "the LSTM output (hidden state)";
        }
      }
      if (rule.fixed_output && out >= 0) {
        fixed[out] = fixed_output_params(op.code, type);
        fixed_by[out] = op_name(op);
      }
    }

    // Each group's range is the union of its members' ranges; a fixed member fixes them all.
    std::map<std::int32_t, RealRange> group_range;
    std::map<std::int32_t, std::int32_t> group_fixed;  // root -> fixed member
    std::vector<std::int32_t> members;
    for (std::size_t i = 0; i < in_.tensors.size(); ++i) {
      const auto t = static_cast<std::int32_t>(i);
      if (roles_[i] != Role::kActivation) continue;
      const GraphTensor& tensor = in_.tensors[i];
      const bool used = tensor.is_constant() || tensor.is_variable || in_.producer(t).has_value() ||
                        std::find(in_.inputs.begin(), in_.inputs.end(), t) != in_.inputs.end();
      if (!used) continue;
      members.push_back(t);
      const std::int32_t root = groups.find(t);
      if (fixed.count(t) != 0) {
        if (group_fixed.count(root) != 0 && !(fixed[group_fixed[root]] == fixed[t])) {
          report_.warnings.push_back(fmt::format(
              "tensor '{}' is fixed by {} but shares parameters with '{}', fixed otherwise; "
              "the first wins",
              tensor.name, fixed_by[t],
              in_.tensors[static_cast<std::size_t>(group_fixed[root])].name));
        } else {
          group_fixed[root] = t;
        }
        continue;
      }
      if (tensor.is_variable && !tensor.is_constant()) continue;  // states take their group's
      const RealRange r = chosen_range(t);
      auto found = group_range.find(root);
      group_range[root] = found == group_range.end() ? r : unite(found->second, r);
    }

    std::map<std::int32_t, QuantParams> group_params;
    for (std::int32_t t : members) {
      const std::int32_t root = groups.find(t);
      if (group_params.count(root) != 0) continue;
      if (group_fixed.count(root) != 0) {
        group_params[root] = fixed[group_fixed[root]];
        continue;
      }
      auto range = group_range.find(root);
      if (range == group_range.end()) {
        throw std::runtime_error(fmt::format("tensor '{}' has no calibrated range",
                                             in_.tensors[static_cast<std::size_t>(t)].name));
      }
      QuantParams p = type == TensorType::INT16 ? symmetric_params(range->second, 32767)
                                                : asymmetric_params(range->second, -128, 127);
      if (!(p.scale[0] > 0.0f) || !std::isfinite(p.scale[0])) {
        report_.warnings.push_back(
            fmt::format("tensor '{}' was {} on every calibration sample; it gets the range [-1, 1]",
                        in_.tensors[static_cast<std::size_t>(t)].name, range->second.min));
        p = type == TensorType::INT16 ? symmetric_params({-1.0f, 1.0f}, 32767)
                                      : asymmetric_params({-1.0f, 1.0f}, -128, 127);
      }
      group_params[root] = p;
    }

    for (std::int32_t t : members) {
      const std::int32_t root = groups.find(t);
      GraphTensor& tensor = g_.tensors[static_cast<std::size_t>(t)];
      const GraphTensor& original = in_.tensors[static_cast<std::size_t>(t)];
      tensor.type = type;
      tensor.quant = group_params[root];
      if (original.is_constant()) {
        tensor.data = quantize_values(tensor_values<float>(original), tensor.quant, type);
      }
      TensorQuantization q;
      q.tensor = t;
      q.name = original.name;
      q.type = type;
      q.params = tensor.quant;
      q.role = original.is_constant()                                                   ? "constant"
               : original.is_variable                                                   ? "state"
               : std::find(in_.inputs.begin(), in_.inputs.end(), t) != in_.inputs.end() ? "input"
               : std::find(in_.outputs.begin(), in_.outputs.end(), t) != in_.outputs.end()
                   ? "output"
                   : "activation";
      if (!original.is_variable || original.is_constant()) {
        q.has_range = true;
        q.observed = observed_range(t);
        q.chosen = chosen_range(t);
      }
      if (group_fixed.count(root) != 0) {
        const std::int32_t f = group_fixed[root];
        q.rule = f == t ? "fixed by " + fixed_by[f]
                        : "fixed by " + fixed_by[f] + " (shared through " + shared_with_[t] + ")";
      } else if (shared_with_.count(t) != 0) {
        q.rule = "same as " + shared_with_[t];
      } else {
        q.rule = original.is_constant() ? "from its values" : "calibrated";
      }
      tensor_reports_[t] = q;
    }
  }

  // A tensor of g_ to rewrite for op `o`'s input `i`: the tensor itself when only this op reads
  // it, otherwise a copy (another op may need it with other parameters).
  std::int32_t own_input(std::size_t o, std::size_t i) {
    const std::int32_t t = g_.ops[o].inputs[i];
    if (in_.consumers(t).size() <= 1 && rewritten_.insert(t).second) return t;
    GraphTensor copy = in_.tensors[static_cast<std::size_t>(t)];
    const std::int32_t c = g_.add_tensor(std::move(copy));
    g_.ops[o].inputs[i] = c;
    return c;
  }

  void quantize_weights_and_biases() {
    const TensorType bias_type =
        options_.activations == TensorType::INT16 ? TensorType::INT64 : TensorType::INT32;
    for (std::size_t o = 0; o < g_.ops.size(); ++o) {
      const OpRule rule = *op_rule(in_.ops[o], options_.rules);
      std::map<int, std::int32_t> weights_of;  // input index -> quantized weights tensor
      for (const WeightInput& w : rule.weights) {
        const auto i = static_cast<std::size_t>(w.input);
        const std::int32_t original = in_.ops[o].input(i);
        if (original < 0) continue;
        const std::int32_t t = own_input(o, i);
        GraphTensor& tensor = g_.tensors[static_cast<std::size_t>(t)];
        std::optional<int> axis = w.axis;
        if (axis && static_cast<std::size_t>(*axis) >= tensor.shape.size()) axis.reset();
        const QuantizedWeights q =
            quantize_weights(tensor_values<float>(in_.tensors[static_cast<std::size_t>(original)]),
                             tensor.shape, axis);
        tensor.type = TensorType::INT8;
        tensor.quant = q.params;
        set_tensor_values<std::int8_t>(tensor, q.values);
        weights_of[w.input] = t;
        TensorQuantization r;
        r.tensor = t;
        r.name = tensor.name;
        r.role = "weights";
        r.type = TensorType::INT8;
        r.params = q.params;
        r.has_range = true;
        r.observed = r.chosen = data_range(in_.tensors[static_cast<std::size_t>(original)]);
        r.rule = axis ? fmt::format("symmetric, per channel along axis {}", *axis)
                      : "symmetric, per tensor";
        tensor_reports_[t] = r;
      }
      for (const BiasInput& b : rule.biases) {
        const auto i = static_cast<std::size_t>(b.input);
        const std::int32_t original = in_.ops[o].input(i);
        if (original < 0) continue;
        const std::int32_t t = own_input(o, i);
        GraphTensor& tensor = g_.tensors[static_cast<std::size_t>(t)];
        const GraphTensor& activation = g_.tensors[static_cast<std::size_t>(
            g_.ops[o].inputs[static_cast<std::size_t>(b.activation)])];
        const GraphTensor& weights = g_.tensors[static_cast<std::size_t>(weights_of.at(b.weights))];
        const QuantizedBias q =
            quantize_bias(tensor_values<float>(in_.tensors[static_cast<std::size_t>(original)]),
                          activation.quant.scale.at(0), weights.quant.scale, bias_type);
        if (q.saturated != 0) {
          report_.warnings.push_back(fmt::format(
              "bias '{}' of op {} {}: {} value(s) exceed the {} range at scale input x weights "
              "and were clamped",
              tensor.name, o, op_name(g_.ops[o]), q.saturated, tensor_type_name(bias_type)));
        }
        tensor.type = bias_type;
        tensor.quant = q.params;
        tensor.data = q.bytes;
        TensorQuantization r;
        r.tensor = t;
        r.name = tensor.name;
        r.role = "bias";
        r.type = bias_type;
        r.params = q.params;
        r.has_range = true;
        r.observed = r.chosen = data_range(in_.tensors[static_cast<std::size_t>(original)]);
        r.rule = "scale = input scale x weight scale";
        tensor_reports_[t] = r;
      }
    }
  }

  // TFLite's integer LSTM: an int16 cell state with a power-of-two scale, the hidden state sharing
  // the output's parameters (done with the activations), and the five intermediate tensors the
  // converter writes (TFLM ignores them; TFLite's integer kernel reads them).
  void quantize_lstm_states() {
    for (std::size_t o = 0; o < g_.ops.size(); ++o) {
      GraphOp& op = g_.ops[o];
      if (op.code != Op::UNIDIRECTIONAL_SEQUENCE_LSTM) continue;
      const std::int32_t cell = op.input(kLstmCellState);
      const std::int32_t hidden = op.input(kLstmHiddenState);
      if (cell >= 0) {
        const auto found = calibration_.cell_states.find(cell);
        if (found == calibration_.cell_states.end() || found->second.empty()) {
          throw std::runtime_error(fmt::format("LSTM op {}: its cell state was not calibrated", o));
        }
        RealRange r{found->second.min(), found->second.max()};
        const auto* options = op.options.AsUnidirectionalSequenceLSTMOptions();
        if (options != nullptr && options->cell_clip > 0.0f) {
          // The kernel clips the cell state there: no need to represent more.
          r.min = std::max(r.min, -options->cell_clip);
          r.max = std::min(r.max, options->cell_clip);
        }
        GraphTensor& tensor = g_.tensors[static_cast<std::size_t>(cell)];
        tensor.type = TensorType::INT16;
        tensor.quant = power_of_two_params(r);
        TensorQuantization q;
        q.tensor = cell;
        q.name = tensor.name;
        q.role = "state";
        q.type = TensorType::INT16;
        q.params = tensor.quant;
        q.has_range = true;
        q.observed = {found->second.min(), found->second.max()};
        q.chosen = r;
        q.rule = "LSTM cell state: int16, power-of-two scale";
        tensor_reports_[cell] = q;
      }
      if (op.intermediates.empty() && hidden >= 0) {
        // A copy: adding tensors below may move g_.tensors.
        const float hidden_scale = g_.tensors[static_cast<std::size_t>(hidden)].quant.scale.at(0);
        for (const char* gate : {"input", "forget", "cell", "output"}) {
          GraphTensor t;
          t.name = fmt::format("input_to_{}_intermediate", gate);
          t.shape = {0};
          op.intermediates.push_back(g_.add_tensor(std::move(t)));
        }
        GraphTensor effective;
        effective.name = "effective_hidden_scale_intermediate";
        effective.type = options_.activations;
        effective.shape = {0};
        effective.quant = per_tensor(hidden_scale, 0);
        op.intermediates.push_back(g_.add_tensor(std::move(effective)));
      }
    }
  }

  void add_float_interface() {
    const std::string suffix = options_.activations == TensorType::INT16 ? "_int16" : "_int8";
    std::vector<GraphOp> front;
    for (std::int32_t& input : g_.inputs) {
      const std::int32_t q = input;
      GraphTensor f = g_.tensors[static_cast<std::size_t>(q)];
      f.type = TensorType::FLOAT32;
      f.quant = {};
      f.data.clear();
      g_.tensors[static_cast<std::size_t>(q)].name += suffix;
      const std::int32_t fi = g_.add_tensor(std::move(f));
      GraphOp quantize;
      quantize.code = Op::QUANTIZE;
      quantize.inputs = {fi};
      quantize.outputs = {q};
      front.push_back(std::move(quantize));
      input = fi;
    }
    g_.ops.insert(g_.ops.begin(), front.begin(), front.end());
    for (std::int32_t& output : g_.outputs) {
      const std::int32_t q = output;
      GraphTensor f = g_.tensors[static_cast<std::size_t>(q)];
      f.type = TensorType::FLOAT32;
      f.quant = {};
      g_.tensors[static_cast<std::size_t>(q)].name += suffix;
      const std::int32_t fo = g_.add_tensor(std::move(f));
      GraphOp dequantize;
      dequantize.code = Op::DEQUANTIZE;
      dequantize.inputs = {q};
      dequantize.outputs = {fo};
      g_.ops.push_back(std::move(dequantize));
      output = fo;
    }
  }

  // Reports every rewritten tensor under the index it has once unused tensors are removed (the
  // same renumbering as Graph::remove_unused_tensors).
  void finish_report() {
    std::vector<bool> used(g_.tensors.size(), false);
    auto mark = [&](const std::vector<std::int32_t>& list) {
      for (std::int32_t t : list) {
        if (t >= 0) used[static_cast<std::size_t>(t)] = true;
      }
    };
    mark(g_.inputs);
    mark(g_.outputs);
    for (const GraphOp& op : g_.ops) {
      mark(op.inputs);
      mark(op.outputs);
      mark(op.intermediates);
    }
    std::vector<std::int32_t> renumber(g_.tensors.size(), -1);
    std::int32_t next = 0;
    for (std::size_t t = 0; t < used.size(); ++t) {
      if (used[t]) renumber[t] = next++;
    }
    for (auto& [t, q] : tensor_reports_) {
      if (renumber[static_cast<std::size_t>(t)] < 0) continue;
      q.name = g_.tensors[static_cast<std::size_t>(t)].name;
      q.tensor = renumber[static_cast<std::size_t>(t)];
      report_.tensors.push_back(q);
    }
  }

  const Graph& in_;
  const Calibration& calibration_;
  const QuantizeOptions& options_;
  Graph g_;
  std::vector<Role> roles_;
  std::set<std::int32_t> rewritten_;
  std::map<std::int32_t, std::string> shared_with_;
  std::map<std::int32_t, TensorQuantization> tensor_reports_;
  QuantizeReport report_;
};

}  // namespace

UnsupportedOpsError::UnsupportedOpsError(std::vector<UnsupportedOp> ops)
    : std::runtime_error(describe_ops(ops)), ops_(std::move(ops)) {}

std::vector<UnsupportedOp> unsupported_ops(const Graph& graph, const QuantizeOptions& options) {
  std::vector<UnsupportedOp> result;
  const bool int16 = options.activations == TensorType::INT16;
  for (std::size_t o = 0; o < graph.ops.size(); ++o) {
    const GraphOp& op = graph.ops[o];
    auto refuse = [&](std::string reason) {
      result.push_back({o, op_name(op), first_output_name(graph, op), std::move(reason)});
    };
    const std::optional<OpRule> rule = op_rule(op, options.rules);
    if (!rule) {
      refuse("no integer kernel to quantize it for");
      continue;
    }
    if (int16 && !rule->int16) {
      refuse("the runtime has no 16x8 (int16 activation) kernel for it; quantize to int8");
      continue;
    }
    const std::int32_t in = op.input(0);
    if (in >= 0 && graph.tensors[static_cast<std::size_t>(in)].type != TensorType::FLOAT32 &&
        op.code != Op::TRANSPOSE_CONV) {
      refuse(fmt::format("its input is {}, not float32: the model is already quantized",
                         tensor_type_name(graph.tensors[static_cast<std::size_t>(in)].type)));
      continue;
    }
    for (const WeightInput& w : rule->weights) {
      const std::int32_t t = op.input(static_cast<std::size_t>(w.input));
      if (t < 0) continue;
      const GraphTensor& tensor = graph.tensors[static_cast<std::size_t>(t)];
      if (!tensor.is_constant() || tensor.type != TensorType::FLOAT32) {
        refuse(fmt::format("its weights '{}' are not float32 constants", tensor.name));
        break;
      }
    }
    for (const BiasInput& b : rule->biases) {
      const std::int32_t t = op.input(static_cast<std::size_t>(b.input));
      if (t < 0) continue;
      const GraphTensor& tensor = graph.tensors[static_cast<std::size_t>(t)];
      if (!tensor.is_constant() || tensor.type != TensorType::FLOAT32) {
        refuse(fmt::format("its bias '{}' is not a float32 constant", tensor.name));
        break;
      }
    }
  }
  return result;
}

QuantizedModel quantize(const Graph& float_graph, const Calibration& calibration,
                        const QuantizeOptions& options) {
  if (options.activations != TensorType::INT8 && options.activations != TensorType::INT16) {
    throw std::invalid_argument("activations are int8 or int16");
  }
  return Quantizer(float_graph, calibration, options).run();
}

}  // namespace mote::tools
