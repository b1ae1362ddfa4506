// LOGISTIC against double precision: every int8 input for several scales and zero points, every
// int16 input for power-of-two and general scales, float including TFLite's cut-offs, the exact
// saturation points, and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

ModelBuilder single_op(TensorType type, std::vector<std::int32_t> shape, Quant in, Quant out) {
  ModelBuilder b;
  const int x = b.tensor(type, shape, std::move(in));
  const int y = b.tensor(type, shape, std::move(out));
  b.op(BuiltinOperator::LOGISTIC, {x}, {y}, tflite::BuiltinOptions::NONE, 0, 2);
  b.inputs({x});
  b.outputs({y});
  return b;
}

std::vector<std::int8_t> all_int8() {
  std::vector<std::int8_t> v;
  for (int i = -128; i <= 127; ++i) v.push_back(static_cast<std::int8_t>(i));
  return v;
}

std::vector<std::int16_t> all_int16() {
  std::vector<std::int16_t> v;
  for (int i = -32768; i <= 32767; ++i) v.push_back(static_cast<std::int16_t>(i));
  return v;
}

TEST(Logistic, FloatMatchesFormulaAndTfliteCutoffs) {
  ModelBuilder b = single_op(TensorType::FLOAT32, {1, 8}, {}, {});
  const std::vector<float> x = {0.0f, 1.0f, -1.0f, 3.5f, -8.9f, -9.5f, 16.6f, 17.0f};
  const auto y = run_single<float>(b, x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(y[i], sigmoid(x[i]), 1e-6) << "x = " << x[i];
  }
  EXPECT_EQ(y[0], 0.5f);
  // Above 16.619... TFLite returns exactly 1; below -9 it returns e^x.
  EXPECT_EQ(y[7], 1.0f);
  EXPECT_EQ(y[5], std::exp(-9.5f));
}

struct Int8Case {
  float scale;
  std::int64_t zero_point;
};

TEST(Logistic, Int8AllInputsWithinOneStepOfDouble) {
  for (const Int8Case c : {Int8Case{0.0625f, 0}, Int8Case{0.1f, -20}, Int8Case{0.0235f, 37},
                           Int8Case{0.5f, -128}, Int8Case{0.0685789f, -128}}) {
    ModelBuilder b = single_op(TensorType::INT8, {2, 128}, quant(c.scale, c.zero_point),
                               quant(1.0f / 256, -128));
    const auto x = all_int8();
    const auto y = run_single<std::int8_t>(b, x);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double real = c.scale * (x[i] - c.zero_point);
      const double expected = std::min(127.0, std::round(256.0 * sigmoid(real)) - 128.0);
      EXPECT_LE(std::fabs(y[i] - expected), 1.0)
          << "scale " << c.scale << " zp " << c.zero_point << " x " << int(x[i]);
    }
    // logistic(0) is exactly one half: 128 steps above -128.
    EXPECT_EQ(y[static_cast<std::size_t>(c.zero_point + 128)], 0);
  }
}

TEST(Logistic, Int8SaturatesExactlyAtTheRadius) {
  // scale 1 gives a multiplier 2^27 = 0.5 · 2^28: left shift 28, radius floor(15 · 2^27 / 2^28)
  // = 7, so |x| >= 7 saturates at once and 6 is still computed.
  ModelBuilder b = single_op(TensorType::INT8, {1, 6}, quant(1.0f, 0), quant(1.0f / 256, -128));
  const auto y = run_single<std::int8_t>(b, std::vector<std::int8_t>{-7, -6, 6, 7, 127, -128});
  EXPECT_EQ(y[0], -128);
  EXPECT_EQ(y[1], -127);  // σ(-6) = 0.00247 → round(0.63) = 1 step above -128
  EXPECT_EQ(y[2], 127);   // σ(6) · 256 = 255.4 → 255 - 128
  EXPECT_EQ(y[3], 127);
  EXPECT_EQ(y[4], 127);
  EXPECT_EQ(y[5], -128);
}

// The real value TFLite's table sees for input x: x · multiplier / 2^shift steps of 1/(3·4096),
// with the multiplier TFLite derives (3 for Q3.12, otherwise scale · 3 · 4096 doubled into
// (16383.5, 32767] and truncated).
double table_input(float scale, int x) {
  if (scale == 1.0f / 4096) return x / 4096.0;
  double multiplier = scale * 4096.0 * 3.0;
  int shift = 0;
  while (multiplier <= 32767.0 / 2.0) {
    multiplier *= 2.0;
    ++shift;
  }
  return std::floor(std::trunc(multiplier) * x / std::ldexp(1.0, shift) + 0.5) / (3.0 * 4096.0);
}

