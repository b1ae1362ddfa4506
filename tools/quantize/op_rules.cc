#include "tools/quantize/op_rules.h"

#include <algorithm>

namespace mote::tools {
namespace {

using Op = tflite::BuiltinOperator;

TensorType type_of(const Graph& graph, std::int32_t t) {
  return t < 0 ? TensorType::FLOAT32 : graph.tensors.at(static_cast<std::size_t>(t)).type;
}

std::size_t rank_of(const Graph& graph, std::int32_t t) {
  return t < 0 ? 0 : graph.tensors.at(static_cast<std::size_t>(t)).shape.size();
}

}  // namespace

std::optional<OpRule> op_rule(const GraphOp& op, const RuleOptions& options) {
  OpRule r;
  r.int8 = true;
  r.int16 = true;
  switch (op.code) {
    case Op::FULLY_CONNECTED:
      r.weights = {{1, options.per_channel_dense ? std::optional<int>(0) : std::nullopt}};
      r.biases = {{2, 0, 1}};
      return r;
    case Op::CONV_2D:
      r.weights = {{1, 0}};
      r.biases = {{2, 0, 1}};
      return r;
    case Op::DEPTHWISE_CONV_2D:
      r.weights = {{1, 3}};
      r.biases = {{2, 0, 1}};
      return r;
    case Op::TRANSPOSE_CONV:
      // Inputs: output shape, filter [out, h, w, in], input, optional bias.
      r.weights = {{1, 0}};
      r.biases = {{3, 2, 1}};
      return r;
    case Op::ADD:
    case Op::SUB:
    case Op::MUL:
    case Op::MEAN:
    case Op::RELU:
    case Op::RELU_N1_TO_1:
    case Op::RELU_0_TO_1:
    case Op::LEAKY_RELU:
      return r;
    case Op::HARD_SWISH:
      r.int16 = false;
      return r;
    case Op::RESHAPE:
    case Op::SQUEEZE:
    case Op::EXPAND_DIMS:
    case Op::MAX_POOL_2D:
    case Op::AVERAGE_POOL_2D:
    case Op::PAD:
    case Op::TRANSPOSE:
    case Op::STRIDED_SLICE:
    case Op::RELU6:  // TFLM's RELU6 clamps with the input's parameters and does not requantize
      r.same_as_output = {0};
      return r;
    case Op::PADV2:
      r.same_as_output = {0, 2};  // the pad value is written into the output as it is
      return r;
    case Op::CONCATENATION:
      for (int i = 0; i < static_cast<int>(op.inputs.size()); ++i) r.same_as_output.push_back(i);
      return r;
    case Op::SOFTMAX:
    case Op::LOGISTIC:
    case Op::TANH:
      r.fixed_output = true;
      return r;
    case Op::UNIDIRECTIONAL_SEQUENCE_LSTM:
      r.lstm = true;
      for (int i = 1; i <= 8; ++i) r.weights.push_back({i, std::nullopt});
      for (int g = 0; g < 4; ++g) r.biases.push_back({12 + g, 0, 1 + g});
      return r;
    default:
      return std::nullopt;
  }
}

QuantParams fixed_output_params(tflite::BuiltinOperator code, TensorType type) {
  if (type == TensorType::INT16) return per_tensor(1.0f / 32768.0f, 0);
  if (code == Op::TANH) return per_tensor(1.0f / 128.0f, 0);
  return per_tensor(1.0f / 256.0f, -128);  // SOFTMAX, LOGISTIC
}

int quantized_op_version(const GraphOp& op, const Graph& graph) {
  const TensorType in = type_of(graph, op.input(0));
  const bool int16 = in == TensorType::INT16;
  const bool int8 = in == TensorType::INT8;
  int v = 1;
  switch (op.code) {
    case Op::CONV_2D: {
      // Grouped when the filter is shallower than the input.
      const auto& filter = graph.tensors.at(static_cast<std::size_t>(op.input(1)));
      const auto& input = graph.tensors.at(static_cast<std::size_t>(op.input(0)));
      const bool grouped = !filter.shape.empty() && !input.shape.empty() &&
                           filter.shape.back() != input.shape.back();
      v = grouped ? 6 : 3;
      break;
    }
    case Op::DEPTHWISE_CONV_2D:
      v = 3;
      break;
    case Op::FULLY_CONNECTED: {
      const auto* o = op.options.AsFullyConnectedOptions();
      if (op.input(2) < 0) {
        v = 6;
      } else if (o != nullptr && o->keep_num_dims) {
        v = 5;
      } else {
        v = 4;
      }
      break;
    }
    case Op::TRANSPOSE_CONV: {
      const auto* o = op.options.AsTransposeConvOptions();
      if (o != nullptr && o->fused_activation_function != tflite::ActivationFunctionType::NONE) {
        v = 4;
      } else if (op.input(3) >= 0) {
        v = 3;
      } else {
        v = 2;
      }
      break;
    }
    case Op::ADD:
      v = int16 ? 3 : 2;
      break;
    case Op::SUB:
      v = int16 ? 5
                : (std::max(rank_of(graph, op.input(0)), rank_of(graph, op.input(1))) > 4 &&
                           graph.tensors[static_cast<std::size_t>(op.input(0))].shape !=
                               graph.tensors[static_cast<std::size_t>(op.input(1))].shape
                       ? 3
                       : 2);
      break;
    case Op::MUL: {
      if (int16) {
        v = 4;
        break;
      }
      v = 2;
      const auto& a = graph.tensors.at(static_cast<std::size_t>(op.input(0))).quant;
      const auto& b = graph.tensors.at(static_cast<std::size_t>(op.input(1))).quant;
      const auto& out = graph.tensors.at(static_cast<std::size_t>(op.outputs.at(0))).quant;
      if (a.quantized() && b.quantized() && out.quantized() &&
          a.scale[0] * b.scale[0] / out.scale[0] >= 1.0f) {
        v = 3;
      }
      break;
    }
    case Op::MAX_POOL_2D:
    case Op::AVERAGE_POOL_2D:
    case Op::SOFTMAX:
    case Op::MEAN:
    case Op::RELU6:
    case Op::RELU:
    case Op::LOGISTIC:
    case Op::TANH:
    case Op::CONCATENATION:
      v = int16 ? 3 : 2;
      break;
    case Op::PAD:
    case Op::PADV2:
      v = rank_of(graph, op.input(0)) > 4 ? 4 : (int16 ? 3 : 2);
      break;
    case Op::TRANSPOSE:
      v = rank_of(graph, op.input(0)) > 5 ? 6 : int16 ? 5 : rank_of(graph, op.input(0)) > 4 ? 4 : 2;
      break;
    case Op::STRIDED_SLICE: {
      const auto* o = op.options.AsStridedSliceOptions();
      if (o != nullptr && o->offset) {
        v = 8;
      } else if (o != nullptr && (o->ellipsis_mask != 0 || o->new_axis_mask != 0)) {
        v = 6;
      } else if (rank_of(graph, op.input(0)) > 4) {
        v = 4;
      } else {
        v = int8 ? 2 : 1;
      }
      break;
    }
    case Op::LEAKY_RELU:
      v = int16 ? 2 : 1;
      break;
    case Op::UNIDIRECTIONAL_SEQUENCE_LSTM:
      v = int16 ? 5 : 1;
      break;
    case Op::QUANTIZE:
      v = type_of(graph, op.outputs.at(0)) == TensorType::INT16 ? 2 : 1;
      break;
    case Op::DEQUANTIZE:
      v = int16 ? 3 : 2;
      break;
    default:
      v = 1;
      break;
  }
  return std::max(v, op.version);
}

}  // namespace mote::tools
