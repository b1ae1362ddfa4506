// TANH against double precision: every int8 input for several scales and zero points, every int16
// input for power-of-two and general scales, float, the exact saturation points, and refusals.
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

ModelBuilder single_op(TensorType type, std::vector<std::int32_t> shape, Quant in, Quant out) {
  ModelBuilder b;
  const int x = b.tensor(type, shape, std::move(in));
  const int y = b.tensor(type, shape, std::move(out));
  b.op(BuiltinOperator::TANH, {x}, {y}, tflite::BuiltinOptions::NONE, 0, 2);
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

TEST(Tanh, FloatMatchesFormula) {
  ModelBuilder b = single_op(TensorType::FLOAT32, {2, 3}, {}, {});
  const std::vector<float> x = {0.0f, 0.5f, -0.5f, 3.0f, -20.0f, 1e-3f};
  const auto y = run_single<float>(b, x);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(y[i], std::tanh(double(x[i])), 1e-7);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[4], -1.0f);
}

struct Int8Case {
  float scale;
  std::int64_t zero_point;
};

TEST(Tanh, Int8AllInputsWithinOneStepOfDouble) {
  for (const Int8Case c : {Int8Case{0.0625f, 0}, Int8Case{0.03f, -5}, Int8Case{0.011f, 100},
                           Int8Case{0.25f, 0}, Int8Case{0.07f, -128}}) {
    // TFLM writes int8 tanh as scale 1/128, zero point 0, whatever the output tensor says.
    ModelBuilder b =
        single_op(TensorType::INT8, {4, 64}, quant(c.scale, c.zero_point), quant(1.0f / 128, 0));
    const auto x = all_int8();
    const auto y = run_single<std::int8_t>(b, x);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double real = c.scale * (x[i] - c.zero_point);
      const double expected = std::min(127.0, std::round(128.0 * std::tanh(real)));
      EXPECT_LE(std::fabs(y[i] - expected), 1.0)
          << "scale " << c.scale << " zp " << c.zero_point << " x " << int(x[i]);
    }
    EXPECT_EQ(y[static_cast<std::size_t>(c.zero_point + 128)], 0);  // tanh(0)
  }
}

TEST(Tanh, Int8SaturatesExactlyAtTheRadius) {
  // scale 0.5: multiplier 2^26 = 0.5 · 2^27, radius floor(15 · 2^27 / 2^27) = 15.
  ModelBuilder b = single_op(TensorType::INT8, {1, 4}, quant(0.5f, 0), quant(1.0f / 128, 0));
  const auto y = run_single<std::int8_t>(b, std::vector<std::int8_t>{-15, -14, 14, 15});
  EXPECT_EQ(y[0], -128);
  EXPECT_EQ(y[1], -128);  // tanh(-7) · 128 = -127.9998 → -128
  EXPECT_EQ(y[2], 127);   // +128 clamps to 127
  EXPECT_EQ(y[3], 127);
}

// The real value TFLite's table sees for input x (see logistic_test.cc); for tanh 2^-11 is also
// a power-of-two path (multiplier 6).
double table_input(float scale, int x) {
  if (scale == 1.0f / 4096) return x / 4096.0;
  if (scale == 1.0f / 2048) return x / 2048.0;
  double multiplier = scale * 4096.0 * 3.0;
  int shift = 0;
  while (multiplier <= 32767.0 / 2.0) {
    multiplier *= 2.0;
    ++shift;
  }
  return std::floor(std::trunc(multiplier) * x / std::ldexp(1.0, shift) + 0.5) / (3.0 * 4096.0);
}

// tanh(y) = 2·sigmoid(2y) − 1 doubles the table's interpolation error (up to 1.4 output steps)
// and its rounding, so the bound is 1.6 steps.
void check_int16(float scale, double exact_tolerance) {
  ModelBuilder b =
      single_op(TensorType::INT16, {256, 256}, quant(scale, 0), quant(1.0f / 32768, 0));
  const auto x = all_int16();
  const auto y = run_single<std::int16_t>(b, x);
  double worst = 0.0;
  double worst_exact = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double expected =
        std::max(-32767.0, std::min(32767.0, 32768.0 * std::tanh(table_input(scale, x[i]))));
    worst = std::max(worst, std::fabs(y[i] - expected));
    const double exact =
        std::max(-32767.0, std::min(32767.0, 32768.0 * std::tanh(double(scale) * x[i])));
    worst_exact = std::max(worst_exact, std::fabs(y[i] - exact));
  }
  EXPECT_LE(worst, 1.6) << "scale " << scale;
  EXPECT_LE(worst_exact, exact_tolerance) << "scale " << scale;
}

TEST(Tanh, Int16AllInputsAgainstDouble) {
  check_int16(1.0f / 4096, 1.6);  // Q3.12: the power-of-two path, multiplier 3
  check_int16(1.0f / 2048, 1.6);  // Q4.11: also a power-of-two path for tanh, multiplier 6
  // A general scale: the truncated multiplier (17113 for 17113.76) shifts large inputs.
  check_int16(0.00017f, 3.0);
}

TEST(Tanh, Int16ExactValues) {
  // Q4.11: x·6 reaches the end of the table (255 · 256) at |x| >= 10880.
  ModelBuilder b =
      single_op(TensorType::INT16, {1, 5}, quant(1.0f / 2048, 0), quant(1.0f / 32768, 0));
  const auto y =
      run_single<std::int16_t>(b, std::vector<std::int16_t>{0, 10880, -10880, 32767, -32768});
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[1], 32767);
  EXPECT_EQ(y[2], -32767);
  EXPECT_EQ(y[3], 32767);
  EXPECT_EQ(y[4], -32767);
}

TEST(Tanh, RefusesInt16OutputScaleOtherThan2ToMinus15) {
  ModelBuilder b =
      single_op(TensorType::INT16, {1, 4}, quant(1.0f / 4096, 0), quant(1.0f / 16384, 0));
  EXPECT_NE(refusal(b).find("op 0 (TANH): int16 output tensor 1 't1' has scale 6.103516e-5"),
            std::string::npos)
      << refusal(b);
}

TEST(Tanh, RefusesInt16InputScaleTooLargeForTheTable) {
  // 4.0 · 4096 · 3 = 49152 > 32767: the table multiplier would overflow.
  ModelBuilder b = single_op(TensorType::INT16, {1, 4}, quant(4.0f, 0), quant(1.0f / 32768, 0));
  EXPECT_NE(refusal(b).find("too large for TFLite's int16 table"), std::string::npos) << refusal(b);
}

TEST(Tanh, RefusesMismatchedTypes) {
  ModelBuilder b;
  const int x = b.tensor(TensorType::FLOAT32, {1, 4});
  const int y = b.tensor(TensorType::INT8, {1, 4}, quant(1.0f / 128, 0));
  b.op(BuiltinOperator::TANH, {x}, {y});
  b.inputs({x});
  b.outputs({y});
  EXPECT_NE(refusal(b).find("output tensor 1 't1' is int8, expected float32"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
