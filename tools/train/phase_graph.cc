#include "tools/train/phase_graph.h"

#include <string>
#include <utility>

namespace mote::tools {
namespace {

using Op = tflite::BuiltinOperator;
using Act = tflite::ActivationFunctionType;

std::int32_t activation(Graph& g, std::vector<std::int32_t> shape, std::string name) {
  GraphTensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

std::int32_t constant(Graph& g, std::vector<std::int32_t> shape, const std::vector<float>& values,
                      std::string name) {
  GraphTensor t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  set_tensor_values<float>(t, values);
  return g.add_tensor(std::move(t));
}

template <typename Options>
void add_op(Graph& g, Op code, std::vector<std::int32_t> inputs, std::int32_t output,
            Options options) {
  GraphOp op;
  op.code = code;
  op.inputs = std::move(inputs);
  op.outputs = {output};
  op.options.Set(std::move(options));
  g.ops.push_back(std::move(op));
}

// Conv1d's [out][in][k] as CONV_2D's OHWI [out][1][k][in].
std::vector<float> ohwi(const ConvWeights& c) {
  const int out = c.layer.out_channels;
  const int k = c.layer.kernel;
  const int in = c.in_channels;
  std::vector<float> w(c.weights.size());
  for (int o = 0; o < out; ++o) {
    for (int i = 0; i < in; ++i) {
      for (int j = 0; j < k; ++j) w[(o * k + j) * in + i] = c.weights[(o * in + i) * k + j];
    }
  }
  return w;
}

}  // namespace

Graph phase_net_graph(const PhaseNetWeights& weights) {
  check_weights(weights);
  const PhaseNetSpec& spec = weights.spec;
  const std::vector<int> lengths = conv_output_lengths(spec);
  Graph g;
  g.name = "seismic_phase_net";
  g.description = "mote seismic train: noise/P/S probabilities of the newest hop";

  std::int32_t x = activation(g, {1, 1, spec.window_samples, spec.in_channels}, "window");
  g.inputs = {x};
  for (std::size_t i = 0; i < weights.convs.size(); ++i) {
    const ConvWeights& c = weights.convs[i];
    const std::string name = "conv" + std::to_string(i + 1);
    tflite::Conv2DOptionsT options;
    options.padding = tflite::Padding::VALID;
    options.stride_h = 1;
    options.stride_w = c.layer.stride;
    options.dilation_h_factor = options.dilation_w_factor = 1;
    options.fused_activation_function = Act::RELU;
    const std::int32_t w =
        constant(g, {c.layer.out_channels, 1, c.layer.kernel, c.in_channels}, ohwi(c), name + "/w");
    const std::int32_t b = constant(g, {c.layer.out_channels}, c.bias, name + "/b");
    const std::int32_t y = activation(g, {1, 1, lengths[i], c.layer.out_channels}, name);
    add_op(g, Op::CONV_2D, {x, w, b}, y, options);
    x = y;
  }

  const int features = flattened_features(spec);
  GraphTensor shape;
  shape.name = "flatten/shape";
  shape.type = TensorType::INT32;
  shape.shape = {2};
  const std::vector<std::int32_t> new_shape = {1, features};
  set_tensor_values<std::int32_t>(shape, new_shape);
  const std::int32_t shape_tensor = g.add_tensor(std::move(shape));
  tflite::ReshapeOptionsT reshape;
  reshape.new_shape = new_shape;
  const std::int32_t flat = activation(g, {1, features}, "flatten");
  add_op(g, Op::RESHAPE, {x, shape_tensor}, flat, reshape);
  x = flat;

  for (std::size_t i = 0; i < weights.dense.size(); ++i) {
    const DenseWeights& d = weights.dense[i];
    const bool logits = i + 1 == weights.dense.size();
    const std::string name = logits ? "logits" : "dense" + std::to_string(i + 1);
    tflite::FullyConnectedOptionsT options;
    options.fused_activation_function = logits ? Act::NONE : Act::RELU;
    const std::int32_t w = constant(g, {d.out_features, d.in_features}, d.weights, name + "/w");
    const std::int32_t b = constant(g, {d.out_features}, d.bias, name + "/b");
    const std::int32_t y = activation(g, {1, d.out_features}, name);
    add_op(g, Op::FULLY_CONNECTED, {x, w, b}, y, options);
    x = y;
  }

  tflite::SoftmaxOptionsT softmax;
  softmax.beta = 1.0f;
  const std::int32_t probabilities = activation(g, {1, spec.classes}, "probabilities");
  add_op(g, Op::SOFTMAX, {x}, probabilities, softmax);
  g.outputs = {probabilities};
  return g;
}

}  // namespace mote::tools
