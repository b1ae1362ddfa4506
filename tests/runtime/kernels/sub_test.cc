#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::TensorType;

struct Operand {
  std::vector<int32_t> shape;
  Quant q = {};
};

void sub_model(ModelBuilder& b, TensorType t1, TensorType t2, TensorType to, const Operand& x,
               const Operand& y, const Operand& out, ActivationFunctionType act,
               bool pot_scale_int16 = true) {
  const int i0 = b.tensor(t1, x.shape, x.q);
  const int i1 = b.tensor(t2, y.shape, y.q);
  const int o = b.tensor(to, out.shape, out.q);
  b.op(BuiltinOperator::SUB, {i0, i1}, {o}, tflite::BuiltinOptions::SubOptions,
       tflite::CreateSubOptions(b.fbb(), act, pot_scale_int16).Union());
  b.inputs({i0, i1});
  b.outputs({o});
}

template <typename T>
std::vector<T> run_sub(TensorType type, const Operand& x, const Operand& y, const Operand& out,
                       const std::vector<T>& a, const std::vector<T>& c,
                       ActivationFunctionType act = ActivationFunctionType::NONE,
                       bool pot_scale_int16 = true) {
  ModelBuilder b;
  sub_model(b, type, type, type, x, y, out, act, pot_scale_int16);
  return from_bytes<T>(run_model(b, {to_bytes(a), to_bytes(c)}).at(0));
}

template <typename T>
int32_t reference_sub(T q1, T q2, const Quant& a, const Quant& b, const Quant& o) {
  const double real =
      (q1 - a.zero_points[0]) * double{a.scales[0]} - (q2 - b.zero_points[0]) * double{b.scales[0]};
  const double q = std::round(real / o.scales[0]) + static_cast<double>(o.zero_points[0]);
  const double low = std::numeric_limits<T>::min(), high = std::numeric_limits<T>::max();
  return static_cast<int32_t>(q < low ? low : (q > high ? high : q));
}

TEST(Sub, FloatOperandOrderMattersUnderBroadcast) {
  const std::vector<float> m = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(run_sub<float>(TensorType::FLOAT32, {{2, 3}}, {{2, 1}}, {{2, 3}}, m, {1, 10}),
            (std::vector<float>{0, 1, 2, -6, -5, -4}));
  EXPECT_EQ(run_sub<float>(TensorType::FLOAT32, {{2, 1}}, {{2, 3}}, {{2, 3}}, {1, 10}, m),
            (std::vector<float>{0, -1, -2, 6, 5, 4}));
  EXPECT_EQ(run_sub<float>(TensorType::FLOAT32, {{1}}, {{2, 3}}, {{2, 3}}, {0.5f}, m),
            (std::vector<float>{-0.5f, -1.5f, -2.5f, -3.5f, -4.5f, -5.5f}));
}

TEST(Sub, FloatRankFourAndActivations) {
  // out[i,j,k,l] = a[i,k] − b[j,l]
  EXPECT_EQ(run_sub<float>(TensorType::FLOAT32, {{2, 1, 2, 1}}, {{1, 2, 1, 2}}, {{2, 2, 2, 2}},
                           {10, 20, 30, 40}, {1, 2, 3, 4}),
            (std::vector<float>{9, 8, 19, 18, 7, 6, 17, 16, 29, 28, 39, 38, 27, 26, 37, 36}));
  const std::vector<float> x = {-1, 0.5f, 2, 9}, y = {0, 0, 0, 1};
  EXPECT_EQ(
      run_sub<float>(TensorType::FLOAT32, {{4}}, {{4}}, {{4}}, x, y, ActivationFunctionType::RELU6),
      (std::vector<float>{0, 0.5f, 2, 6}));
  EXPECT_EQ(run_sub<float>(TensorType::FLOAT32, {{4}}, {{4}}, {{4}}, x, y,
                           ActivationFunctionType::RELU_N1_TO_1),
            (std::vector<float>{-1, 0.5f, 1, 1}));
}

