#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void build(ModelBuilder& b, TensorType in_type, TensorType out_type, std::vector<int32_t> shape,
           float beta, Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(in_type, shape, std::move(in_q));
  const int out = b.tensor(out_type, shape, std::move(out_q));
  b.op(BuiltinOperator::SOFTMAX, {in}, {out}, tflite::BuiltinOptions::SoftmaxOptions,
       tflite::CreateSoftmaxOptions(b.fbb(), beta).Union(), 2);
  b.inputs({in});
  b.outputs({out});
}

// softmax(beta · x) of each row of `depth` values, in double.
std::vector<double> reference(const std::vector<double>& x, int depth, double beta) {
  std::vector<double> y(x.size());
  for (size_t r = 0; r < x.size(); r += depth) {
    double max = x[r];
    for (int c = 1; c < depth; ++c) max = std::max(max, x[r + c]);
    double sum = 0;
    for (int c = 0; c < depth; ++c) sum += std::exp(beta * (x[r + c] - max));
    for (int c = 0; c < depth; ++c) y[r + c] = std::exp(beta * (x[r + c] - max)) / sum;
  }
  return y;
}

const Quant kInt8Out = quant(1.0f / 256, -128);
const Quant kInt16OutFromInt8 = quant(1.0f / 65536, -32768);
const Quant kInt16Out = quant(1.0f / 32768, 0);

TEST(Softmax, FloatPowersOfTwo) {
  ModelBuilder b;
  build(b, TensorType::FLOAT32, TensorType::FLOAT32, {1, 3}, 1.0f);
  const auto y = run_single<float>(b, std::vector<float>{0.0f, static_cast<float>(std::log(2.0)),
                                                         static_cast<float>(std::log(4.0))});
  // exp: 1, 2, 4 over 7.
  EXPECT_NEAR(y[0], 1.0 / 7, 1e-6);
  EXPECT_NEAR(y[1], 2.0 / 7, 1e-6);
  EXPECT_NEAR(y[2], 4.0 / 7, 1e-6);
}

TEST(Softmax, FloatBetaAndRows) {
  ModelBuilder b;
  build(b, TensorType::FLOAT32, TensorType::FLOAT32, {2, 2, 3}, 0.5f);
  const std::vector<float> x{1, 2, 3, -5, 0, 5, 100, 100, 100, -1, -1, 7};
  const auto y = run_single<float>(b, x);
  const auto e = reference(std::vector<double>(x.begin(), x.end()), 3, 0.5);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], e[i], 1e-6) << i;
  // A uniform row is exactly uniform.
  EXPECT_EQ(y[6], y[7]);
  EXPECT_EQ(y[7], y[8]);
}

TEST(Softmax, FloatWithoutOptionsUsesBetaZero) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int out = b.tensor(TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::SOFTMAX, {in}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 9}),
            (std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f}));
}

// Quantized softmax of `x` (int8 with `scale`) within one output step of the double reference.
template <typename Out>
void expect_int8_within_one_step(const std::vector<int8_t>& x, int depth, float scale, float beta,
                                 const Quant& out_q) {
  ModelBuilder b;
  const TensorType out_type = sizeof(Out) == 1 ? TensorType::INT8 : TensorType::INT16;
  build(b, TensorType::INT8, out_type, {static_cast<int32_t>(x.size()) / depth, depth}, beta,
        quant(scale, 3), out_q);
  const auto y = run_single<Out>(b, x);
  std::vector<double> real;
  for (int8_t v : x) real.push_back(scale * (v - 3));
  const auto e = reference(real, depth, beta);
  const double out_scale = out_q.scales[0];
  const double out_zero = static_cast<double>(out_q.zero_points[0]);
  for (size_t i = 0; i < y.size(); ++i) {
    const double expected = std::min(std::round(e[i] / out_scale) + out_zero,
                                     static_cast<double>(std::numeric_limits<Out>::max()));
    EXPECT_NEAR(y[i], expected, 1.0)
        << "element " << i << " of scale " << scale << " beta " << beta;
  }
}

