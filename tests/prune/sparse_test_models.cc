#include "tests/prune/sparse_test_models.h"

#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tools::GraphOp;
using tools::GraphTensor;
using tools::QuantParams;

GraphTensor activation(const char* name, std::vector<std::int32_t> shape, float scale,
                       std::int64_t zero_point) {
  GraphTensor t;
  t.name = name;
  t.type = TensorType::INT8;
  t.shape = std::move(shape);
  t.quant = tools::per_tensor(scale, zero_point);
  return t;
}

// Per-channel filter quantization along dimension 0 and the matching int32 bias.
void add_weights(tools::Graph& g, GraphOp& op, std::vector<std::int32_t> shape,
                 const std::vector<std::int8_t>& values, float input_scale, std::mt19937& rng) {
  const auto channels = static_cast<std::size_t>(shape[0]);
  GraphTensor w;
  w.name = "weights";
  w.type = TensorType::INT8;
  w.shape = std::move(shape);
  std::uniform_real_distribution<float> scale(0.002f, 0.02f);
  for (std::size_t c = 0; c < channels; ++c) {
    w.quant.scale.push_back(scale(rng));
    w.quant.zero_point.push_back(0);
  }
  w.quant.axis = 0;
  tools::set_tensor_values<std::int8_t>(w, values);
  GraphTensor b;
  b.name = "bias";
  b.type = TensorType::INT32;
  b.shape = {static_cast<std::int32_t>(channels)};
  std::uniform_int_distribution<std::int32_t> bias(-2000, 2000);
  std::vector<std::int32_t> biases(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    biases[c] = bias(rng);
    b.quant.scale.push_back(input_scale * w.quant.scale[c]);
    b.quant.zero_point.push_back(0);
  }
  tools::set_tensor_values<std::int32_t>(b, biases);
  op.inputs.push_back(g.add_tensor(std::move(w)));
  op.inputs.push_back(g.add_tensor(std::move(b)));
}

}  // namespace

std::vector<std::int8_t> random_weights(std::mt19937& rng, std::size_t rows, std::size_t row_length,
                                        double sparsity, std::size_t zero_rows_per_4) {
  std::uniform_int_distribution<int> value(-127, 127);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::int8_t> w(rows * row_length);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < row_length; ++i) {
      int v = 0;
      if (r % 4 >= zero_rows_per_4 && u(rng) >= sparsity) {
        do v = value(rng);
        while (v == 0);
      }
      w[r * row_length + i] = static_cast<std::int8_t>(v);
    }
  }
  return w;
}

tools::Graph fc_model(std::mt19937& rng, std::int32_t batches, std::int32_t depth,
                      std::int32_t units, double sparsity, std::size_t zero_rows_per_4) {
  tools::Graph g;
  const float input_scale = 0.05f;
  g.inputs = {g.add_tensor(activation("input", {batches, depth}, input_scale, 3))};
  GraphOp op;
  op.code = tflite::BuiltinOperator::FULLY_CONNECTED;
  op.inputs.push_back(g.inputs[0]);
  add_weights(g, op, {units, depth},
              random_weights(rng, static_cast<std::size_t>(units), static_cast<std::size_t>(depth),
                             sparsity, zero_rows_per_4),
              input_scale, rng);
  g.outputs = {g.add_tensor(activation("output", {batches, units}, 0.2f, -5))};
  op.outputs = g.outputs;
  tflite::FullyConnectedOptionsT options;
  op.options.Set(options);
  g.ops.push_back(std::move(op));
  return g;
}

tools::Graph conv_model(std::mt19937& rng, std::int32_t h, std::int32_t w, std::int32_t in_c,
                        std::int32_t out_c, std::int32_t k, std::int32_t stride, bool same,
                        double sparsity) {
  tools::Graph g;
  const float input_scale = 0.04f;
  g.inputs = {g.add_tensor(activation("input", {1, h, w, in_c}, input_scale, -7))};
  GraphOp op;
  op.code = tflite::BuiltinOperator::CONV_2D;
  op.inputs.push_back(g.inputs[0]);
  add_weights(g, op, {out_c, k, k, in_c},
              random_weights(rng, static_cast<std::size_t>(out_c * k * k),
                             static_cast<std::size_t>(in_c), sparsity),
              input_scale, rng);
  const std::int32_t out_h = same ? (h + stride - 1) / stride : (h - k) / stride + 1;
  const std::int32_t out_w = same ? (w + stride - 1) / stride : (w - k) / stride + 1;
  g.outputs = {g.add_tensor(activation("output", {1, out_h, out_w, out_c}, 0.3f, 4))};
  op.outputs = g.outputs;
  tflite::Conv2DOptionsT options;
  options.padding = same ? tflite::Padding::SAME : tflite::Padding::VALID;
  options.stride_h = stride;
  options.stride_w = stride;
  options.fused_activation_function = tflite::ActivationFunctionType::RELU;
  op.options.Set(options);
  g.ops.push_back(std::move(op));
  return g;
}

std::vector<std::uint8_t> run_int8(const tools::Graph& graph, std::uint32_t seed) {
  const auto model = tools::LoadedModel::from_bytes(tools::write_tflite(graph), "test model");
  tools::HostInterpreter host(*model);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::uint8_t> input(graph.tensors[static_cast<std::size_t>(graph.inputs[0])].bytes());
  for (auto& b : input) b = static_cast<std::uint8_t>(byte(rng));
  host.set_input(0, input);
  host.invoke();
  const auto out = host.output_bytes(0);
  return {out.begin(), out.end()};
}

}  // namespace mote::testing
