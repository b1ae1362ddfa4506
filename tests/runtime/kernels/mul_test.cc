#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
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

void mul_model(ModelBuilder& b, TensorType t1, TensorType t2, TensorType to, const Operand& x,
               const Operand& y, const Operand& out, ActivationFunctionType act) {
  const int i0 = b.tensor(t1, x.shape, x.q);
  const int i1 = b.tensor(t2, y.shape, y.q);
  const int o = b.tensor(to, out.shape, out.q);
  b.op(BuiltinOperator::MUL, {i0, i1}, {o}, tflite::BuiltinOptions::MulOptions,
       tflite::CreateMulOptions(b.fbb(), act).Union());
  b.inputs({i0, i1});
  b.outputs({o});
}

template <typename T>
std::vector<T> run_mul(TensorType type, const Operand& x, const Operand& y, const Operand& out,
                       const std::vector<T>& a, const std::vector<T>& c,
                       ActivationFunctionType act = ActivationFunctionType::NONE) {
  ModelBuilder b;
  mul_model(b, type, type, type, x, y, out, act);
  return from_bytes<T>(run_model(b, {to_bytes(a), to_bytes(c)}).at(0));
}

TEST(Mul, FloatRowBroadcastAndRelu) {
  const std::vector<float> m = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(run_mul<float>(TensorType::FLOAT32, {{2, 3}}, {{3}}, {{2, 3}}, m, {1, -1, 0.5f}),
            (std::vector<float>{1, -2, 1.5f, 4, -5, 3}));
  EXPECT_EQ(run_mul<float>(TensorType::FLOAT32, {{2, 3}}, {{3}}, {{2, 3}}, m, {1, -1, 0.5f},
                           ActivationFunctionType::RELU),
            (std::vector<float>{1, 0, 1.5f, 4, 0, 3}));
  EXPECT_EQ(run_mul<float>(TensorType::FLOAT32, {{1}}, {{2, 1, 2}}, {{2, 1, 2}}, {-2}, {1, 2, 3, 4},
                           ActivationFunctionType::RELU_N1_TO_1),
            (std::vector<float>{-1, -1, -1, -1}));
}

TEST(Mul, Int32WrapsAndAppliesTheActivationsIntegerRange) {
  EXPECT_EQ(run_mul<int32_t>(TensorType::INT32, {{3}}, {{1}}, {{3}}, {3, -4, 100000}, {2}),
            (std::vector<int32_t>{6, -8, 200000}));
  EXPECT_EQ(run_mul<int32_t>(TensorType::INT32, {{3}}, {{1}}, {{3}}, {3, -4, 100000}, {2},
                             ActivationFunctionType::RELU6),
            (std::vector<int32_t>{6, 0, 6}));
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(run_mul<int32_t>(TensorType::INT32, {{2}}, {{2}}, {{2}}, {65536, max}, {65536, 2}),
            (std::vector<int32_t>{0, -2}));
}

TEST(Mul, Int8UnitRescalingWithZeroPointsAndSaturation) {
  // 0.5 · 0.5 / 0.25 = 1: out = (q1 − 2)(q2 + 3) − 5.
  const Operand x{{5}, quant(0.5f, 2)}, y{{5}, quant(0.5f, -3)}, out{{5}, quant(0.25f, -5)};
  const std::vector<int8_t> a = {4, -2, 12, 20, -128}, c = {-1, 1, 7, 20, 100};
  EXPECT_EQ(run_mul<int8_t>(TensorType::INT8, x, y, out, a, c),
            (std::vector<int8_t>{-1, -21, 95, 127, -128}));
  // ReLU6 keeps [−5, −5 + 6 / 0.25].
  EXPECT_EQ(run_mul<int8_t>(TensorType::INT8, x, y, out, a, c, ActivationFunctionType::RELU6),
            (std::vector<int8_t>{-1, -5, 19, 19, -5}));
}

