#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void build(ModelBuilder& b, TensorType type, std::vector<int32_t> shape, Quant in_q = {},
           Quant out_q = {}) {
  const int in = b.tensor(type, shape, std::move(in_q));
  const int out = b.tensor(type, shape, std::move(out_q));
  b.op(BuiltinOperator::RELU6, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

TEST(Relu6, Float) {
  ModelBuilder b;
  build(b, TensorType::FLOAT32, {5});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{-1, 0.5f, 6, 7, 1e30f}),
            (std::vector<float>{0, 0.5f, 6, 6, 6}));
}

TEST(Relu6, Int8ClampsBetweenQuantizedZeroAndSix) {
  // Scale 0.05, zero point -100: 0 -> -100, 6 -> 120 - 100 = 20.
  ModelBuilder b;
  build(b, TensorType::INT8, {256}, quant(0.05f, -100), quant(0.05f, -100));
  std::vector<int8_t> x;
  for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
  const auto y = run_single<int8_t>(b, x);
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(y[v + 128], std::clamp(v, -100, 20)) << v;
}

TEST(Relu6, SixBeyondTheTypeIsClampedToItsMaximum) {
  ModelBuilder b;
  build(b, TensorType::INT8, {3}, quant(0.01f, 0), quant(0.01f, 0));
  EXPECT_EQ(run_single<int8_t>(b, std::vector<int8_t>{-5, 100, 127}),
            (std::vector<int8_t>{0, 100, 127}));
}

TEST(Relu6, QuantizedOutputKeepsTheInputsScaleAsTflm) {
  // TFLM clamps on the input's scale and does not requantize: with an output scale twice the
  // input's, the bytes are still the clamped input bytes (a real RELU6 would halve them).
  ModelBuilder b;
  build(b, TensorType::INT8, {4}, quant(0.1f, 0), quant(0.2f, 0));
  EXPECT_EQ(run_single<int8_t>(b, std::vector<int8_t>{-10, 10, 60, 100}),
            (std::vector<int8_t>{0, 10, 60, 60}));
}

TEST(Relu6, Int16) {
  ModelBuilder b;
  build(b, TensorType::INT16, {4}, quant(1e-3f, 0), quant(1e-3f, 0));
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{-32768, 1234, 6000, 32767}),
            (std::vector<int16_t>{0, 1234, 6000, 6000}));
}

TEST(Relu6, RefusesMismatchedTypes) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {2});
  const int out = b.tensor(TensorType::INT8, {2}, quant(0.1f, 0));
  b.op(BuiltinOperator::RELU6, {in}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("op 0 (RELU6): output tensor 1 't1' is int8, expected float32"),
            std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
