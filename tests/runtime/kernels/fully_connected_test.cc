#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

flatbuffers::Offset<void> options(ModelBuilder& b, tflite::ActivationFunctionType act) {
  return tflite::CreateFullyConnectedOptions(b.fbb(), act).Union();
}

TEST(FullyConnected, FloatWithBiasAndRelu) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {2, 3});
  const int w = b.constant<float>(TensorType::FLOAT32, {2, 3}, {1, 0, -1, 0.5f, 0.5f, 0.5f});
  const int bias = b.constant<float>(TensorType::FLOAT32, {2}, {0.25f, -4});
  const int out = b.tensor(TensorType::FLOAT32, {2, 2});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out},
       tflite::BuiltinOptions::FullyConnectedOptions,
       options(b, tflite::ActivationFunctionType::RELU));
  b.inputs({in});
  b.outputs({out});
  const auto y = run_single<float>(b, std::vector<float>{1, 2, 3, -1, 4, 2});
  // Row 0: [1-3+0.25, 3-4] -> relu; row 1: [-1-2+0.25, 2.5-4].
  EXPECT_EQ(y, (std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f}));
  const auto y2 = run_single<float>(b, std::vector<float>{4, 2, 1, 2, 2, 8});
  // Row 0: [4 - 1 + 0.25, 3.5 - 4]; row 1: [2 - 8 + 0.25, 6 - 4].
  EXPECT_EQ(y2, (std::vector<float>{3.25f, 0.0f, 0.0f, 2.0f}));
}

TEST(FullyConnected, Int8PerTensorIsExact) {
  // input scale 0.5, weights 0.5, output 0.25: the multiplier is exactly 1, so out = acc + zp.
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 4}, quant(0.5f, -3));
  const int w = b.constant<std::int8_t>(TensorType::INT8, {2, 4}, {1, 2, 3, 4, -1, -1, -1, -1},
                                        quant(0.5f, 0));
  const int bias = b.constant<std::int32_t>(TensorType::INT32, {2}, {10, -5}, quant(0.25f, 0));
  const int out = b.tensor(TensorType::INT8, {1, 2}, quant(0.25f, 7));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out});
  b.inputs({in});
  b.outputs({out});
  const auto y = run_single<std::int8_t>(b, std::vector<std::int8_t>{-3, -2, 0, 5});
  // x - zp = [0, 1, 3, 8]; row 0: 2 + 9 + 32 = 43 + 10 = 53 + 7; row 1: -12 - 5 = -17 + 7.
  EXPECT_EQ(y, (std::vector<std::int8_t>{60, -10}));
}

TEST(FullyConnected, Int8SaturatesAndAppliesRelu6Range) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 2}, quant(1.0f, 0));
  const int w =
      b.constant<std::int8_t>(TensorType::INT8, {2, 2}, {127, 127, -127, -127}, quant(1.0f, 0));
  const int out = b.tensor(TensorType::INT8, {1, 2}, quant(0.1f, -128));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out},
       tflite::BuiltinOptions::FullyConnectedOptions,
       options(b, tflite::ActivationFunctionType::RELU6));
  b.inputs({in});
  b.outputs({out});
  const auto y = run_single<std::int8_t>(b, std::vector<std::int8_t>{100, 100});
  // ReLU6 clips at round(6 / 0.1) - 128 = -68; the negative row clips at the zero point.
  EXPECT_EQ(y, (std::vector<std::int8_t>{-68, -128}));
}

TEST(FullyConnected, Int8PerChannelUsesEachRowsScale) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 2}, quant(1.0f, 0));
  const int w = b.constant<std::int8_t>(TensorType::INT8, {2, 2}, {1, 1, 1, 1},
                                        Quant{{1.0f, 2.0f}, {0, 0}, 0});
  const int out = b.tensor(TensorType::INT8, {1, 2}, quant(1.0f, 0));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{3, 4}),
            (std::vector<std::int8_t>{7, 14}));
}

TEST(FullyConnected, Int16ActivationsWithInt8Weights) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, {1, 2}, quant(1.0f, 0));
  const int w = b.constant<std::int8_t>(TensorType::INT8, {1, 2}, {100, -50}, quant(1.0f, 0));
  const int bias = b.constant<std::int64_t>(TensorType::INT64, {1}, {1000}, quant(1.0f, 0));
  const int out = b.tensor(TensorType::INT16, {1, 1}, quant(2.0f, 0));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out});
  b.inputs({in});
  b.outputs({out});
  // (100·300 − 50·200 + 1000) / 2 = 10500.
  EXPECT_EQ(run_single<std::int16_t>(b, std::vector<std::int16_t>{300, 200}),
            (std::vector<std::int16_t>{10500}));
}

TEST(FullyConnected, Int16WithoutInt64BiasRescalesIn32Bits) {
  // TFLite's accumulator has the bias's type: without an int64 bias a 16x8 layer rescales an
  // int32 sum with the 32-bit multiply, whose two roundings take 90001 / 3 to 30001 (60000.67 ->
  // 60001, then 30000.5 -> 30001), where the 64-bit one with its 16-bit reduced multiplier
  // gives 30000.
  auto build = [](ModelBuilder& b, bool int64_bias) {
    const int in = b.tensor(TensorType::INT16, {1, 1}, quant(1.0f, 0));
    const int w = b.constant<std::int8_t>(TensorType::INT8, {1, 1}, {1}, quant(1.0f, 0));
    const int bias =
        int64_bias ? b.constant<std::int64_t>(TensorType::INT64, {1}, {60000}, quant(1.0f, 0))
                   : b.constant<std::int32_t>(TensorType::INT32, {1}, {60000}, quant(1.0f, 0));
    const int out = b.tensor(TensorType::INT16, {1, 1}, quant(3.0f, 0));
    b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out});
    b.inputs({in});
    b.outputs({out});
  };
  ModelBuilder b32, b64;
  build(b32, false);
  build(b64, true);
  const std::vector<std::int16_t> x = {30001};
  EXPECT_EQ(run_single<std::int16_t>(b32, x), (std::vector<std::int16_t>{30001}));
  EXPECT_EQ(run_single<std::int16_t>(b64, x), (std::vector<std::int16_t>{30000}));
}

TEST(FullyConnected, RefusesMismatchedShapes) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 5});
  const int w = b.constant<float>(TensorType::FLOAT32, {2, 4}, std::vector<float>(8, 1.0f));
  const int out = b.tensor(TensorType::FLOAT32, {1, 2});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("op 0 (FULLY_CONNECTED): input has 5 elements"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
