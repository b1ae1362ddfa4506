#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::TensorType;

struct Operand {
  std::vector<int32_t> shape;
  Quant q = {};
};

// A model of one ADD whose two inputs are model inputs.
void add_model(ModelBuilder& b, TensorType type, const Operand& x, const Operand& y,
               const Operand& out, ActivationFunctionType act = ActivationFunctionType::NONE,
               bool pot_scale_int16 = true) {
  const int t0 = b.tensor(type, x.shape, x.q);
  const int t1 = b.tensor(type, y.shape, y.q);
  const int t2 = b.tensor(type, out.shape, out.q);
  b.op(BuiltinOperator::ADD, {t0, t1}, {t2}, tflite::BuiltinOptions::AddOptions,
       tflite::CreateAddOptions(b.fbb(), act, pot_scale_int16).Union());
  b.inputs({t0, t1});
  b.outputs({t2});
}

template <typename T>
std::vector<T> run_add(TensorType type, const Operand& x, const Operand& y, const Operand& out,
                       const std::vector<T>& a, const std::vector<T>& c,
                       ActivationFunctionType act = ActivationFunctionType::NONE,
                       bool pot_scale_int16 = true) {
  ModelBuilder b;
  add_model(b, type, x, y, out, act, pot_scale_int16);
  return from_bytes<T>(run_model(b, {to_bytes(a), to_bytes(c)}).at(0));
}

std::vector<float> run_float(const Operand& x, const Operand& y, const Operand& out,
                             const std::vector<float>& a, const std::vector<float>& c,
                             ActivationFunctionType act = ActivationFunctionType::NONE) {
  return run_add<float>(TensorType::FLOAT32, x, y, out, a, c, act);
}

// The quantized sum in real numbers, rounded to the output's grid: the double-precision
// reference that TFLite's fixed-point arithmetic must stay within one step of.
template <typename T>
int32_t reference_add(T q1, T q2, const Quant& a, const Quant& b, const Quant& o) {
  const double real =
      (q1 - a.zero_points[0]) * double{a.scales[0]} + (q2 - b.zero_points[0]) * double{b.scales[0]};
  const double q = std::round(real / o.scales[0]) + static_cast<double>(o.zero_points[0]);
  const double low = std::numeric_limits<T>::min(), high = std::numeric_limits<T>::max();
  return static_cast<int32_t>(q < low ? low : (q > high ? high : q));
}

TEST(Add, FloatSameShape) {
  EXPECT_EQ(run_float({{2, 2}}, {{2, 2}}, {{2, 2}}, {1, 2, 3, 4}, {0.5f, -2, 10, -4}),
            (std::vector<float>{1.5f, 0, 13, 0}));
}

TEST(Add, FloatScalarBroadcastsEitherWay) {
  const std::vector<float> m = {1, 2, 3, 4, 5, 6};
  const std::vector<float> expected = {11, 12, 13, 14, 15, 16};
  EXPECT_EQ(run_float({{2, 3}}, {{1}}, {{2, 3}}, m, {10}), expected);
  EXPECT_EQ(run_float({{1}}, {{2, 3}}, {{2, 3}}, {10}, m), expected);
  EXPECT_EQ(run_float({{}}, {{2, 3}}, {{2, 3}}, {10}, m), expected);  // rank 0
  EXPECT_EQ(run_float({{1, 1}}, {{1}}, {{1, 1}}, {2.5f}, {-1}), (std::vector<float>{1.5f}));
}

