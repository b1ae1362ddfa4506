#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void build(ModelBuilder& b, TensorType type, std::vector<int32_t> shape, float alpha,
           Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(type, shape, std::move(in_q));
  const int out = b.tensor(type, shape, std::move(out_q));
  b.op(BuiltinOperator::LEAKY_RELU, {in}, {out}, tflite::BuiltinOptions::LeakyReluOptions,
       tflite::CreateLeakyReluOptions(b.fbb(), alpha).Union(), 2);
  b.inputs({in});
  b.outputs({out});
}

TEST(LeakyRelu, FloatAnyAlpha) {
  const std::vector<float> x{-5, -0.5f, 0, 2};
  for (const float alpha : {0.2f, -0.5f, 2.0f}) {
    ModelBuilder b;
    build(b, TensorType::FLOAT32, {4}, alpha);
    const auto y = run_single<float>(b, x);
    EXPECT_FLOAT_EQ(y[0], -5 * alpha);
    EXPECT_FLOAT_EQ(y[1], -0.5f * alpha);
    EXPECT_FLOAT_EQ(y[2], 0);
    EXPECT_FLOAT_EQ(y[3], 2);
  }
}

TEST(LeakyRelu, Int16ExactQuarterSlope) {
  // Same scale on both sides and alpha 1/4: multiples of 4 map exactly (as in the SEANet models,
  // int16 with zero point 0).
  ModelBuilder b;
  build(b, TensorType::INT16, {6}, 0.25f, quant(0.00174882f, 0), quant(0.00174882f, 0));
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{-32768, -400, -4, 0, 400, 32767}),
            (std::vector<int16_t>{-8192, -100, -1, 0, 400, 32767}));
}

// All 256 int8 inputs within one output step of the real leaky ReLU.
void expect_int8_within_one_step(float alpha, float in_scale, int in_zero, float out_scale,
                                 int out_zero) {
  ModelBuilder b;
  build(b, TensorType::INT8, {256}, alpha, quant(in_scale, in_zero), quant(out_scale, out_zero));
  std::vector<int8_t> x;
  for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
  const auto y = run_single<int8_t>(b, x);
  for (int v = -128; v <= 127; ++v) {
    const double real = static_cast<double>(in_scale) * (v - in_zero);
    const double leaky = real >= 0 ? real : alpha * real;
    const double q = std::clamp(std::round(leaky / out_scale) + out_zero, -128.0, 127.0);
    EXPECT_NEAR(y[v + 128], q, 1.0) << "x " << v << " alpha " << alpha;
  }
}

TEST(LeakyRelu, Int8WithinOneStepForAlphaBelowZeroAndAboveOne) {
  for (const float alpha : {0.1f, -0.3f, 1.7f, -2.0f}) {
    expect_int8_within_one_step(alpha, 0.05f, 10, 0.08f, -20);
    expect_int8_within_one_step(alpha, 0.1f, -128, 0.1f, -128);
  }
}

TEST(LeakyRelu, Int8NegativeAlphaIsExactOnPowersOfTwo) {
  // alpha -1/2, scales equal: x < 0 maps to -x/2 (halves round away from zero in the final
  // shift), x >= 0 to itself.
  ModelBuilder b;
  build(b, TensorType::INT8, {5}, -0.5f, quant(1.0f, 0), quant(1.0f, 0));
  EXPECT_EQ(run_single<int8_t>(b, std::vector<int8_t>{-128, -10, -4, 0, 9}),
            (std::vector<int8_t>{64, 5, 2, 0, 9}));
}

TEST(LeakyRelu, Refusals) {
  ModelBuilder a;
  build(a, TensorType::INT8, {4}, std::numeric_limits<float>::infinity(), quant(0.5f, 0),
        quant(0.5f, 0));
  EXPECT_NE(refusal(a).find("alpha * input scale / output scale is not finite"), std::string::npos)
      << refusal(a);
  ModelBuilder b;
  build(b, TensorType::UINT8, {4}, 0.1f, quant(0.5f, 0), quant(0.5f, 0));
  EXPECT_NE(refusal(b).find("op 0 (LEAKY_RELU): input type uint8 is not supported"),
            std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