TEST(Softmax, Int8WithinOneStepOfDoubleReference) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> dist(-128, 127);
  for (const float scale : {0.05f, 0.2f, 1.0f}) {
    for (const float beta : {1.0f, 0.3f, 2.5f}) {
      std::vector<int8_t> x;
      for (int i = 0; i < 4 * 10; ++i) x.push_back(static_cast<int8_t>(dist(rng)));
      expect_int8_within_one_step<int8_t>(x, 10, scale, beta, kInt8Out);
      expect_int8_within_one_step<int16_t>(x, 10, scale, beta, kInt16OutFromInt8);
    }
  }
}

TEST(Softmax, Int8UniformRowsAreEqualAndSumToOne) {
  for (const int depth : {1, 3, 4, 10, 256}) {
    ModelBuilder b;
    build(b, TensorType::INT8, TensorType::INT8, {1, depth}, 1.0f, quant(0.1f, 0), kInt8Out);
    const auto y = run_single<int8_t>(b, std::vector<int8_t>(depth, 17));
    double total = 0;
    for (int8_t v : y) {
      EXPECT_EQ(v, y[0]);
      total += (v + 128) / 256.0;
    }
    // Each output is within a step of 1/depth, so the sum is within depth steps of 1.
    EXPECT_NEAR(total, 1.0, depth / 256.0 + 1e-9) << depth;
    EXPECT_NEAR((y[0] + 128) / 256.0, 1.0 / depth, 1.0 / 256) << depth;
  }
}

TEST(Softmax, Int8ToInt16SumsToOne) {
  ModelBuilder b;
  build(b, TensorType::INT8, TensorType::INT16, {1, 5}, 1.0f, quant(0.25f, -2), kInt16OutFromInt8);
  const auto y = run_single<int16_t>(b, std::vector<int8_t>{-2, 2, 6, -20, 1});
  double total = 0;
  for (int16_t v : y) total += (v + 32768) / 65536.0;
  EXPECT_NEAR(total, 1.0, 5.0 / 65536);
}

TEST(Softmax, Int8FarBelowTheMaximumIsExactlyZero) {
  // Scale 1: a difference of 100 is e^-100; TFLite skips differences below its radius (-31 in
  // the Q5.26 domain) and writes the output's minimum.
  ModelBuilder b;
  build(b, TensorType::INT8, TensorType::INT8, {1, 3}, 1.0f, quant(1.0f, 0), kInt8Out);
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{100, 0, -128});
  EXPECT_EQ(y[1], -128);
  EXPECT_EQ(y[2], -128);
  EXPECT_EQ(y[0], 127);  // 1.0 saturates at the largest int8 output, 255/256
}

TEST(Softmax, Int16WithinSixStepsOfDoubleReference) {
  // TFLite's int16 exp table spans [-10, 0]: a difference further below reads exp(-10) and still
  // adds to the row's sum. The reference floors the exponent the same way; beyond that it is
  // plain double-precision softmax. The tables themselves are coarse at the ends (exp(0) reads
  // 32762/32767, exp(-10) reads 2 steps rather than 1.49), which costs up to 5 steps on a
  // dominant element; TFLite's own int16 activation tests allow 16 (2/4096).
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> dist(-32768, 32767);
  double worst = 0;
  for (const float scale : {1.0f / 4096, 1.0f / 1024, 2e-4f}) {
    for (const float beta : {1.0f, 0.5f}) {
      const int depth = 8;
      std::vector<int16_t> x;
      for (int i = 0; i < 5 * depth; ++i) x.push_back(static_cast<int16_t>(dist(rng)));
      ModelBuilder b;
      build(b, TensorType::INT16, TensorType::INT16, {5, depth}, beta, quant(scale, 0), kInt16Out);
      const auto y = run_single<int16_t>(b, x);
      for (int r = 0; r < 5; ++r) {
        int max = x[r * depth];
        for (int c = 1; c < depth; ++c) max = std::max<int>(max, x[r * depth + c]);
        std::vector<double> e(depth);
        double sum = 0;
        for (int c = 0; c < depth; ++c) {
          e[c] = std::exp(std::max(-10.0, double{beta} * scale * (x[r * depth + c] - max)));
          sum += e[c];
        }
        for (int c = 0; c < depth; ++c) {
          const double expected = std::min(std::round(e[c] / sum * 32768), 32767.0);
          worst = std::max(worst, std::fabs(y[r * depth + c] - expected));
        }
      }
    }
  }
  EXPECT_LE(worst, 6.0);
}