TEST(Add, FloatRowColumnAndOuter) {
  const std::vector<float> m = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(run_float({{2, 3}}, {{3}}, {{2, 3}}, m, {10, 20, 30}),
            (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ(run_float({{2, 3}}, {{2, 1}}, {{2, 3}}, m, {100, 200}),
            (std::vector<float>{101, 102, 103, 204, 205, 206}));
  EXPECT_EQ(run_float({{2, 1}}, {{1, 3}}, {{2, 3}}, {1, 2}, {10, 20, 30}),
            (std::vector<float>{11, 21, 31, 12, 22, 32}));
}

TEST(Add, FloatRankFourBothOperandsBroadcast) {
  // out[i,j,k,l] = a[i,k] + b[j,l]
  EXPECT_EQ(
      run_float({{2, 1, 2, 1}}, {{1, 2, 1, 2}}, {{2, 2, 2, 2}}, {1, 2, 3, 4}, {10, 20, 30, 40}),
      (std::vector<float>{11, 21, 12, 22, 31, 41, 32, 42, 13, 23, 14, 24, 33, 43, 34, 44}));
}

TEST(Add, FloatRanksFiveAndSix) {
  // [2,1,1,1,1,3] + [2,1,1,1,1] → [2,2,1,1,1,3]: out[i,j,...,l] = a[i,l] + b[j].
  EXPECT_EQ(run_float({{2, 1, 1, 1, 1, 3}}, {{2, 1, 1, 1, 1}}, {{2, 2, 1, 1, 1, 3}},
                      {1, 2, 3, 4, 5, 6}, {100, 200}),
            (std::vector<float>{101, 102, 103, 201, 202, 203, 104, 105, 106, 204, 205, 206}));
  // Rank 5 (the model reader's limit is 6): [2,1,1,1,1] + [2] → out[i,...,j] = a[i] + b[j].
  EXPECT_EQ(run_float({{2, 1, 1, 1, 1}}, {{2}}, {{2, 1, 1, 1, 2}}, {1, 2}, {10, 20}),
            (std::vector<float>{11, 21, 12, 22}));
}

TEST(Add, FloatFusedActivationsClamp) {
  const std::vector<float> x = {-3, -0.5f, 0.5f, 3, 8};
  const std::vector<float> y = {1, 1, 1, 1, 1};
  using A = ActivationFunctionType;
  EXPECT_EQ(run_float({{5}}, {{5}}, {{5}}, x, y, A::NONE),
            (std::vector<float>{-2, 0.5f, 1.5f, 4, 9}));
  EXPECT_EQ(run_float({{5}}, {{5}}, {{5}}, x, y, A::RELU),
            (std::vector<float>{0, 0.5f, 1.5f, 4, 9}));
  EXPECT_EQ(run_float({{5}}, {{5}}, {{5}}, x, y, A::RELU6),
            (std::vector<float>{0, 0.5f, 1.5f, 4, 6}));
  EXPECT_EQ(run_float({{5}}, {{5}}, {{5}}, x, y, A::RELU_N1_TO_1),
            (std::vector<float>{-1, 0.5f, 1, 1, 1}));
}

TEST(Add, Int32WrapsAndIgnoresTheFusedActivationAsTflmDoes) {
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(run_add<int32_t>(TensorType::INT32, {{3}}, {{1}}, {{3}}, {1, -2, max}, {-5},
                             ActivationFunctionType::RELU),
            (std::vector<int32_t>{-4, -7, max - 5}));
  EXPECT_EQ(run_add<int32_t>(TensorType::INT32, {{2}}, {{2}}, {{2}}, {max, -max}, {1, -2}),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min(), max}));
}

TEST(Add, Int8ZeroPointsAndRoundingHalfAwayFromZero) {
  // Scales 0.5 + 0.5 → 1: every rescaling is exact but the last, so
  // out = round_half_away(((q1 − 3) + (q2 + 5)) / 2) + 10.
  const Operand x{{6}, quant(0.5f, 3)}, y{{6}, quant(0.5f, -5)}, out{{6}, quant(1.0f, 10)};
  EXPECT_EQ(
      run_add<int8_t>(TensorType::INT8, x, y, out, {4, 4, 2, 3, 10, -10}, {-4, -5, -5, -5, 5, -5}),
      (std::vector<int8_t>{11, 11, 9, 10, 19, 3}));
}

