// The quantizer on small graphs covering every op it handles: the result allocates and runs in
// the runtime, every op of it computes its float twin to within a few output steps, and the
// converter's conventions (same-scale ops, fixed outputs, versions, interface) hold.
#include "tools/quantize/quantizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "tests/support/golden_cases.h"
#include "tests/tools/float_graphs.h"
#include "tools/eval/metrics.h"
#include "tools/graph/tflite_io.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/op_check.h"

namespace mote::testing {
namespace {

using Op = tflite::BuiltinOperator;

const tools::GraphTensor& tensor_named(const tools::Graph& g, const std::string& name) {
  for (const auto& t : g.tensors) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no tensor " + name);
}

const tools::GraphOp& op_writing(const tools::Graph& g, const std::string& name) {
  for (const auto& op : g.ops) {
    if (!op.outputs.empty() && g.tensors[static_cast<std::size_t>(op.outputs[0])].name == name) {
      return op;
    }
  }
  throw std::runtime_error("no op writes " + name);
}

// SQNR of the quantized model's output against the float model's, over `data`.
double output_sqnr(const tools::Graph& float_graph, const tools::Graph& quantized,
                   const tools::SampleSet& data) {
  tools::GraphRunner f(float_graph), q(quantized);
  tools::SqnrAccumulator sqnr;
  for (std::size_t n = 0; n < data.count; ++n) {
    f.set_input_values(0, data.sample(0, n));
    q.set_input_values(0, data.sample(0, n));
    f.invoke();
    q.invoke();
    sqnr.add(f.output_values(0), q.output_values(0));
  }
  return sqnr.sqnr_db();
}

struct Variant {
  tools::RangeMethod method;
  TensorType activations;
  bool float_io;
};

class QuantizeOpZoo : public ::testing::TestWithParam<Variant> {};

TEST_P(QuantizeOpZoo, EveryOpMatchesItsFloatTwinAndTheModelRuns) {
  const Variant v = GetParam();
  const tools::Graph graph = op_zoo_graph(v.activations == TensorType::INT16);
  const tools::SampleSet calibration = uniform_samples(graph, 48, -1.0f, 1.0f, 5);
  tools::RangeOptions range;
  range.method = v.method;
  const tools::Calibration c = tools::calibrate(graph, calibration, range);
  tools::QuantizeOptions options;
  options.activations = v.activations;
  options.float_interface = v.float_io;
  const tools::QuantizedModel q = tools::quantize(graph, c, options);
  EXPECT_GT(q.report.arena_bytes, 0u);

  // Other samples than the calibration ones.
  const tools::SampleSet test = uniform_samples(graph, 8, -1.0f, 1.0f, 99);
  const auto checks = tools::check_quantized_ops(q.graph, test);
  ASSERT_EQ(checks.size(), q.graph.ops.size());
  for (const tools::OpCheck& check : checks) {
    EXPECT_TRUE(check.isolated_identical) << "op " << check.op << " " << check.name;
    EXPECT_TRUE(check.checked_against_float);
    EXPECT_LE(check.max_error_steps, check.tolerance_steps)
        << "op " << check.op << " " << check.name << " -> " << check.output;
    EXPECT_GT(check.values, 0u);
  }
  // The whole model stays close to the float model (softmax probabilities).
  const double sqnr = output_sqnr(graph, q.graph, test);
  EXPECT_GT(sqnr, v.activations == TensorType::INT16 ? 40.0 : 15.0);
  RecordProperty("output_sqnr_db", std::to_string(sqnr));
}

INSTANTIATE_TEST_SUITE_P(
    Methods, QuantizeOpZoo,
    ::testing::Values(Variant{tools::RangeMethod::kMinMax, TensorType::INT8, false},
                      Variant{tools::RangeMethod::kPercentile, TensorType::INT8, false},
                      Variant{tools::RangeMethod::kMse, TensorType::INT8, false},
                      Variant{tools::RangeMethod::kMinMax, TensorType::INT8, true},
                      Variant{tools::RangeMethod::kMinMax, TensorType::INT16, false},
                      Variant{tools::RangeMethod::kMse, TensorType::INT16, true}),
    [](const ::testing::TestParamInfo<Variant>& info) {
      return std::string(tools::range_method_name(info.param.method)) + "_" +
             tensor_type_name(info.param.activations) + (info.param.float_io ? "_float_io" : "");
    });

TEST(Quantizer, FollowsTheConvertersConventions) {
  const tools::Graph graph = op_zoo_graph();
  const tools::Calibration c =
      tools::calibrate(graph, uniform_samples(graph, 16, -1.0f, 1.0f), tools::RangeOptions{});
  const tools::QuantizedModel q = tools::quantize(graph, c, tools::QuantizeOptions{});
  const tools::Graph& g = q.graph;

  // Same-scale ops: output parameters equal their input's.
  for (const char* name :
       {"maxpool", "pad", "avgpool", "slice", "transpose", "reshape", "expand", "squeeze", "dw1"}) {
    const tools::GraphOp& op = op_writing(g, name);
    if (op.code == Op::DEPTHWISE_CONV_2D) continue;
    EXPECT_EQ(g.tensors[static_cast<std::size_t>(op.inputs[0])].quant,
              g.tensors[static_cast<std::size_t>(op.outputs[0])].quant)
        << name;
  }
  // Concatenation: every input shares the output's parameters.
  const tools::GraphOp& concat = op_writing(g, "concat");
  for (std::int32_t t : concat.inputs) {
    EXPECT_EQ(g.tensors[static_cast<std::size_t>(t)].quant, tensor_named(g, "concat").quant);
  }
  // Softmax output fixed at 1/256, -128.
  EXPECT_EQ(tensor_named(g, "probabilities").quant, tools::per_tensor(1.0f / 256.0f, -128));
  // Per-channel convolution weights along the converter's axes; dense per tensor.
  EXPECT_EQ(tensor_named(g, "conv1/w").quant.scale.size(), 4u);
  EXPECT_EQ(tensor_named(g, "conv1/w").quant.axis, 0);
  EXPECT_EQ(tensor_named(g, "dw1/w").quant.scale.size(), 4u);
  EXPECT_EQ(tensor_named(g, "dw1/w").quant.axis, 3);
  EXPECT_EQ(tensor_named(g, "tconv/w").quant.axis, 0);
  EXPECT_EQ(tensor_named(g, "dense1/w").quant.scale.size(), 1u);
  // Bias scale = input scale x weight scale, per channel.
  const auto& b = tensor_named(g, "conv1/b");
  EXPECT_EQ(b.type, TensorType::INT32);
  for (std::size_t ch = 0; ch < 4; ++ch) {
    EXPECT_FLOAT_EQ(b.quant.scale[ch], tensor_named(g, "image").quant.scale[0] *
                                           tensor_named(g, "conv1/w").quant.scale[ch]);
  }
  // Versions as the converter writes them for int8.
  EXPECT_EQ(op_writing(g, "conv1").version, 3);
  EXPECT_EQ(op_writing(g, "dw1").version, 3);
  EXPECT_EQ(op_writing(g, "dense1").version, 4);
  EXPECT_EQ(op_writing(g, "add").version, 2);
  EXPECT_EQ(op_writing(g, "probabilities").version, 2);
  EXPECT_EQ(op_writing(g, "transpose_conv").version, 3);
  EXPECT_EQ(op_writing(g, "reshape").version, 1);
  // An int8 interface, no float tensor left among activations.
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(g.inputs[0])].type, TensorType::INT8);
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(g.outputs[0])].type, TensorType::INT8);
  for (const auto& t : g.tensors) EXPECT_NE(t.type, TensorType::FLOAT32) << t.name;
}