TEST(Softmax, Int16UniformRowsAreEqual) {
  ModelBuilder b;
  build(b, TensorType::INT16, TensorType::INT16, {2, 4}, 1.0f, quant(1e-3f, 0), kInt16Out);
  const auto y = run_single<int16_t>(
      b, std::vector<int16_t>{-500, -500, -500, -500, 32767, 32767, 32767, 32767});
  for (int16_t v : y) {
    EXPECT_EQ(v, y[0]);
    EXPECT_NEAR(v, 8192, 1);
  }
}

TEST(Softmax, RefusesWrongOutputQuantization) {
  ModelBuilder a;
  build(a, TensorType::INT8, TensorType::INT8, {1, 4}, 1.0f, quant(0.1f, 0), quant(1.0f / 256, 0));
  EXPECT_NE(refusal(a).find("int8 softmax needs output scale 1/256 and zero point -128"),
            std::string::npos)
      << refusal(a);
  ModelBuilder b;
  build(b, TensorType::INT8, TensorType::INT16, {1, 4}, 1.0f, quant(0.1f, 0),
        quant(1.0f / 32768, 0));
  EXPECT_NE(refusal(b).find("int8 -> int16 softmax needs output scale 1/65536"), std::string::npos)
      << refusal(b);
  ModelBuilder c;
  build(c, TensorType::INT16, TensorType::INT16, {1, 4}, 1.0f, quant(0.1f, 0),
        quant(1.0f / 32000, 0));
  EXPECT_NE(refusal(c).find("int16 softmax needs input zero point 0 and output scale 1/32768"),
            std::string::npos)
      << refusal(c);
}

TEST(Softmax, RefusesUnsupportedCombinations) {
  ModelBuilder a;
  build(a, TensorType::INT8, TensorType::FLOAT32, {1, 4}, 1.0f, quant(0.1f, 0));
  EXPECT_NE(refusal(a).find("int8 input needs an int8 or int16 output, not float32"),
            std::string::npos)
      << refusal(a);
  ModelBuilder b;
  build(b, TensorType::INT16, TensorType::INT8, {1, 4}, 1.0f, quant(0.1f, 0), kInt8Out);
  EXPECT_NE(refusal(b).find("output tensor 1 't1' is int8, expected int16"), std::string::npos)
      << refusal(b);
  ModelBuilder c;
  build(c, TensorType::INT32, TensorType::INT32, {1, 4}, 1.0f);
  EXPECT_NE(refusal(c).find("input type int32 is not supported"), std::string::npos) << refusal(c);
  ModelBuilder d;
  build(d, TensorType::INT8, TensorType::INT8, {1, 4}, 1e-9f, quant(0.01f, 0), kInt8Out);
  EXPECT_NE(refusal(d).find("is too small for int8 softmax"), std::string::npos) << refusal(d);
  ModelBuilder e;
  const int in = e.tensor(TensorType::FLOAT32, {1, 4});
  const int out = e.tensor(TensorType::FLOAT32, {1, 5});
  e.op(BuiltinOperator::SOFTMAX, {in}, {out});
  e.inputs({in});
  e.outputs({out});
  EXPECT_NE(refusal(e).find("does not match input"), std::string::npos) << refusal(e);
}

TEST(Softmax, Int8RowWhoseSumOverflowsTheOutputFailsLikeTflm) {
  // 600 equal values: the sum of exps is 600, and 1/600 needs a shift TFLM's int8 path cannot
  // apply (it aborts). mote refuses at invoke instead.
  ModelBuilder b;
  build(b, TensorType::INT8, TensorType::INT8, {1, 600}, 1.0f, quant(0.1f, 0), kInt8Out);
  try {
    run_single<int8_t>(b, std::vector<int8_t>(600, 1));
    FAIL() << "expected a kernel error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sum of exponentials is too large"), std::string::npos)
        << e.what();
  }
  // 500 values fit.
  ModelBuilder ok;
  build(ok, TensorType::INT8, TensorType::INT8, {1, 500}, 1.0f, quant(0.1f, 0), kInt8Out);
  const auto y = run_single<int8_t>(ok, std::vector<int8_t>(500, 1));
  EXPECT_EQ(y[0], -127);  // 1/500 = 0.512 steps of 1/256 -> 1 step above the minimum
}

}  // namespace
}  // namespace mote::testing