// The table holds sigmoid at steps of 1/24 in Q0.16 and interpolates linearly: the interpolation
// error is up to h²/8 · max|σ''| = 2.1e-5 (0.7 output steps) on top of the rounding, so the bound
// is 1.1 steps rather than 1.
void check_int16(float scale) {
  ModelBuilder b =
      single_op(TensorType::INT16, {256, 256}, quant(scale, 0), quant(1.0f / 32768, 0));
  const auto x = all_int16();
  const auto y = run_single<std::int16_t>(b, x);
  double worst = 0.0;
  double worst_exact = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double expected = std::min(32767.0, 32768.0 * sigmoid(table_input(scale, x[i])));
    worst = std::max(worst, std::fabs(y[i] - expected));
    const double exact = std::min(32767.0, 32768.0 * sigmoid(double(scale) * x[i]));
    worst_exact = std::max(worst_exact, std::fabs(y[i] - exact));
  }
  EXPECT_LE(worst, 1.1) << "scale " << scale;
  // Against the unrounded input the truncated multiplier of a general scale costs a little more.
  EXPECT_LE(worst_exact, 1.5) << "scale " << scale;
}

TEST(Logistic, Int16AllInputsAgainstDouble) {
  check_int16(1.0f / 4096);  // Q3.12: the power-of-two path
  check_int16(1.0f / 2048);  // another power of two: TFLM rescales it like any scale
  check_int16(0.00031f);     // a general scale
}

TEST(Logistic, Int16ExactValues) {
  // scale 2^-10: x·12 (as 24576·x >> 11) reaches the end of the table at |x| >= 10880. TFLM's
  // rounding then gives 32767 above and 1 (not 0) below.
  ModelBuilder b =
      single_op(TensorType::INT16, {1, 6}, quant(1.0f / 1024, 0), quant(1.0f / 32768, 0));
  const auto y =
      run_single<std::int16_t>(b, std::vector<std::int16_t>{0, 10880, -10880, 32767, -32768, 1});
  EXPECT_EQ(y[0], 16384);
  EXPECT_EQ(y[1], 32767);
  EXPECT_EQ(y[2], 1);
  EXPECT_EQ(y[3], 32767);
  EXPECT_EQ(y[4], 1);
  // x = 1: 12 steps of 1/24 in table units of 512: (32768·512 + 12·683 + 512) >> 10 = 16392.
  EXPECT_EQ(y[5], 16392);
}

TEST(Logistic, RefusesInt8OutputZeroPointOtherThanMinus128) {
  ModelBuilder b = single_op(TensorType::INT8, {1, 4}, quant(0.1f, 0), quant(1.0f / 256, 0));
  EXPECT_NE(refusal(b).find("op 0 (LOGISTIC): int8 output tensor 1 't1' has zero point 0"),
            std::string::npos)
      << refusal(b);
}

TEST(Logistic, RefusesInt16OutputScaleOtherThan2ToMinus15) {
  ModelBuilder b = single_op(TensorType::INT16, {1, 4}, quant(1.0f / 4096, 0), quant(0.001f, 0));
  EXPECT_NE(refusal(b).find("int16 output tensor 1 't1' has scale 0.001"), std::string::npos)
      << refusal(b);
}

TEST(Logistic, RefusesInt16ZeroPoint) {
  ModelBuilder b =
      single_op(TensorType::INT16, {1, 4}, quant(1.0f / 4096, 3), quant(1.0f / 32768, 0));
  EXPECT_NE(refusal(b).find("int16 input and output need zero point 0 (they have 3 and 0)"),
            std::string::npos)
      << refusal(b);
}

TEST(Logistic, AcceptsAnotherShapeWithTheSameElements) {
  ModelBuilder b;
  const int x = b.tensor(TensorType::FLOAT32, {1, 2});
  const int y = b.tensor(TensorType::FLOAT32, {2});
  b.op(BuiltinOperator::LOGISTIC, {x}, {y});
  b.inputs({x});
  b.outputs({y});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{0.0f, 100.0f}),
            (std::vector<float>{0.5f, 1.0f}));
}

TEST(Logistic, RefusesMismatchedSizesAndTypes) {
  {
    ModelBuilder b;
    const int x = b.tensor(TensorType::FLOAT32, {1, 4});
    const int y = b.tensor(TensorType::FLOAT32, {1, 5});
    b.op(BuiltinOperator::LOGISTIC, {x}, {y});
    b.inputs({x});
    b.outputs({y});
    EXPECT_NE(refusal(b).find("op 0 (LOGISTIC): input has 4 elements but output has 5"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    const int x = b.tensor(TensorType::INT32, {1, 4});
    const int y = b.tensor(TensorType::INT32, {1, 4});
    b.op(BuiltinOperator::LOGISTIC, {x}, {y});
    b.inputs({x});
    b.outputs({y});
    EXPECT_NE(refusal(b).find("input type int32 is not supported"), std::string::npos)
        << refusal(b);
  }
}

}  // namespace
}  // namespace mote::testing