TEST(Quantizer, FloatInterfaceAddsQuantizeAndDequantizeAtTheEdges) {
  const tools::Graph graph = small_classifier();
  const tools::Calibration c =
      tools::calibrate(graph, uniform_samples(graph, 16, -2.0f, 2.0f), tools::RangeOptions{});
  tools::QuantizeOptions options;
  options.float_interface = true;
  const tools::QuantizedModel q = tools::quantize(graph, c, options);
  ASSERT_EQ(q.graph.ops.size(), graph.ops.size() + 2);
  EXPECT_EQ(q.graph.ops.front().code, Op::QUANTIZE);
  EXPECT_EQ(q.graph.ops.back().code, Op::DEQUANTIZE);
  EXPECT_EQ(q.graph.ops.back().version, 2);
  EXPECT_EQ(q.graph.tensors[static_cast<std::size_t>(q.graph.inputs[0])].type, TensorType::FLOAT32);
  EXPECT_EQ(q.graph.tensors[static_cast<std::size_t>(q.graph.inputs[0])].name, "features");
  EXPECT_EQ(q.graph.tensors[static_cast<std::size_t>(q.graph.ops[0].outputs[0])].name,
            "features_int8");
  // The float-interface model computes exactly what the int8-interface one does.
  const tools::QuantizedModel plain = tools::quantize(graph, c, tools::QuantizeOptions{});
  tools::GraphRunner a(q.graph), b(plain.graph);
  const tools::SampleSet data = uniform_samples(graph, 20, -2.0f, 2.0f, 3);
  for (std::size_t n = 0; n < data.count; ++n) {
    a.set_input_values(0, data.sample(0, n));
    b.set_input_values(0, data.sample(0, n));
    a.invoke();
    b.invoke();
    EXPECT_EQ(a.output_values(0), b.output_values(0));
  }
}