TEST(Sub, Int32WrapsAndAppliesTheActivationsIntegerRange) {
  // Unlike ADD, TFLM's int32 SUB clamps to the activation's integer range: ReLU6 is [0, 6].
  EXPECT_EQ(run_sub<int32_t>(TensorType::INT32, {{4}}, {{1}}, {{4}}, {3, 5, 20, -7}, {4},
                             ActivationFunctionType::RELU6),
            (std::vector<int32_t>{0, 1, 6, 0}));
  EXPECT_EQ(run_sub<int32_t>(TensorType::INT32, {{4}}, {{1}}, {{4}}, {3, 5, 20, -7}, {4},
                             ActivationFunctionType::RELU),
            (std::vector<int32_t>{0, 1, 16, 0}));
  const int32_t min = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(run_sub<int32_t>(TensorType::INT32, {{2}}, {{2}}, {{2}}, {min, 5}, {1, 8}),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::max(), -3}));
}

TEST(Sub, Int8ZeroPointsRoundingAndSaturation) {
  // Scales 0.5 − 0.5 → 1: out = round_half_away(((q1 − 3) − (q2 + 5)) / 2) + 10.
  const Operand x{{6}, quant(0.5f, 3)}, y{{6}, quant(0.5f, -5)}, out{{6}, quant(1.0f, 10)};
  // (1 − 1)/2 = 0; (2 − 1)/2 = 0.5 → 1; (−1 − 0)/2 → −1; (124 + 123)/2 = 123.5 → 124 → 127;
  // (−131 − 132)/2 = −131.5 → −132 → −122; (7 − 10)/2 = −1.5 → −2.
  EXPECT_EQ(run_sub<int8_t>(TensorType::INT8, x, y, out, {4, 5, 2, 127, -128, 10},
                            {-4, -4, -5, -128, 127, 5}),
            (std::vector<int8_t>{10, 11, 9, 127, -122, 8}));
  const Operand big{{2}, quant(1.0f, 0)}, fine{{2}, quant(0.5f, 0)};
  // 2·(100 + 100) and 2·(−100 − 100) saturate.
  EXPECT_EQ(run_sub<int8_t>(TensorType::INT8, big, big, fine, {100, -100}, {-100, 100}),
            (std::vector<int8_t>{127, -128}));
}

TEST(Sub, Int8ReluRangeAndColumnBroadcast) {
  // Scales 0.5 − 0.5 → 0.5: out = q1 − q2 + 4, ReLU at the zero point 4.
  const Operand m{{2, 2}, quant(0.5f, 0)}, col{{2, 1}, quant(0.5f, 0)}, out{{2, 2}, quant(0.5f, 4)};
  EXPECT_EQ(run_sub<int8_t>(TensorType::INT8, m, col, out, {1, 9, -3, 3}, {2, -3},
                            ActivationFunctionType::RELU),
            (std::vector<int8_t>{4, 11, 4, 10}));
}

TEST(Sub, Int16PowerOfTwoScalesAreExactWhateverPotScaleSays) {
  // 2^-10 − 2^-11 → 2^-10: out = round_half_away(q1 − q2 / 2).
  const Operand x{{5}, quant(1.0f / 1024, 0)}, y{{5}, quant(1.0f / 2048, 0)};
  const std::vector<int16_t> a = {1, -1, 0, 30000, -30000}, c = {1, -1, 1, -10000, 10000};
  const std::vector<int16_t> expected = {1, -1, -1, 32767, -32768};
  EXPECT_EQ(run_sub<int16_t>(TensorType::INT16, x, y, x, a, c, ActivationFunctionType::NONE, true),
            expected);
  EXPECT_EQ(run_sub<int16_t>(TensorType::INT16, x, y, x, a, c, ActivationFunctionType::NONE, false),
            expected);
}