TEST(Add, Int8Saturates) {
  const Operand x{{4}, quant(0.5f, 0)}, y{{4}, quant(0.5f, 0)}, out{{4}, quant(1.0f, 0)};
  // (127 + 127) / 2 = 127; (−128 − 128) / 2 = −128; 113.5 → 114; −127.5 → −128.
  EXPECT_EQ(
      run_add<int8_t>(TensorType::INT8, x, y, out, {127, -128, 127, -128}, {127, -128, 100, -127}),
      (std::vector<int8_t>{127, -128, 114, -128}));
  const Operand big{{2}, quant(1.0f, 0)}, small_out{{2}, quant(0.5f, 100)};
  // 2·(100 + 100) + 100 and 2·(−100 − 100) + 100 leave the int8 range.
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, big, big, small_out, {100, -100}, {100, -100}),
            (std::vector<int8_t>{127, -128}));
}

TEST(Add, Int8FusedActivationRanges) {
  // Scales 0.5 + 0.5 → 0.5: out = q1 + q2 − 20. ReLU clips at the zero point −20, ReLU6 at
  // −20 + 6 / 0.5 = −8, ReLU_N1_TO_1 at −20 ∓ 2.
  const Operand x{{4}, quant(0.5f, 0)}, out{{4}, quant(0.5f, -20)};
  const std::vector<int8_t> a = {5, -5, 10, 0}, c = {6, 2, 10, 1};
  using A = ActivationFunctionType;
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, x, x, out, a, c, A::NONE),
            (std::vector<int8_t>{-9, -23, 0, -19}));
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, x, x, out, a, c, A::RELU),
            (std::vector<int8_t>{-9, -20, 0, -19}));
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, x, x, out, a, c, A::RELU6),
            (std::vector<int8_t>{-9, -20, -8, -19}));
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, x, x, out, a, c, A::RELU_N1_TO_1),
            (std::vector<int8_t>{-18, -22, -18, -19}));
}

TEST(Add, Int8RowBroadcast) {
  const Operand m{{2, 3}, quant(0.5f, 0)}, row{{3}, quant(0.5f, 0)}, out{{2, 3}, quant(1.0f, 0)};
  // Sums 2, 2, 2, 5, 5, 5 halved: 2.5 rounds away from zero.
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, m, row, out, {1, 2, 3, 4, 5, 6}, {1, 0, -1}),
            (std::vector<int8_t>{1, 1, 1, 3, 3, 3}));
  EXPECT_EQ(run_add<int8_t>(TensorType::INT8, row, m, out, {1, 0, -1}, {1, 2, 3, 4, 5, 6}),
            (std::vector<int8_t>{1, 1, 1, 3, 3, 3}));
}

TEST(Add, Int8GeneralScalesStayWithinOneStepOfRealArithmetic) {
  // The scales of TFLM's simple_add_model.
  const Quant qa = quant(0.0407254f, -2), qb = quant(0.0412456f, -1), qo = quant(0.0583774f, -3);
  std::vector<int8_t> a, c;
  for (int x = -128; x < 128; x += 3) {
    for (int y = -128; y < 128; y += 5) {
      a.push_back(static_cast<int8_t>(x));
      c.push_back(static_cast<int8_t>(y));
    }
  }
  const auto n = static_cast<int32_t>(a.size());
  const auto got = run_add<int8_t>(TensorType::INT8, {{n}, qa}, {{n}, qb}, {{n}, qo}, a, c);
  int exact = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int32_t expected = reference_add(a[i], c[i], qa, qb, qo);
    EXPECT_LE(std::abs(got[i] - expected), 1) << int{a[i]} << " + " << int{c[i]};
    exact += got[i] == expected;
  }
  EXPECT_GT(exact, static_cast<int>(a.size()) * 9 / 10);
}

TEST(Add, Int16PowerOfTwoScalesAreExactAndPotScaleOptionChangesNothing) {
  // 2^-10 + 2^-10 → 2^-10: out = q1 + q2, saturating. TFLM's micro ADD takes the general-scale
  // path whatever pot_scale_int16 says.
  const Operand s{{4}, quant(1.0f / 1024, 0)};
  const std::vector<int16_t> a = {100, 20000, -20000, -7}, c = {200, 20000, -20000, 3};
  const std::vector<int16_t> expected = {300, 32767, -32768, -4};
  EXPECT_EQ(run_add<int16_t>(TensorType::INT16, s, s, s, a, c, ActivationFunctionType::NONE, true),
            expected);
  EXPECT_EQ(run_add<int16_t>(TensorType::INT16, s, s, s, a, c, ActivationFunctionType::NONE, false),
            expected);
}

