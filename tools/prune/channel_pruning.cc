#include "tools/prune/channel_pruning.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "tools/prune/tensor_slicing.h"

namespace mote::tools {
namespace {

using tflite::BuiltinOperator;

// Where channels go from a pruned layer's output. Every tensor in `tensors` carries the channels
// with channel = (flat element index) mod C, so that reshapes which keep the channels innermost
// are followed too.
struct Closure {
  std::vector<std::int32_t> tensors;
  std::vector<std::size_t> depthwise;  // DEPTHWISE_CONV_2D ops the channels pass through
  std::vector<std::size_t> reshapes;   // RESHAPE ops whose target shape changes
  std::vector<std::size_t> convs;      // CONV_2D consumers: filter input channels (dim 3)
  std::vector<std::size_t> dense;      // FULLY_CONNECTED consumers: weight columns j, j mod C
  std::string refusal;
};

bool channel_wise(BuiltinOperator code) {
  switch (code) {
    case BuiltinOperator::RELU:
    case BuiltinOperator::RELU6:
    case BuiltinOperator::RELU_N1_TO_1:
    case BuiltinOperator::RELU_0_TO_1:
    case BuiltinOperator::LEAKY_RELU:
    case BuiltinOperator::HARD_SWISH:
    case BuiltinOperator::LOGISTIC:
    case BuiltinOperator::TANH:
    case BuiltinOperator::MAX_POOL_2D:
    case BuiltinOperator::AVERAGE_POOL_2D:
    case BuiltinOperator::QUANTIZE:
    case BuiltinOperator::DEQUANTIZE:
      return true;
    default:
      return false;
  }
}

const GraphTensor& tensor(const Graph& g, std::int32_t t) {
  return g.tensors.at(static_cast<std::size_t>(t));
}

std::int64_t last_dim(const Graph& g, std::int32_t t) {
  const GraphTensor& x = tensor(g, t);
  return x.shape.empty() ? 1 : x.shape.back();
}

// Constant int32 values of input `i` of `op`, or empty.
std::vector<std::int32_t> constant_ints(const Graph& g, const GraphOp& op, std::size_t i) {
  const std::int32_t t = op.input(i);
  if (t < 0 || !tensor(g, t).is_constant() || tensor(g, t).type != TensorType::INT32) return {};
  return tensor_values<std::int32_t>(tensor(g, t));
}

// Whether `op` (reading channel tensor `x` with C channels) can drop channels; fills `closure`
// and returns the tensor the channels continue in (-1: they end here), or sets the refusal.
std::int32_t follow(const Graph& g, std::size_t o, std::int32_t x, std::int64_t channels,
                    Closure& closure) {
  const GraphOp& op = g.ops[o];
  const std::string where = fmt::format("{} (op {})", op_name(op), o);
  const std::int64_t count = std::count(op.inputs.begin(), op.inputs.end(), x);
  if (count != 1 || op.input(0) != x) {
    closure.refusal = fmt::format("its channels reach {} as another input than the first", where);
    return -1;
  }
  const std::int32_t out = op.outputs.empty() ? -1 : op.outputs[0];
  if (channel_wise(op.code)) return out;
  switch (op.code) {
    case BuiltinOperator::PAD:
    case BuiltinOperator::PADV2: {
      const std::vector<std::int32_t> pads = constant_ints(g, op, 1);
      if (pads.size() < 2 || pads[pads.size() - 1] != 0 || pads[pads.size() - 2] != 0) {
        closure.refusal = fmt::format("{} pads the channel dimension", where);
        return -1;
      }
      return out;
    }
    case BuiltinOperator::MEAN: {
      const std::vector<std::int32_t> axes = constant_ints(g, op, 1);
      const auto rank = static_cast<std::int32_t>(tensor(g, x).shape.size());
      const bool keeps_channels =
          !axes.empty() && std::none_of(axes.begin(), axes.end(),
                                        [&](std::int32_t a) { return a == rank - 1 || a == -1; });
      if (!keeps_channels || last_dim(g, out) != channels) {
        closure.refusal = fmt::format("{} reduces over the channels", where);
        return -1;
      }
      return out;
    }
    case BuiltinOperator::RESHAPE:
    case BuiltinOperator::SQUEEZE:
    case BuiltinOperator::EXPAND_DIMS:
      // Element order is unchanged: channels stay innermost while the new last dimension holds
      // whole groups of them.
      if (last_dim(g, out) % channels != 0) {
        closure.refusal = fmt::format("{} splits the channel dimension", where);
        return -1;
      }
      if (op.code == BuiltinOperator::RESHAPE) closure.reshapes.push_back(o);
      return out;
    case BuiltinOperator::DEPTHWISE_CONV_2D: {
      const auto* options = op.options.AsDepthwiseConv2DOptions();
      const std::int32_t filter = op.input(1);
      if (options == nullptr || last_dim(g, out) != channels || last_dim(g, x) != channels ||
          filter < 0 || !tensor(g, filter).is_constant()) {
        closure.refusal = fmt::format("{} has a depth multiplier other than 1", where);
        return -1;
      }
      closure.depthwise.push_back(o);
      return out;
    }
    case BuiltinOperator::CONV_2D: {
      const std::int32_t filter = op.input(1);
      if (filter < 0 || !tensor(g, filter).is_constant() || tensor(g, filter).shape.size() != 4 ||
          tensor(g, filter).shape[3] != channels || last_dim(g, x) != channels) {
        closure.refusal = fmt::format("{} is a grouped convolution", where);
        return -1;
      }
      closure.convs.push_back(o);
      return -1;
    }
    case BuiltinOperator::FULLY_CONNECTED: {
      const std::int32_t weights = op.input(1);
      if (weights < 0 || !tensor(g, weights).is_constant() ||
          tensor(g, weights).shape.size() != 2 || tensor(g, weights).shape[1] % channels != 0) {
        closure.refusal = fmt::format("{} does not read the channels innermost", where);
        return -1;
      }
      closure.dense.push_back(o);
      return -1;
    }
    default:
      closure.refusal = fmt::format(
          "its channels reach {}, which cannot drop them consistently (an element-wise op or "
          "concatenation joins them with channels of another tensor)",
          where);
      return -1;
  }
}

Closure closure_of(const Graph& g, std::int32_t start, std::int64_t channels) {
  Closure closure;
  std::vector<std::int32_t> pending{start};
  while (!pending.empty() && closure.refusal.empty()) {
    const std::int32_t x = pending.back();
    pending.pop_back();
    if (std::find(closure.tensors.begin(), closure.tensors.end(), x) != closure.tensors.end()) {
      continue;
    }
    closure.tensors.push_back(x);
    if (std::find(g.outputs.begin(), g.outputs.end(), x) != g.outputs.end()) {
      closure.refusal = fmt::format("its channels reach model output '{}'", tensor(g, x).name);
      break;
    }
    for (std::size_t o : g.consumers(x)) {
      const std::int32_t next = follow(g, o, x, channels, closure);
      if (!closure.refusal.empty()) break;
      if (next >= 0) pending.push_back(next);
    }
  }
  if (closure.refusal.empty() && closure.convs.empty() && closure.dense.empty()) {
    closure.refusal = "no CONV_2D or FULLY_CONNECTED layer consumes its channels";
  }
  return closure;
}

// A constant read by more than one op cannot change for one of them.
bool shared_constant(const Graph& g, std::int32_t t) { return g.consumers(t).size() > 1; }

std::vector<bool> repeat_mask(const std::vector<bool>& keep, std::size_t length) {
  std::vector<bool> mask(length);
  for (std::size_t j = 0; j < length; ++j) mask[j] = keep[j % keep.size()];
  return mask;
}

void apply(Graph& g, std::size_t producer, const Closure& closure, const std::vector<bool>& keep) {
  const std::size_t channels = keep.size();
  const auto kept = static_cast<std::size_t>(std::count(keep.begin(), keep.end(), true));
  GraphOp& p = g.ops[producer];
  keep_along_axis(g.tensors[static_cast<std::size_t>(p.input(1))], 0, keep);
  if (p.input(2) >= 0) keep_along_axis(g.tensors[static_cast<std::size_t>(p.input(2))], 0, keep);
  for (std::int32_t t : closure.tensors) {
    GraphTensor& x = g.tensors[static_cast<std::size_t>(t)];
    const auto groups = static_cast<std::size_t>(x.shape.back()) / channels;
    x.shape.back() = static_cast<std::int32_t>(groups * kept);
    if (!x.shape_signature.empty()) x.shape_signature.back() = x.shape.back();
  }
  for (std::size_t o : closure.depthwise) {
    GraphOp& op = g.ops[o];
    keep_along_axis(g.tensors[static_cast<std::size_t>(op.input(1))], 3, keep);
    if (op.input(2) >= 0)
      keep_along_axis(g.tensors[static_cast<std::size_t>(op.input(2))], 0, keep);
  }
  for (std::size_t o : closure.reshapes) {
    GraphOp& op = g.ops[o];
    const std::vector<std::int32_t> shape = tensor(g, op.outputs[0]).shape;
    if (op.input(1) >= 0) {
      set_tensor_values<std::int32_t>(g.tensors[static_cast<std::size_t>(op.input(1))], shape);
    }
    if (auto* options = op.options.AsReshapeOptions();
        options != nullptr && !options->new_shape.empty()) {
      options->new_shape = shape;
    }
  }
  for (std::size_t o : closure.convs) {
    keep_along_axis(g.tensors[static_cast<std::size_t>(g.ops[o].input(1))], 3, keep);
  }
  for (std::size_t o : closure.dense) {
    GraphTensor& w = g.tensors[static_cast<std::size_t>(g.ops[o].input(1))];
    keep_along_axis(w, 1, repeat_mask(keep, static_cast<std::size_t>(w.shape[1])));
  }
}

}  // namespace

std::vector<ChannelLayer> prune_channels(Graph& graph, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw std::runtime_error(fmt::format("channel fraction must be in [0, 1), got {}", fraction));
  }
  std::vector<ChannelLayer> rows;
  for (std::size_t o = 0; o < graph.ops.size(); ++o) {
    const GraphOp& op = graph.ops[o];
    if (op.code != BuiltinOperator::CONV_2D && op.code != BuiltinOperator::FULLY_CONNECTED)
      continue;
    ChannelLayer row;
    row.op = o;
    row.op_name = op_name(op);
    const std::int32_t weights = op.input(1);
    const std::int32_t out = op.outputs.empty() ? -1 : op.outputs[0];
    row.output = out >= 0 ? tensor(graph, out).name : "";
    if (weights < 0 || out < 0 || !tensor(graph, weights).is_constant()) {
      row.skipped = "its weights are not constant";
      rows.push_back(row);
      continue;
    }
    const GraphTensor& w = tensor(graph, weights);
    const auto channels = static_cast<std::size_t>(w.shape.at(0));
    row.channels_before = row.channels_after = channels;
    const auto remove =
        static_cast<std::size_t>(std::floor(fraction * static_cast<double>(channels)));
    const std::size_t keep_count = std::max<std::size_t>(1, channels - std::min(remove, channels));
    if (keep_count == channels) {
      row.skipped = "nothing to remove at this fraction";
      rows.push_back(row);
      continue;
    }
    if (op.code == BuiltinOperator::CONV_2D) {
      const std::int32_t in = op.input(0);
      if (w.shape.size() != 4 || last_dim(graph, in) != w.shape[3]) {
        row.skipped = "it is a grouped convolution";
        rows.push_back(row);
        continue;
      }
    }
    if (last_dim(graph, out) != static_cast<std::int64_t>(channels)) {
      row.skipped = "its output's last dimension is not its channels";
      rows.push_back(row);
      continue;
    }
    const Closure closure = closure_of(graph, out, static_cast<std::int64_t>(channels));
    std::string refusal = closure.refusal;
    if (refusal.empty()) {
      std::vector<std::int32_t> constants{weights, op.input(2)};
      for (std::size_t c : closure.depthwise) {
        constants.push_back(graph.ops[c].input(1));
        constants.push_back(graph.ops[c].input(2));
      }
      for (std::size_t c : closure.convs) constants.push_back(graph.ops[c].input(1));
      for (std::size_t c : closure.dense) constants.push_back(graph.ops[c].input(1));
      for (std::size_t c : closure.reshapes) constants.push_back(graph.ops[c].input(1));
      for (std::int32_t t : constants) {
        if (t >= 0 && shared_constant(graph, t)) {
          refusal = fmt::format("constant '{}' is shared with another op", tensor(graph, t).name);
          break;
        }
      }
    }
    if (!refusal.empty()) {
      row.skipped = refusal;
      rows.push_back(row);
      continue;
    }
    // Keep the channels with the largest L1 norms (ties: the earlier channel).
    const std::vector<double> norms = l1_norms(w, 0);
    std::vector<std::size_t> order(channels);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return norms[a] > norms[b]; });
    std::vector<bool> keep(channels, false);
    for (std::size_t k = 0; k < keep_count; ++k) keep[order[k]] = true;
    apply(graph, o, closure, keep);
    row.channels_after = keep_count;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace mote::tools
