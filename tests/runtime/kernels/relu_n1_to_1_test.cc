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
  b.op(BuiltinOperator::RELU_N1_TO_1, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

TEST(ReluN1To1, Float) {
  ModelBuilder b;
  build(b, TensorType::FLOAT32, {5});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{-3, -1, -0.25f, 0.75f, 2}),
            (std::vector<float>{-1, -1, -0.25f, 0.75f, 1}));
}

TEST(ReluN1To1, Int8RequantizesThenClamps) {
  // Input scale 1/4, output 1/64: x · 16, clamped to the output's [-64, 64].
  ModelBuilder b;
  build(b, TensorType::INT8, {256}, quant(0.25f, 0), quant(1.0f / 64, 0));
  std::vector<int8_t> x;
  for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
  const auto y = run_single<int8_t>(b, x);
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(y[v + 128], std::clamp(16 * v, -64, 64)) << v;
}

TEST(ReluN1To1, Int16) {
  ModelBuilder b;
  build(b, TensorType::INT16, {4}, quant(1.0f / 1024, 0), quant(1.0f / 1024, 0));
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{-5000, -1024, 512, 2000}),
            (std::vector<int16_t>{-1024, -1024, 512, 1024}));
}

}  // namespace
}  // namespace mote::testing
