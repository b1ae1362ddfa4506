#include "tests/tools/float_graphs.h"

#include <fmt/format.h>

#include <numeric>

namespace mote::testing {
namespace {

using Op = tflite::BuiltinOperator;
using Act = tflite::ActivationFunctionType;

}  // namespace

std::int32_t GraphMaker::activation(std::vector<std::int32_t> shape, const std::string& name) {
  tools::GraphTensor t;
  t.name = name.empty() ? fmt::format("t{}", graph.tensors.size()) : name;
  t.shape = std::move(shape);
  return graph.add_tensor(std::move(t));
}

std::int32_t GraphMaker::floats(std::vector<std::int32_t> shape, const std::vector<float>& values) {
  tools::GraphTensor t;
  t.name = fmt::format("c{}", graph.tensors.size());
  t.shape = std::move(shape);
  tools::set_tensor_values<float>(t, values);
  return graph.add_tensor(std::move(t));
}

std::int32_t GraphMaker::weights(std::vector<std::int32_t> shape, float lo, float hi,
                                 const std::string& name) {
  std::size_t n = 1;
  for (std::int32_t d : shape) n *= static_cast<std::size_t>(d);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(n);
  for (float& v : values) v = dist(rng_);
  const std::int32_t t = floats(std::move(shape), values);
  if (!name.empty()) graph.tensors[static_cast<std::size_t>(t)].name = name;
  return t;
}

std::int32_t GraphMaker::ints(std::vector<std::int32_t> shape,
                              const std::vector<std::int32_t>& values) {
  tools::GraphTensor t;
  t.name = fmt::format("i{}", graph.tensors.size());
  t.type = TensorType::INT32;
  t.shape = std::move(shape);
  tools::set_tensor_values<std::int32_t>(t, values);
  return graph.add_tensor(std::move(t));
}

void GraphMaker::op(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
                    std::vector<std::int32_t> outputs) {
  tools::GraphOp o;
  o.code = code;
  o.inputs = std::move(inputs);
  o.outputs = std::move(outputs);
  graph.ops.push_back(std::move(o));
}

tools::Graph op_zoo_graph(bool int16_compatible) {
  GraphMaker m(3);
  const std::int32_t x = m.activation({1, 8, 8, 3}, "image");
  m.graph.inputs = {x};

  tflite::Conv2DOptionsT conv;
  conv.padding = tflite::Padding::SAME;
  conv.stride_w = conv.stride_h = 1;
  conv.fused_activation_function = Act::RELU;
  const std::int32_t c1 = m.activation({1, 8, 8, 4}, "conv1");
  m.op(Op::CONV_2D,
       {x, m.weights({4, 3, 3, 3}, -0.5f, 0.5f, "conv1/w"), m.weights({4}, -0.2f, 0.3f, "conv1/b")},
       {c1}, conv);

  tflite::DepthwiseConv2DOptionsT dw;
  dw.padding = tflite::Padding::SAME;
  dw.stride_w = dw.stride_h = 1;
  dw.depth_multiplier = 1;
  dw.fused_activation_function = Act::RELU6;
  const std::int32_t d1 = m.activation({1, 8, 8, 4}, "dw1");
  m.op(Op::DEPTHWISE_CONV_2D,
       {c1, m.weights({1, 3, 3, 4}, -0.6f, 0.6f, "dw1/w"), m.weights({4}, -0.1f, 0.1f, "dw1/b")},
       {d1}, dw);

  tflite::Pool2DOptionsT pool;
  pool.padding = tflite::Padding::VALID;
  pool.stride_w = pool.stride_h = 2;
  pool.filter_width = pool.filter_height = 2;
  const std::int32_t p1 = m.activation({1, 4, 4, 4}, "maxpool");
  m.op(Op::MAX_POOL_2D, {d1}, {p1}, pool);

  tflite::Conv2DOptionsT conv1x1;
  conv1x1.padding = tflite::Padding::VALID;
  conv1x1.stride_w = conv1x1.stride_h = 1;
  const std::int32_t c2 = m.activation({1, 4, 4, 4}, "conv2");
  m.op(Op::CONV_2D,
       {p1, m.weights({4, 1, 1, 4}, -1.0f, 1.0f, "conv2/w"), m.weights({4}, -0.5f, 0.5f)}, {c2},
       conv1x1);

  const std::int32_t a1 = m.activation({1, 4, 4, 4}, "add");
  m.op(Op::ADD, {p1, c2}, {a1}, tflite::AddOptionsT{});

  tflite::LeakyReluOptionsT leaky;
  leaky.alpha = 0.1f;
  const std::int32_t l1 = m.activation({1, 4, 4, 4}, "leaky");
  m.op(Op::LEAKY_RELU, {a1}, {l1}, leaky);

  const std::int32_t pd = m.activation({1, 6, 6, 4}, "pad");
  m.op(Op::PAD, {l1, m.ints({4, 2}, {0, 0, 1, 1, 1, 1, 0, 0})}, {pd}, tflite::PadOptionsT{});

  tflite::Pool2DOptionsT avg;
  avg.padding = tflite::Padding::VALID;
  avg.stride_w = avg.stride_h = 3;
  avg.filter_width = avg.filter_height = 3;
  const std::int32_t ap = m.activation({1, 2, 2, 4}, "avgpool");
  m.op(Op::AVERAGE_POOL_2D, {pd}, {ap}, avg);

  const std::int32_t m1 = m.activation({1, 2, 2, 4}, "mul");
  m.op(Op::MUL, {ap, m.weights({4}, 0.5f, 2.0f, "scale")}, {m1}, tflite::MulOptionsT{});
  const std::int32_t s1 = m.activation({1, 2, 2, 4}, "sub");
  m.op(Op::SUB, {ap, m1}, {s1}, tflite::SubOptionsT{});

  std::vector<std::int32_t> parts = {ap, s1};
  if (!int16_compatible) {
    const std::int32_t h1 = m.activation({1, 2, 2, 4}, "hard_swish");
    m.op(Op::HARD_SWISH, {s1}, {h1});
    parts.push_back(h1);
  }
  const auto depth = static_cast<std::int32_t>(4 * parts.size());
  tflite::ConcatenationOptionsT concat;
  concat.axis = 3;
  const std::int32_t cat = m.activation({1, 2, 2, depth}, "concat");
  m.op(Op::CONCATENATION, parts, {cat}, concat);

  tflite::TransposeConvOptionsT tconv;
  tconv.padding = tflite::Padding::VALID;
  tconv.stride_w = tconv.stride_h = 2;
  const std::int32_t tc = m.activation({1, 4, 4, 4}, "transpose_conv");
  m.op(Op::TRANSPOSE_CONV,
       {m.ints({4}, {1, 4, 4, 4}), m.weights({4, 2, 2, depth}, -0.5f, 0.5f, "tconv/w"), cat,
        m.weights({4}, -0.2f, 0.2f, "tconv/b")},
       {tc}, tconv);

  tflite::ReducerOptionsT reducer;
  reducer.keep_dims = false;
  const std::int32_t mean = m.activation({1, 4}, "mean");
  m.op(Op::MEAN, {tc, m.ints({2}, {1, 2})}, {mean}, reducer);

  const std::int32_t ss = m.activation({1, 2, 4, 4}, "slice");
  m.op(Op::STRIDED_SLICE,
       {tc, m.ints({4}, {0, 0, 0, 0}), m.ints({4}, {1, 2, 4, 4}), m.ints({4}, {1, 1, 1, 1})}, {ss},
       tflite::StridedSliceOptionsT{});
  const std::int32_t tp = m.activation({1, 4, 2, 4}, "transpose");
  m.op(Op::TRANSPOSE, {ss, m.ints({4}, {0, 3, 1, 2})}, {tp}, tflite::TransposeOptionsT{});
  tflite::ReshapeOptionsT reshape;
  reshape.new_shape = {1, 32};
  const std::int32_t rs = m.activation({1, 32}, "reshape");
  m.op(Op::RESHAPE, {tp, m.ints({2}, {1, 32})}, {rs}, reshape);

  tflite::FullyConnectedOptionsT fc;
  const std::int32_t f1 = m.activation({1, 4}, "dense1");
  m.op(Op::FULLY_CONNECTED,
       {rs, m.weights({4, 32}, -0.3f, 0.3f, "dense1/w"), m.weights({4}, -0.1f, 0.1f)}, {f1}, fc);
  const std::int32_t ed = m.activation({1, 1, 4}, "expand");
  m.op(Op::EXPAND_DIMS, {f1, m.ints({1}, {1})}, {ed}, tflite::ExpandDimsOptionsT{});
  tflite::SqueezeOptionsT squeeze;
  squeeze.squeeze_dims = {1};
  const std::int32_t sq = m.activation({1, 4}, "squeeze");
  m.op(Op::SQUEEZE, {ed}, {sq}, squeeze);

  tflite::ConcatenationOptionsT concat2;
  concat2.axis = 1;
  const std::int32_t cat2 = m.activation({1, 8}, "concat2");
  m.op(Op::CONCATENATION, {mean, sq}, {cat2}, concat2);
  const std::int32_t logits = m.activation({1, 10}, "logits");
  m.op(Op::FULLY_CONNECTED,
       {cat2, m.weights({10, 8}, -1.0f, 1.0f, "dense2/w"), m.weights({10}, -0.3f, 0.3f)}, {logits},
       fc);
  tflite::SoftmaxOptionsT softmax;
  softmax.beta = 1.0f;
  const std::int32_t out = m.activation({1, 10}, "probabilities");
  m.op(Op::SOFTMAX, {logits}, {out}, softmax);
  m.graph.outputs = {out};
  return m.graph;
}

tools::Graph small_classifier() {
  GraphMaker m(11);
  const std::int32_t x = m.activation({1, 6}, "features");
  m.graph.inputs = {x};
  tflite::FullyConnectedOptionsT relu;
  relu.fused_activation_function = tflite::ActivationFunctionType::RELU;
  const std::int32_t h = m.activation({1, 12}, "hidden");
  m.op(Op::FULLY_CONNECTED,
       {x, m.weights({12, 6}, -1, 1, "w1"), m.weights({12}, -0.2f, 0.2f, "b1")}, {h}, relu);
  const std::int32_t logits = m.activation({1, 4}, "logits");
  m.op(Op::FULLY_CONNECTED, {h, m.weights({4, 12}, -1, 1, "w2"), m.weights({4}, -0.2f, 0.2f, "b2")},
       {logits}, tflite::FullyConnectedOptionsT{});
  tflite::SoftmaxOptionsT softmax;
  softmax.beta = 1.0f;
  const std::int32_t out = m.activation({1, 4}, "probabilities");
  m.op(Op::SOFTMAX, {logits}, {out}, softmax);
  m.graph.outputs = {out};
  return m.graph;
}

tools::SampleSet uniform_samples(const tools::Graph& graph, std::size_t count, float lo, float hi,
                                 std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  tools::SampleSet set;
  set.count = count;
  for (std::int32_t t : graph.inputs) {
    std::vector<float> values(count * graph.tensors[static_cast<std::size_t>(t)].elements());
    for (float& v : values) v = dist(rng);
    set.inputs.push_back(std::move(values));
  }
  return set;
}

}  // namespace mote::testing
