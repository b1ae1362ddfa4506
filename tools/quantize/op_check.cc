#include "tools/quantize/op_check.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include "tools/quantize/graph_runner.h"
#include "tools/quantize/quant_params.h"

namespace mote::tools {
namespace {

using Op = tflite::BuiltinOperator;

bool is_integer(TensorType t) {
  return t == TensorType::INT8 || t == TensorType::INT16 || t == TensorType::INT32 ||
         t == TensorType::INT64;
}

void dequantize_tensor(GraphTensor& t) {
  if (!is_integer(t.type) || !t.quant.quantized()) return;
  if (t.is_constant()) {
    const std::vector<float> values = dequantize_values(t.data, t.type, t.quant, t.shape);
    set_tensor_values<float>(t, values);
  }
  t.type = TensorType::FLOAT32;
  t.quant = {};
}

bool is_identity(Op code) { return code == Op::QUANTIZE || code == Op::DEQUANTIZE; }

std::vector<std::uint8_t> tensor_bytes(const Tensor& t) {
  const auto* p = static_cast<const std::uint8_t*>(t.data);
  return {p, p + t.bytes};
}

// The op's model inputs in the single-op graph: non-constant, non-variable, each once.
std::vector<std::int32_t> data_inputs(const Graph& g, const GraphOp& op) {
  std::vector<std::int32_t> inputs;
  for (std::int32_t t : op.inputs) {
    if (t < 0) continue;
    const GraphTensor& tensor = g.tensors[static_cast<std::size_t>(t)];
    if (tensor.is_constant() || tensor.is_variable) continue;
    if (std::find(inputs.begin(), inputs.end(), t) == inputs.end()) inputs.push_back(t);
  }
  return inputs;
}

struct OpHarness {
  std::unique_ptr<GraphRunner> integer;
  std::unique_ptr<GraphRunner> real;  // the dequantized twin, when there is one
  std::vector<std::int32_t> inputs;   // tensors of the full graph, in the twins' input order
};

}  // namespace

double op_check_tolerance(tflite::BuiltinOperator code, TensorType output_type) {
  switch (code) {
    case Op::RESHAPE:
    case Op::SQUEEZE:
    case Op::EXPAND_DIMS:
    case Op::MAX_POOL_2D:
    case Op::PAD:
    case Op::PADV2:
    case Op::TRANSPOSE:
    case Op::STRIDED_SLICE:
    case Op::CONCATENATION:
    case Op::DEQUANTIZE:
      return 1e-3;  // values are moved, not computed
    case Op::QUANTIZE:
      return 0.5 + 1e-3;  // one rounding
    case Op::SOFTMAX:
    case Op::LOGISTIC:
    case Op::TANH:
    case Op::HARD_SWISH:
      // Fixed-point approximations (gemmlowp exp and reciprocal, int16 lookup tables).
      return output_type == TensorType::INT16 ? 4.0 : 2.0;
    case Op::FULLY_CONNECTED:
    case Op::CONV_2D:
    case Op::DEPTHWISE_CONV_2D:
    case Op::TRANSPOSE_CONV:
      // 16x8 rescales 64-bit sums with TFLite's MultiplyByQuantizedMultiplier(int64), which keeps
      // 16 bits of the multiplier: up to 2^-15 relative, one more step at full int16 scale.
      return output_type == TensorType::INT16 ? 1.6 : 1.0;
    default:
      // One rescaling of an exact integer sum (plus TFLite's two-step rounding in ADD/SUB).
      return 1.0;
  }
}

Graph single_op_graph(const Graph& graph, std::size_t op_index, bool dequantized) {
  const GraphOp& original = graph.ops.at(op_index);
  Graph single;
  std::map<std::int32_t, std::int32_t> remap;
  auto bring = [&](std::int32_t t) -> std::int32_t {
    if (t < 0) return t;
    const auto found = remap.find(t);
    if (found != remap.end()) return found->second;
    GraphTensor copy = graph.tensors.at(static_cast<std::size_t>(t));
    if (dequantized) dequantize_tensor(copy);
    const std::int32_t index = single.add_tensor(std::move(copy));
    remap[t] = index;
    return index;
  };
  GraphOp op = original;
  for (std::int32_t& t : op.inputs) t = bring(t);
  for (std::int32_t& t : op.outputs) t = bring(t);
  if (dequantized) {
    op.intermediates.clear();
  } else {
    for (std::int32_t& t : op.intermediates) t = bring(t);
  }
  for (std::int32_t t : data_inputs(graph, original)) single.inputs.push_back(remap.at(t));
  single.outputs = op.outputs;
  single.ops.push_back(std::move(op));
  return single;
}

std::vector<OpCheck> check_quantized_ops(const Graph& quantized, const SampleSet& data,
                                         std::size_t max_samples, const ProgressFn& progress) {
  const std::size_t samples = max_samples == 0 ? data.count : std::min(max_samples, data.count);
  GraphRunner full(quantized, "the quantized model");
  std::vector<OpHarness> harness(quantized.ops.size());
  std::vector<OpCheck> checks(quantized.ops.size());
  for (std::size_t o = 0; o < quantized.ops.size(); ++o) {
    const GraphOp& op = quantized.ops[o];
    OpCheck& c = checks[o];
    c.op = o;
    c.name = op_name(op);
    c.output =
        op.outputs.empty() ? "" : quantized.tensors[static_cast<std::size_t>(op.outputs[0])].name;
    const GraphTensor& out = quantized.tensors[static_cast<std::size_t>(op.outputs.at(0))];
    c.tolerance_steps = op_check_tolerance(op.code, out.type);
    harness[o].inputs = data_inputs(quantized, op);
    harness[o].integer = std::make_unique<GraphRunner>(single_op_graph(quantized, o, false),
                                                       "op " + std::to_string(o) + " alone");
    // Recurrent ops round inside every time step: no per-op float bound is meaningful.
    c.checked_against_float = op.code != Op::UNIDIRECTIONAL_SEQUENCE_LSTM && op.code != Op::SVDF;
    if (c.checked_against_float && !is_identity(op.code)) {
      harness[o].real = std::make_unique<GraphRunner>(single_op_graph(quantized, o, true),
                                                      "op " + std::to_string(o) + " in float");
    }
  }

  for (std::size_t n = 0; n < samples; ++n) {
    // Every activation's bytes, copied right after the op that writes them.
    std::map<std::int32_t, std::vector<std::uint8_t>> bytes;
    full.reset_state();
    for (std::size_t i = 0; i < quantized.inputs.size(); ++i) {
      full.set_input_values(static_cast<std::uint32_t>(i), data.sample(i, n));
      const std::int32_t t = quantized.inputs[i];
      bytes[t] = tensor_bytes(full.interpreter().tensor(static_cast<std::uint32_t>(t)));
    }
    full.invoke([&](std::uint32_t o) {
      for (std::int32_t t : op_outputs(full.model(), o)) {
        bytes[t] = tensor_bytes(full.interpreter().tensor(static_cast<std::uint32_t>(t)));
      }
    });

    for (std::size_t o = 0; o < quantized.ops.size(); ++o) {
      const GraphOp& op = quantized.ops[o];
      OpHarness& h = harness[o];
      OpCheck& c = checks[o];
      // (1) the op alone, same integer inputs.
      h.integer->reset_state();
      for (std::size_t i = 0; i < h.inputs.size(); ++i) {
        h.integer->set_input_bytes(static_cast<std::uint32_t>(i), bytes.at(h.inputs[i]));
      }
      h.integer->invoke();
      for (std::size_t k = 0; k < op.outputs.size(); ++k) {
        const auto alone = h.integer->host().output_bytes(static_cast<std::uint32_t>(k));
        const auto& inside = bytes.at(op.outputs[k]);
        if (alone.size() != inside.size() ||
            !std::equal(alone.begin(), alone.end(), inside.begin())) {
          c.isolated_identical = false;
        }
      }
      if (!c.checked_against_float) continue;

      // (2) the float twin on the dequantized inputs.
      std::vector<std::vector<float>> real_inputs;
      for (std::int32_t t : h.inputs) {
        const GraphTensor& tensor = quantized.tensors[static_cast<std::size_t>(t)];
        const auto& raw = bytes.at(t);
        if (tensor.type == TensorType::FLOAT32) {
          std::vector<float> v(raw.size() / sizeof(float));
          std::memcpy(v.data(), raw.data(), raw.size());
          real_inputs.push_back(std::move(v));
        } else {
          real_inputs.push_back(dequantize_values(raw, tensor.type, tensor.quant, tensor.shape));
        }
      }
      std::vector<float> reference;
      if (is_identity(op.code)) {
        reference = real_inputs.at(0);
      } else {
        h.real->reset_state();
        for (std::size_t i = 0; i < real_inputs.size(); ++i) {
          h.real->set_input_values(static_cast<std::uint32_t>(i), real_inputs[i]);
        }
        h.real->invoke();
        reference = h.real->output_values(0);
      }
      const GraphTensor& out = quantized.tensors[static_cast<std::size_t>(op.outputs[0])];
      const auto& raw = bytes.at(op.outputs[0]);
      std::vector<float> actual;
      double step = 0.0;
      float lo = -INFINITY, hi = INFINITY;
      if (out.type == TensorType::FLOAT32) {
        actual.resize(raw.size() / sizeof(float));
        std::memcpy(actual.data(), raw.data(), raw.size());
        const GraphTensor& in = quantized.tensors[static_cast<std::size_t>(op.inputs.at(0))];
        step = in.quant.quantized() ? in.quant.scale[0] : 1.0;
      } else {
        actual = dequantize_values(raw, out.type, out.quant, out.shape);
        step = out.quant.scale[0];
        std::int64_t qmin = 0, qmax = 0;
        integer_limits(out.type, &qmin, &qmax);
        const double z = static_cast<double>(out.quant.zero_point[0]);
        lo = static_cast<float>((static_cast<double>(qmin) - z) * step);
        hi = static_cast<float>((static_cast<double>(qmax) - z) * step);
      }
      for (std::size_t k = 0; k < actual.size() && k < reference.size(); ++k) {
        const double expected = std::clamp(reference[k], lo, hi);
        const double error = std::abs(static_cast<double>(actual[k]) - expected) / step;
        c.max_error_steps = std::max(c.max_error_steps, std::isnan(error) ? INFINITY : error);
      }
      c.values += actual.size();
    }
    if (progress) progress("checking ops", n + 1, samples);
  }
  return checks;
}

}  // namespace mote::tools