TEST(Add, Int16MixedPowerOfTwoScalesRoundHalfAwayFromZero) {
  // 2^-10 and 2^-11 → 2^-10: out = round_half_away(q1 + q2 / 2).
  const Operand x{{5}, quant(1.0f / 1024, 0)}, y{{5}, quant(1.0f / 2048, 0)};
  EXPECT_EQ(run_add<int16_t>(TensorType::INT16, x, y, x, {1, -1, 0, 0, 3}, {1, -1, -1, 1, 4}),
            (std::vector<int16_t>{2, -2, -1, 1, 5}));
}

TEST(Add, Int16GeneralScalesStayWithinOneStepOfRealArithmetic) {
  // The scales of the seanet add0 model, with a nonzero zero point on one input as well.
  for (const int64_t zero_point : {0, 100}) {
    const Quant qa = quant(0.00058525f, zero_point), qb = quant(0.00080693f, 0),
                qo = quant(0.00102444f, 0);
    std::mt19937 rng(7);
    std::vector<int16_t> a(2000), c(2000);
    for (auto& v : a) v = static_cast<int16_t>(rng());
    for (auto& v : c) v = static_cast<int16_t>(rng());
    const auto got = run_add<int16_t>(TensorType::INT16, {{2000}, qa}, {{2000}, qb}, {{2000}, qo},
                                      a, c, ActivationFunctionType::NONE, false);
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_LE(std::abs(got[i] - reference_add(a[i], c[i], qa, qb, qo)), 1) << i;
    }
  }
}

TEST(Add, OutputOverwritesItsInputInsideATwoOpModel) {
  // t2 = t0 + t1; t3 = t1 + t2. t2 dies at the second ADD, whose output may take its bytes
  // (input position 1, the non-broadcast operand); the values must be unaffected.
  ModelBuilder b;
  const int t0 = b.tensor(TensorType::FLOAT32, {2, 3});
  const int t1 = b.tensor(TensorType::FLOAT32, {3});
  const int t2 = b.tensor(TensorType::FLOAT32, {2, 3});
  const int t3 = b.tensor(TensorType::FLOAT32, {2, 3});
  b.op(BuiltinOperator::ADD, {t0, t1}, {t2});
  b.op(BuiltinOperator::ADD, {t1, t2}, {t3});
  b.inputs({t0, t1});
  b.outputs({t3});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  EXPECT_EQ(host.interpreter().tensor_location(static_cast<uint32_t>(t3)),
            host.interpreter().tensor_location(static_cast<uint32_t>(t2)));
  host.set_input(0, to_bytes(std::vector<float>{1, 2, 3, 4, 5, 6}));
  host.set_input(1, to_bytes(std::vector<float>{10, 20, 30}));
  host.invoke();
  const auto out = host.output_bytes(0);
  EXPECT_EQ(from_bytes<float>(Bytes(out.begin(), out.end())),
            (std::vector<float>{21, 42, 63, 24, 45, 66}));
}

TEST(Add, Int8OutputOverwritesItsFirstInput) {
  ModelBuilder b;
  const Quant q = quant(0.5f, 0), qo = quant(1.0f, 0);
  const int t0 = b.tensor(TensorType::INT8, {4}, q);
  const int t1 = b.tensor(TensorType::INT8, {4}, q);
  const int t2 = b.tensor(TensorType::INT8, {4}, q);
  const int t3 = b.tensor(TensorType::INT8, {4}, qo);
  b.op(BuiltinOperator::ADD, {t0, t1}, {t2});  // scales 0.5 + 0.5 → 0.5: plain sum
  b.op(BuiltinOperator::ADD, {t2, t1}, {t3});  // → 1.0: half the sum
  b.inputs({t0, t1});
  b.outputs({t3});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  EXPECT_EQ(host.interpreter().tensor_location(static_cast<uint32_t>(t3)),
            host.interpreter().tensor_location(static_cast<uint32_t>(t2)));
  host.set_input(0, to_bytes(std::vector<int8_t>{1, 2, 3, -4}));
  host.set_input(1, to_bytes(std::vector<int8_t>{1, 1, 1, 1}));
  host.invoke();
  const auto out = host.output_bytes(0);
  // (t0 + 2·t1) / 2: 1.5 → 2, 2, 2.5 → 3, −1.
  EXPECT_EQ(from_bytes<int8_t>(Bytes(out.begin(), out.end())), (std::vector<int8_t>{2, 2, 3, -1}));
}

