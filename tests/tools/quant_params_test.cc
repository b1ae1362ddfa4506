// The converter's quantization formulas: hand-worked values, and byte-for-byte agreement with
// TensorFlow's converter on a golden float/int8 pair made from the same weights.
#include "tools/quantize/quant_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tests/support/golden_cases.h"
#include "tools/graph/tflite_io.h"
#include "tools/quantize/op_rules.h"

namespace mote::testing {
namespace {

using tools::QuantParams;
using tools::RealRange;

TEST(QuantParams, AsymmetricInt8WidensToZeroAndRoundsTheZeroPoint) {
  // [0.5, 6] widens to [0, 6]: scale 6/255, zero point -128 exactly.
  QuantParams p = tools::asymmetric_params({0.5f, 6.0f}, -128, 127);
  EXPECT_FLOAT_EQ(p.scale[0], 6.0f / 255.0f);
  EXPECT_EQ(p.zero_point[0], -128);
  // [-1, 1]: zero point -128 + 127.5 = -0.5, rounded away from zero (std::round) to -1.
  p = tools::asymmetric_params({-1.0f, 1.0f}, -128, 127);
  EXPECT_FLOAT_EQ(p.scale[0], 2.0f / 255.0f);
  EXPECT_EQ(p.zero_point[0], -1);
  // All negative: [-3, 0], zero point at the top.
  p = tools::asymmetric_params({-3.0f, -1.0f}, -128, 127);
  EXPECT_EQ(p.zero_point[0], 127);
  // A range of width zero gives scale 0 (the quantizer replaces it).
  EXPECT_EQ(tools::asymmetric_params({0.0f, 0.0f}, -128, 127).scale[0], 0.0f);
}

TEST(QuantParams, SymmetricInt16AndPowerOfTwo) {
  QuantParams p = tools::symmetric_params({-2.0f, 1.0f}, 32767);
  EXPECT_FLOAT_EQ(p.scale[0], 2.0f / 32767.0f);
  EXPECT_EQ(p.zero_point[0], 0);
  // The cell state: the smallest power of two at or above the extent, over 32768.
  EXPECT_FLOAT_EQ(tools::power_of_two_params({-5.0f, 3.0f}).scale[0], 8.0f / 32768.0f);
  EXPECT_FLOAT_EQ(tools::power_of_two_params({-4.0f, 3.0f}).scale[0], 4.0f / 32768.0f);
  EXPECT_FLOAT_EQ(tools::power_of_two_params({0.0f, 0.3f}).scale[0], 1.0f / 32768.0f);
  EXPECT_FLOAT_EQ(tools::power_of_two_params({0.0f, 5000.0f}).scale[0], 1024.0f / 32768.0f);
}

TEST(QuantParams, WeightsPerChannelAndPerTensor) {
  // Two output channels of three values: channel 0 max |w| = 2, channel 1 max |w| = 0.5.
  const std::vector<float> w = {1.0f, -2.0f, 0.5f, 0.25f, -0.5f, 0.1f};
  const std::vector<std::int32_t> shape = {2, 3};
  const auto per_channel = tools::quantize_weights(w, shape, 0);
  ASSERT_EQ(per_channel.params.scale.size(), 2u);
  EXPECT_FLOAT_EQ(per_channel.params.scale[0], 2.0f / 127.0f);
  EXPECT_FLOAT_EQ(per_channel.params.scale[1], 0.5f / 127.0f);
  EXPECT_EQ(per_channel.values, (std::vector<std::int8_t>{64, -127, 32, 64, -127, 25}));
  const auto per_tensor = tools::quantize_weights(w, shape, std::nullopt);
  ASSERT_EQ(per_tensor.params.scale.size(), 1u);
  EXPECT_EQ(per_tensor.values, (std::vector<std::int8_t>{64, -127, 32, 16, -32, 6}));
  // Axis 3 of a depthwise filter [1, 1, 2, 2]: channels alternate.
  const auto depthwise = tools::quantize_weights(std::vector<float>{1.0f, 4.0f, -0.5f, 2.0f},
                                                 std::vector<std::int32_t>{1, 1, 2, 2}, 3);
  EXPECT_EQ(depthwise.values, (std::vector<std::int8_t>{127, 127, -64, 64}));
  // A channel of zeros: scale 0 and zeros, as the converter writes.
  const auto zeros = tools::quantize_weights(std::vector<float>{0.0f, 0.0f, 1.0f, 1.0f},
                                             std::vector<std::int32_t>{2, 2}, 0);
  EXPECT_EQ(zeros.params.scale[0], 0.0f);
  EXPECT_EQ(zeros.values, (std::vector<std::int8_t>{0, 0, 127, 127}));
}

TEST(QuantParams, BiasScaleIsInputTimesWeightScaleAndSaturates) {
  const std::vector<float> bias = {0.5f, -0.25f, 1e9f};
  const std::vector<float> weight_scales = {0.01f, 0.02f, 0.01f};
  const auto q = tools::quantize_bias(bias, 0.1f, weight_scales, TensorType::INT32);
  std::vector<std::int32_t> values(3);
  std::memcpy(values.data(), q.bytes.data(), 12);
  EXPECT_EQ(values[0], 500);   // 0.5 / 0.001
  EXPECT_EQ(values[1], -125);  // -0.25 / 0.002
  EXPECT_EQ(values[2], 2147483647);
  EXPECT_EQ(q.saturated, 1u);
  ASSERT_EQ(q.params.scale.size(), 3u);
  EXPECT_FLOAT_EQ(q.params.scale[1], 0.1f * 0.02f);
  const auto wide = tools::quantize_bias(bias, 0.1f, weight_scales, TensorType::INT64);
  EXPECT_EQ(wide.bytes.size(), 24u);
  EXPECT_EQ(wide.saturated, 0u);
}

TEST(QuantParams, QuantizeAndDequantizeRoundTrip) {
  const QuantParams p = tools::per_tensor(0.5f, -10);
  const std::vector<float> values = {0.0f, 1.2f, -70.0f, 200.0f};
  const auto bytes = tools::quantize_values(values, p, TensorType::INT8);
  const std::vector<std::int8_t> q(bytes.begin(), bytes.end());
  EXPECT_EQ(q, (std::vector<std::int8_t>{-10, -8, -128, 127}));
  const auto back = tools::dequantize_values(bytes, TensorType::INT8, p, {{4}});
  EXPECT_EQ(back, (std::vector<float>{0.0f, 1.0f, -59.0f, 68.5f}));
}

// trained_lstm_int8.tflite is the converter's int8 version of trained_lstm.tflite (the same
// weights): every int8 weight and int32 bias must come out of our formulas byte for byte. The
// activation scales that biases depend on are taken from the converter's model, so this isolates
// the weight and bias formulas from calibration data we do not have.
TEST(QuantParams, ReproducesTheConvertersWeightsAndBiasesByteForByte) {
  const auto dir = golden_dir() / "models";
  const tools::Graph f = tools::read_tflite_file(dir / "trained_lstm.tflite");
  const tools::Graph q = tools::read_tflite_file(dir / "trained_lstm_int8.tflite");
  auto float_named = [&](const std::string& name) -> const tools::GraphTensor* {
    for (const auto& t : f.tensors) {
      if (t.name == name && t.type == TensorType::FLOAT32 && t.is_constant()) return &t;
    }
    return nullptr;
  };
  int weights = 0, biases = 0;
  for (const tools::GraphOp& op : q.ops) {
    const auto rule = tools::op_rule(op);
    ASSERT_TRUE(rule.has_value()) << tools::op_name(op);
    for (const auto& w : rule->weights) {
      const auto& qt =
          q.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(w.input)])];
      const tools::GraphTensor* ft = float_named(qt.name);
      ASSERT_NE(ft, nullptr) << qt.name;
      const auto mine =
          tools::quantize_weights(tools::tensor_values<float>(*ft), ft->shape, w.axis);
      EXPECT_EQ(mine.params.scale, qt.quant.scale) << qt.name;
      EXPECT_EQ(mine.values, tools::tensor_values<std::int8_t>(qt)) << qt.name;
      ++weights;
    }
    for (const auto& b : rule->biases) {
      const auto& qt =
          q.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(b.input)])];
      const auto& input =
          q.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(b.activation)])];
      const auto& w =
          q.tensors[static_cast<std::size_t>(op.inputs[static_cast<std::size_t>(b.weights)])];
      const tools::GraphTensor* ft = float_named(qt.name);
      ASSERT_NE(ft, nullptr) << qt.name;
      const auto mine = tools::quantize_bias(tools::tensor_values<float>(*ft), input.quant.scale[0],
                                             w.quant.scale, TensorType::INT32);
      EXPECT_EQ(mine.params.scale, qt.quant.scale) << qt.name;
      EXPECT_EQ(mine.bytes, qt.data) << qt.name;
      ++biases;
    }
  }
  EXPECT_EQ(weights, 9);  // 8 LSTM gate matrices and the dense layer
  EXPECT_EQ(biases, 5);   // 4 gate biases and the dense bias
}