TEST(Quantizer, Int16UsesSymmetricActivationsAndInt64Biases) {
  const tools::Graph graph = small_classifier();
  const tools::Calibration c =
      tools::calibrate(graph, uniform_samples(graph, 16, -2.0f, 2.0f), tools::RangeOptions{});
  tools::QuantizeOptions options;
  options.activations = TensorType::INT16;
  const tools::QuantizedModel q = tools::quantize(graph, c, options);
  const auto& hidden = tensor_named(q.graph, "hidden");
  EXPECT_EQ(hidden.type, TensorType::INT16);
  EXPECT_EQ(hidden.quant.zero_point[0], 0);
  EXPECT_FLOAT_EQ(hidden.quant.scale[0],
                  c.tensors[static_cast<std::size_t>(graph.ops[0].outputs[0])].max() / 32767.0f);
  EXPECT_EQ(tensor_named(q.graph, "b1").type, TensorType::INT64);
  EXPECT_EQ(tensor_named(q.graph, "probabilities").quant, tools::per_tensor(1.0f / 32768.0f, 0));
  EXPECT_EQ(op_writing(q.graph, "probabilities").version, 3);
}

TEST(Quantizer, ListsEveryOpItCannotQuantizeAtOnce) {
  tools::Graph graph = small_classifier();
  // Two ops no integer kernel exists for, in the middle of the graph.
  for (const char* custom : {"MyOp", "OtherOp"}) {
    tools::GraphOp op;
    op.code = Op::CUSTOM;
    op.custom_code = custom;
    op.inputs = {graph.ops[1].outputs[0]};
    tools::GraphTensor out;
    out.name = std::string(custom) + "_out";
    out.shape = {1, 4};
    op.outputs = {graph.add_tensor(std::move(out))};
    graph.ops.insert(graph.ops.begin() + 2, op);
  }
  tools::QuantizeOptions options;
  const auto unsupported = tools::unsupported_ops(graph, options);
  ASSERT_EQ(unsupported.size(), 2u);
  EXPECT_EQ(unsupported[0].op, "OtherOp");
  EXPECT_EQ(unsupported[1].op, "MyOp");
  try {
    tools::Calibration c;
    c.tensors.resize(graph.tensors.size());
    tools::quantize(graph, c, options);
    FAIL() << "quantized a model with custom ops";
  } catch (const tools::UnsupportedOpsError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("2 op(s)"), std::string::npos) << message;
    EXPECT_NE(message.find("MyOp"), std::string::npos) << message;
    EXPECT_NE(message.find("OtherOp_out"), std::string::npos) << message;
  }
}

TEST(Quantizer, RefusesHardSwishIn16x8AndAnAlreadyQuantizedModel) {
  tools::QuantizeOptions int16;
  int16.activations = TensorType::INT16;
  const auto unsupported = tools::unsupported_ops(op_zoo_graph(false), int16);
  ASSERT_EQ(unsupported.size(), 1u);
  EXPECT_EQ(unsupported[0].op, "HARD_SWISH");
  EXPECT_NE(unsupported[0].reason.find("16x8"), std::string::npos);

  const tools::Graph int8 =
      tools::read_tflite_file(golden_dir() / "models" / "hello_world_int8.tflite");
  const auto refused = tools::unsupported_ops(int8, tools::QuantizeOptions{});
  EXPECT_EQ(refused.size(), 3u);
  EXPECT_NE(refused[0].reason.find("already quantized"), std::string::npos) << refused[0].reason;
}

// The per-op check compares each integer op with the op its parameters declare. Parameters that
// the kernels do not read but that define the real values — a bias scale other than input x
// weights, a same-scale op's output parameters — must make it fail: it is not a formality.
TEST(Quantizer, OpCheckCatchesParametersTheKernelsDoNotHonour) {
  const tools::Graph graph = op_zoo_graph();
  const tools::SampleSet data = uniform_samples(graph, 8, -1.0f, 1.0f);
  const tools::Calibration c = tools::calibrate(graph, data, tools::RangeOptions{});
  const tools::QuantizedModel q = tools::quantize(graph, c, tools::QuantizeOptions{});
  auto failing = [&](const tools::Graph& g) {
    std::vector<std::string> names;
    for (const auto& check : tools::check_quantized_ops(g, data)) {
      if (!check.ok()) names.push_back(check.output);
    }
    return names;
  };
  EXPECT_TRUE(failing(q.graph).empty());

  // A bias declared at twice its scale: the kernel still adds it at input x weight scale.
  tools::Graph bad_bias = q.graph;
  for (auto& t : bad_bias.tensors) {
    if (t.name == "conv1/b") {
      for (float& s : t.quant.scale) s *= 2.0f;
    }
  }
  EXPECT_EQ(failing(bad_bias), std::vector<std::string>{"conv1"});

  // A reshape whose output zero point differs from its input's: the kernel copies bytes (the
  // runtime refuses such a max pool or pad outright; a reshape it runs).
  tools::Graph bad_reshape = q.graph;
  for (auto& t : bad_reshape.tensors) {
    if (t.name == "reshape") t.quant.zero_point[0] += 3;
  }
  const auto failed = failing(bad_reshape);
  EXPECT_NE(std::find(failed.begin(), failed.end(), "reshape"), failed.end());
}

}  // namespace
}  // namespace mote::testing