std::string add_refusal(TensorType t1, TensorType t2, TensorType to, const Operand& x,
                        const Operand& y, const Operand& out,
                        ActivationFunctionType act = ActivationFunctionType::NONE) {
  ModelBuilder b;
  const int i0 = b.tensor(t1, x.shape, x.q);
  const int i1 = b.tensor(t2, y.shape, y.q);
  const int o = b.tensor(to, out.shape, out.q);
  b.op(BuiltinOperator::ADD, {i0, i1}, {o}, tflite::BuiltinOptions::AddOptions,
       tflite::CreateAddOptions(b.fbb(), act).Union());
  b.inputs({i0, i1});
  b.outputs({o});
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("op 0 (ADD)"), std::string::npos) << message;
}

TEST(Add, RefusesMismatchedTypes) {
  const Operand q{{4}, quant(0.5f, 0)};
  expect_refusal(add_refusal(TensorType::INT8, TensorType::INT16, TensorType::INT8, q, q, q),
                 "input 2 tensor 1 't1' is int16, expected int8");
  expect_refusal(add_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT16, q, q, q),
                 "output tensor 2 't2' is int16, expected int8");
  expect_refusal(add_refusal(TensorType::UINT8, TensorType::UINT8, TensorType::UINT8, q, q, q),
                 "type uint8 is not supported");
}

TEST(Add, RefusesShapesThatDoNotBroadcast) {
  expect_refusal(add_refusal(TensorType::FLOAT32, TensorType::FLOAT32, TensorType::FLOAT32,
                             {{2, 3}}, {{2}}, {{2, 3}}),
                 "input shapes [2,3] and [2] do not broadcast");
  expect_refusal(add_refusal(TensorType::FLOAT32, TensorType::FLOAT32, TensorType::FLOAT32,
                             {{2, 3}}, {{3}}, {{3, 2}}),
                 "output tensor 2 has shape [3,2]; inputs [2,3] and [3] broadcast to another");
}

TEST(Add, RefusesBadScalesAndQuantization) {
  const Operand in{{4}, quant(1.0f, 0)};
  // 2 / (2^20 · 1e-7) is far above one: TFLM would abort in QuantizeMultiplierSmallerThanOneExp.
  expect_refusal(add_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, in, in,
                             {{4}, quant(1e-7f, 0)}),
                 "output rescaling factor");
  expect_refusal(add_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, in, {{4}}, in),
                 "input 2 tensor 1 't1' has 0 quantization scales");
  expect_refusal(add_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, in,
                             {{4}, quant(0.0f, 0)}, in),
                 "input 2 tensor 1 't1' has quantization scale");
  // Refused by the model reader, before the kernel sees it.
  EXPECT_NE(add_refusal(TensorType::INT8, TensorType::INT8, TensorType::INT8, in,
                        {{4}, quant(1.0f, 200)}, in)
                .find("tensor 1 't1' has zero point 200 at channel 0, outside int8's range"),
            std::string::npos);
  expect_refusal(
      add_refusal(TensorType::INT32, TensorType::INT32, TensorType::INT32, {{4}}, in, {{4}}),
      "int32 inputs must not be quantized");
}

TEST(Add, RefusesUnsupportedActivation) {
  expect_refusal(add_refusal(TensorType::FLOAT32, TensorType::FLOAT32, TensorType::FLOAT32, {{4}},
                             {{4}}, {{4}}, ActivationFunctionType::TANH),
                 "fused activation TANH is not supported");
}

}  // namespace
}  // namespace mote::testing