// hello_world_int8.tflite is not the converter's output for hello_world_float.tflite in the golden
// set: it comes from another training run (its dequantized weights are not the float ones), so
// weights cannot be compared byte for byte there; the LSTM pair above does that. Should the golden
// set ever hold a true pair, this test fails and the comparison belongs here.
TEST(QuantParams, GoldenHelloWorldInt8IsAnotherTrainingRun) {
  const auto dir = golden_dir() / "models";
  const tools::Graph f = tools::read_tflite_file(dir / "hello_world_float.tflite");
  const tools::Graph q = tools::read_tflite_file(dir / "hello_world_int8.tflite");
  double largest_step_error = 0.0;
  for (const auto& qt : q.tensors) {
    if (qt.type != TensorType::INT8 || !qt.is_constant()) continue;
    for (const auto& ft : f.tensors) {
      if (ft.name != qt.name) continue;
      const auto w = tools::tensor_values<float>(ft);
      const auto deq = tools::dequantize_values(qt.data, qt.type, qt.quant, qt.shape);
      for (std::size_t i = 0; i < w.size(); ++i) {
        largest_step_error =
            std::max(largest_step_error, double{std::abs(w[i] - deq[i]) / qt.quant.scale[0]});
      }
    }
  }
  EXPECT_GT(largest_step_error, 10.0);
}

}  // namespace
}  // namespace mote::testing