TEST(Sub, Int16ChannelBroadcastLikeSeanet) {
  // [1,2,3,4] − [4] with the scales of TFLM's seanet sub0 model; one step of the reference.
  const Quant qa = quant(0.000969372f, 0), qb = quant(8.70984e-06f, 0), qo = quant(0.000594149f, 0);
  std::mt19937 rng(3);
  std::vector<int16_t> a(24), c(4);
  for (auto& v : a) v = static_cast<int16_t>(rng());
  for (auto& v : c) v = static_cast<int16_t>(rng());
  const auto got =
      run_sub<int16_t>(TensorType::INT16, {{1, 2, 3, 4}, qa}, {{4}, qb}, {{1, 2, 3, 4}, qo}, a, c);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_LE(std::abs(got[i] - reference_sub(a[i], c[i % 4], qa, qb, qo)), 1) << i;
  }
}

TEST(Sub, ScaleRatiosAreTakenInSinglePrecisionAsTflm) {
  // TFLM's SUB divides the scales in float before widening (its ADD divides in double), so the
  // second input's multiplier has only float's 24 significant bits: 1234893568 rather than
  // 1234893581 for the seanet sub0 scales. That moves this element by one step (the
  // double-precision derivation gives −32077); TFLM's seanet_sub golden outputs fail with the
  // double-precision multipliers and pass with these.
  const Operand x{{2}, quant(0.000969372f, 0)}, y{{2}, quant(8.70984e-06f, 0)},
      out{{2}, quant(0.000594149f, 0)};
  EXPECT_EQ(run_sub<int16_t>(TensorType::INT16, x, y, out, {-19661, -20173}, {-1, -32768}),
            (std::vector<int16_t>{-32078, -32433}));
}

TEST(Sub, Int8GeneralScalesStayWithinOneStepOfRealArithmetic) {
  const Quant qa = quant(0.0407254f, -2), qb = quant(0.0212456f, 7), qo = quant(0.0583774f, -3);
  std::vector<int8_t> a, c;
  for (int x = -128; x < 128; x += 3) {
    for (int y = -128; y < 128; y += 7) {
      a.push_back(static_cast<int8_t>(x));
      c.push_back(static_cast<int8_t>(y));
    }
  }
  const auto n = static_cast<int32_t>(a.size());
  const auto got = run_sub<int8_t>(TensorType::INT8, {{n}, qa}, {{n}, qb}, {{n}, qo}, a, c);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_LE(std::abs(got[i] - reference_sub(a[i], c[i], qa, qb, qo)), 1) << i;
  }
}

std::string sub_refusal(TensorType t1, TensorType t2, TensorType to, const Operand& x,
                        const Operand& y, const Operand& out) {
  ModelBuilder b;
  sub_model(b, t1, t2, to, x, y, out, ActivationFunctionType::NONE);
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("op 0 (SUB)"), std::string::npos) << message;
}

TEST(Sub, Refusals) {
  const Operand q{{4}, quant(0.5f, 0)};
  expect_refusal(sub_refusal(TensorType::INT16, TensorType::INT8, TensorType::INT16, q, q, q),
                 "input 2 tensor 1 't1' is int8, expected int16");
  expect_refusal(
      sub_refusal(TensorType::INT64, TensorType::INT64, TensorType::INT64, {{4}}, {{4}}, {{4}}),
      "type int64 is not supported");
  expect_refusal(
      sub_refusal(TensorType::INT32, TensorType::INT32, TensorType::INT32, {{4}}, {{4}}, q),
      "int32 tensors must not be quantized");
  expect_refusal(sub_refusal(TensorType::INT16, TensorType::INT16, TensorType::INT16, q, q,
                             {{4}, quant(1e-9f, 0)}),
                 "output rescaling factor");
  expect_refusal(sub_refusal(TensorType::FLOAT32, TensorType::FLOAT32, TensorType::FLOAT32,
                             {{3, 2}}, {{3}}, {{3, 2}}),
                 "input shapes [3,2] and [3] do not broadcast");
}

}  // namespace
}  // namespace mote::testing
