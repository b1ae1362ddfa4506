// TFLite's integer LSTM conventions: trained_lstm_int8.tflite is the converter's int8 version of
// trained_lstm.tflite. Given the ranges the converter used, mote's quantizer must write the same
// model, byte for byte in every tensor the ops use (int8 weights per tensor, int32 gate biases at
// input x weight scale, an int16 cell state at a power-of-two scale, the hidden state sharing the
// output's parameters, the five intermediates, op versions); calibrated on the golden digits (where
// the runtime has an LSTM kernel), it must run and classify as the float model does.
#include <gtest/gtest.h>

#include <cmath>

#include "runtime/interpreter/all_ops_resolver.h"
#include "tests/support/golden_cases.h"
#include "tools/eval/metrics.h"
#include "tools/graph/tflite_io.h"
#include "tools/io/file_io.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/op_check.h"
#include "tools/quantize/quantizer.h"

namespace mote::testing {
namespace {

using Op = tflite::BuiltinOperator;

struct TrainedLstm : ::testing::Test {
  tools::Graph float_graph =
      tools::read_tflite_file(golden_dir() / "models" / "trained_lstm.tflite");
  tools::Graph converter =
      tools::read_tflite_file(golden_dir() / "models" / "trained_lstm_int8.tflite");

  const tools::GraphTensor* converter_tensor(const std::string& name) const {
    for (const auto& t : converter.tensors) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
};

TEST_F(TrainedLstm, WithTheConvertersRangesMoteWritesTheConvertersModel) {
  // Ranges that give back the converter's parameters: each activation's representable range.
  tools::Calibration c;
  c.samples = 1;
  c.tensors.resize(float_graph.tensors.size());
  const tools::GraphOp& lstm = float_graph.ops.at(0);
  ASSERT_EQ(lstm.code, Op::UNIDIRECTIONAL_SEQUENCE_LSTM);
  for (std::size_t t = 0; t < float_graph.tensors.size(); ++t) {
    const auto& f = float_graph.tensors[t];
    const auto* q = converter_tensor(f.name);
    if (f.is_constant() || f.is_variable || q == nullptr || !q->quant.quantized()) continue;
    const float s = q->quant.scale[0];
    const auto z = static_cast<float>(q->quant.zero_point[0]);
    c.tensors[t].observe_range(std::vector<float>{(-128.0f - z) * s, (127.0f - z) * s});
  }
  // The cell state: any extent in (4, 8] gives the converter's 2^-12.
  c.cell_states[lstm.input(19)].observe_range(std::vector<float>{-6.0f, 5.0f});

  tools::QuantizeOptions options;
  options.check_runtime = false;  // this build's runtime may lack the LSTM kernel
  const tools::Graph ours = tools::quantize(float_graph, c, options).graph;

  ASSERT_EQ(ours.ops.size(), converter.ops.size());
  EXPECT_EQ(ours.ops[0].intermediates.size(), 5u);
  for (std::size_t o = 0; o < ours.ops.size(); ++o) {
    const auto& a = ours.ops[o];
    const auto& b = converter.ops[o];
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.version, b.version) << tools::op_name(a);
    ASSERT_EQ(a.inputs.size(), b.inputs.size());
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
      ASSERT_EQ(a.inputs[i] < 0, b.inputs[i] < 0) << tools::op_name(a) << " input " << i;
      if (a.inputs[i] < 0) continue;
      const auto& ta = ours.tensors[static_cast<std::size_t>(a.inputs[i])];
      const auto& tb = converter.tensors[static_cast<std::size_t>(b.inputs[i])];
      if (!ta.is_variable) {
        EXPECT_EQ(ta.name, tb.name) << tools::op_name(a) << " input " << i;
      }
    }
    ASSERT_EQ(a.intermediates.size(), b.intermediates.size()) << tools::op_name(a);
    for (std::size_t i = 0; i < a.intermediates.size(); ++i) {
      const auto& ta = ours.tensors[static_cast<std::size_t>(a.intermediates[i])];
      const auto& tb = converter.tensors[static_cast<std::size_t>(b.intermediates[i])];
      EXPECT_EQ(ta.name, tb.name);
      EXPECT_EQ(ta.type, tb.type) << ta.name;
      EXPECT_EQ(ta.shape, tb.shape) << ta.name;
      EXPECT_EQ(ta.quant.zero_point, tb.quant.zero_point) << ta.name;
    }
  }
  // Every tensor the ops use: type, shape, parameters and constant bytes, exactly.
  auto compare = [&](const tools::GraphTensor& a, const tools::GraphTensor& b) {
    EXPECT_EQ(a.type, b.type) << a.name;
    EXPECT_EQ(a.shape, b.shape) << a.name;
    EXPECT_EQ(a.is_variable, b.is_variable) << a.name;
    EXPECT_EQ(a.quant.scale, b.quant.scale) << a.name;
    EXPECT_EQ(a.quant.zero_point, b.quant.zero_point) << a.name;
    EXPECT_EQ(a.quant.axis, b.quant.axis) << a.name;
    EXPECT_EQ(a.data, b.data) << a.name;
  };
  for (std::size_t o = 0; o < ours.ops.size(); ++o) {
    for (std::size_t i = 0; i < ours.ops[o].inputs.size(); ++i) {
      if (ours.ops[o].inputs[i] < 0) continue;
      compare(ours.tensors[static_cast<std::size_t>(ours.ops[o].inputs[i])],
              converter.tensors[static_cast<std::size_t>(converter.ops[o].inputs[i])]);
    }
    compare(ours.tensors[static_cast<std::size_t>(ours.ops[o].outputs[0])],
            converter.tensors[static_cast<std::size_t>(converter.ops[o].outputs[0])]);
  }
}

TEST_F(TrainedLstm, CalibratedOnTheGoldenDigitsItRunsAndClassifiesAsTheFloatModel) {
  AllOpsResolver resolver;
  if (resolver.find(Op::UNIDIRECTIONAL_SEQUENCE_LSTM, nullptr) < 0) {
    GTEST_SKIP() << "this build's runtime has no UNIDIRECTIONAL_SEQUENCE_LSTM kernel";
  }
  tools::SampleSet digits;
  digits.inputs.resize(1);
  for (int k = 0; k < 10; ++k) {
    const auto bytes = tools::read_file(
        golden_dir() / "cases" / ("trained_lstm_sample" + std::to_string(k)) / "input_0.bin");
    const auto* p = reinterpret_cast<const float*>(bytes.data());
    digits.inputs[0].insert(digits.inputs[0].end(), p, p + bytes.size() / sizeof(float));
    ++digits.count;
  }
  const tools::Calibration c = tools::calibrate(float_graph, digits, tools::RangeOptions{});
  const tools::QuantizedModel q = tools::quantize(float_graph, c, tools::QuantizeOptions{});
  // The cell state got the converter's power-of-two scale from the replayed time steps.
  EXPECT_EQ(q.graph.tensors[static_cast<std::size_t>(q.graph.ops[0].input(19))].quant.scale,
            converter_tensor("tfl.pseudo_qconst1")->quant.scale);
  for (const auto& check : tools::check_quantized_ops(q.graph, digits)) {
    EXPECT_TRUE(check.ok()) << check.name;
  }
  tools::GraphRunner f(float_graph), i8(q.graph);
  for (std::size_t n = 0; n < digits.count; ++n) {
    f.reset_state();
    i8.reset_state();
    f.set_input_values(0, digits.sample(0, n));
    i8.set_input_values(0, digits.sample(0, n));
    f.invoke();
    i8.invoke();
    EXPECT_EQ(tools::argmax(f.output_values(0)), n);
    EXPECT_EQ(tools::argmax(i8.output_values(0)), n);
  }
}

}  // namespace
}  // namespace mote::testing