TEST(Mul, Int8RescalingAboveOne) {
  // 1 · 1 / 0.25 = 4: a multiplier above one shifts left first.
  const Operand x{{3}, quant(1.0f, 0)}, out{{3}, quant(0.25f, 0)};
  EXPECT_EQ(run_mul<int8_t>(TensorType::INT8, x, x, out, {3, -2, 6}, {5, 7, 6}),
            (std::vector<int8_t>{60, -56, 127}));
}

TEST(Mul, Int8HalvingRoundsTiesUpward) {
  // 1 · 1 / 2: the rounding doubling high multiply takes exact halves toward +infinity.
  const Operand x{{6}, quant(1.0f, 0)}, out{{6}, quant(2.0f, 0)};
  EXPECT_EQ(run_mul<int8_t>(TensorType::INT8, x, x, out, {3, -3, 1, -1, 5, -5}, {1, 1, 1, 1, 1, 1}),
            (std::vector<int8_t>{2, -1, 1, 0, 3, -2}));
}

TEST(Mul, Int8QuarteringRoundsTwiceAsTfliteDoes) {
  // 1 · 1 / 4: a high multiply by one half, then a rounding shift by one. 5/4 = 1.25 → 2.5 → 3
  // → 1.5 → 2 and 1/4 → 0.5 → 1 → 0.5 → 1: both differ from single rounding, as in TFLM.
  const Operand x{{5}, quant(1.0f, 0)}, out{{5}, quant(4.0f, 0)};
  EXPECT_EQ(run_mul<int8_t>(TensorType::INT8, x, x, out, {5, 1, -1, -6, 7}, {1, 1, 1, 1, 1}),
            (std::vector<int8_t>{2, 1, 0, -2, 2}));
}

TEST(Mul, Int16PowerOfTwoScales) {
  // 2^-8 · 2^-8 / 2^-8: out = round(q1 · q2 / 256), ties of the final shift away from zero.
  const Operand s{{5}, quant(1.0f / 256, 0)};
  EXPECT_EQ(run_mul<int16_t>(TensorType::INT16, s, s, s, {256, 30000, -30000, 16, -16},
                             {3, 30000, 30000, 8, 8}),
            (std::vector<int16_t>{3, 32767, -32768, 1, -1}));
}

TEST(Mul, Int16ScalarBroadcast) {
  const Operand m{{2, 2}, quant(1.0f / 256, 0)}, scalar{{1}, quant(1.0f / 256, 0)};
  EXPECT_EQ(run_mul<int16_t>(TensorType::INT16, m, scalar, m, {256, 512, -768, 1024}, {512}),
            (std::vector<int16_t>{512, 1024, -1536, 2048}));
}

std::string mul_refusal(TensorType t1, TensorType t2, TensorType to, const Operand& x,
                        const Operand& y, const Operand& out) {
  ModelBuilder b;
  mul_model(b, t1, t2, to, x, y, out, ActivationFunctionType::NONE);
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("op 0 (MUL)"), std::string::npos) << message;
}

TEST(Mul, Refusals) {
  const Operand q{{4}, quant(1.0f, 0)};
  expect_refusal(
      mul_refusal(TensorType::FLOAT32, TensorType::INT32, TensorType::FLOAT32, {{4}}, {{4}}, {{4}}),
      "input 2 tensor 1 't1' is int32, expected float32");
  expect_refusal(mul_refusal(TensorType::INT16, TensorType::INT16, TensorType::INT8, q, q, q),
                 "output tensor 2 't2' is int8, expected int16");
  expect_refusal(mul_refusal(TensorType::INT16, TensorType::INT16, TensorType::INT16, q,
                             {{4}, quant(1.0f, 3)}, q),
                 "int16 tensors need zero point 0");
  // 1 · 1 / 1e-10 needs a shift of 34 bits.
  expect_refusal(mul_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, q, q,
                             {{4}, quant(1e-10f, 0)}),
                 "beyond 32-bit fixed point");
  expect_refusal(mul_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, q, q, {{4}}),
                 "output tensor 2 't2' has 0 quantization scales");
  expect_refusal(mul_refusal(TensorType::UINT8, TensorType::UINT8, TensorType::UINT8, q, q, q),
                 "type uint8 is not supported");
}

}  // namespace
}  // namespace mote::testing
