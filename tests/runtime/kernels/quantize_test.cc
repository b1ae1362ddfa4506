#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

// One QUANTIZE from `in_type` (quantized by `in_q` unless float) to `out_type`.
void quantize_model(ModelBuilder& b, TensorType in_type, const Quant& in_q, TensorType out_type,
                    const Quant& out_q, std::vector<int32_t> in_shape,
                    std::vector<int32_t> out_shape) {
  const int in = b.tensor(in_type, std::move(in_shape), in_q);
  const int out = b.tensor(out_type, std::move(out_shape), out_q);
  b.op(BuiltinOperator::QUANTIZE, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

template <typename Out, typename In>
std::vector<Out> quantize(TensorType in_type, const Quant& in_q, TensorType out_type,
                          const Quant& out_q, const std::vector<In>& values) {
  ModelBuilder b;
  const auto n = static_cast<int32_t>(values.size());
  quantize_model(b, in_type, in_q, out_type, out_q, {n}, {n});
  return run_single<Out>(b, values);
}

TEST(Quantize, FloatToInt8RoundsHalfAwayFromZeroAndSaturates) {
  // q = round(x / 0.5) − 1
  EXPECT_EQ((quantize<int8_t, float>(TensorType::FLOAT32, {}, TensorType::INT8, quant(0.5f, -1),
                                     {0.25f, -0.25f, 0.75f, -0.75f, 1, 0, 100, -100})),
            (std::vector<int8_t>{0, -2, 1, -3, 1, -1, 127, -128}));
}

TEST(Quantize, FloatDividesInSinglePrecisionAsTflm) {
  // 0.25f / 0.1f is 2.4999999627 in double but exactly 2.5 in float, which rounds to 3: TFLM
  // divides in float (AffineQuantize), so 0.25 quantizes to 3, not 2. Likewise 0.35 and 0.45.
  EXPECT_EQ((quantize<int8_t, float>(TensorType::FLOAT32, {}, TensorType::INT8, quant(0.1f, 0),
                                     {0.25f, -0.25f, 0.35f, 0.45f, 0.65f})),
            (std::vector<int8_t>{3, -3, 4, 5, 6}));
}

TEST(Quantize, FloatOutsideInt32SaturatesAndNanGivesTheZeroPoint) {
  // TFLite's plain cast is undefined here; mote saturates (as Arm's conversion does).
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ((quantize<int8_t, float>(
                TensorType::FLOAT32, {}, TensorType::INT8, quant(1e-3f, 5),
                {1e30f, -1e30f, inf, -inf, std::numeric_limits<float>::quiet_NaN()})),
            (std::vector<int8_t>{127, -128, 127, -128, 5}));
}

TEST(Quantize, FloatToInt16) {
  const float half_step = 1.0f / 2048;
  EXPECT_EQ(
      (quantize<int16_t, float>(TensorType::FLOAT32, {}, TensorType::INT16, quant(1.0f / 1024, 0),
                                {1.5f, half_step, -half_step, 40, -40, 3 * half_step})),
      (std::vector<int16_t>{1536, 1, -1, 32767, -32768, 2}));
}

TEST(Quantize, Int8ToInt8Requantizes) {
  // Scale 1 → 2 (a multiplier of one half: exact halves go toward +infinity in the rounding
  // high multiply), zero point 0 → 5.
  EXPECT_EQ((quantize<int8_t, int8_t>(TensorType::INT8, quant(1.0f, 0), TensorType::INT8,
                                      quant(2.0f, 5), {3, -3, 127, -128, 0})),
            (std::vector<int8_t>{7, 4, 69, -59, 5}));
  // Scale 1 → 0.5 doubles and saturates.
  EXPECT_EQ((quantize<int8_t, int8_t>(TensorType::INT8, quant(1.0f, 0), TensorType::INT8,
                                      quant(0.5f, 0), {100, -100, 3})),
            (std::vector<int8_t>{127, -128, 6}));
}

TEST(Quantize, Int16ToInt16) {
  // Scale 1 → 0.25 (×4), input zero point 10.
  EXPECT_EQ((quantize<int16_t, int16_t>(TensorType::INT16, quant(1.0f, 10), TensorType::INT16,
                                        quant(0.25f, 0), {10000, -3, 13})),
            (std::vector<int16_t>{32767, -52, 12}));
}

TEST(Quantize, Int16ToInt8) {
  // 2^-8 → 2^-4 (÷16) with output zero point −128: 8/16 = 0.5 → 1, −8/16 → −1, −24/16 → −2.
  EXPECT_EQ(
      (quantize<int8_t, int16_t>(TensorType::INT16, quant(1.0f / 256, 0), TensorType::INT8,
                                 quant(1.0f / 16, -128), {256, 8, -8, -24, 32767, -32768, 4095})),
      (std::vector<int8_t>{-112, -127, -128, -128, 127, -128, 127}));
  EXPECT_EQ((quantize<int8_t, int16_t>(TensorType::INT16, quant(1.0f / 256, 0), TensorType::INT8,
                                       quant(1.0f / 16, 0), {8, -8, -24, 40})),
            (std::vector<int8_t>{1, -1, -2, 3}));
}

TEST(Quantize, Int8ToInt16AndInt32) {
  // Scale 1 → 1/256 (×256), input zero point 3.
  EXPECT_EQ((quantize<int16_t, int8_t>(TensorType::INT8, quant(1.0f, 3), TensorType::INT16,
                                       quant(1.0f / 256, 0), {4, -128, 127})),
            (std::vector<int16_t>{256, -32768, 31744}));
  // Scale 0.5 → 0.25 (×2), zero points −1 → 10.
  EXPECT_EQ((quantize<int32_t, int8_t>(TensorType::INT8, quant(0.5f, -1), TensorType::INT32,
                                       quant(0.25f, 10), {5, -128})),
            (std::vector<int32_t>{22, -244}));
}

TEST(Quantize, Int8AndUint8ShiftByTheirZeroPoints) {
  EXPECT_EQ((quantize<uint8_t, int8_t>(TensorType::INT8, quant(1.0f, 0), TensorType::UINT8,
                                       quant(1.0f, 128), {-128, 127, 0, -1})),
            (std::vector<uint8_t>{0, 255, 128, 127}));
  EXPECT_EQ((quantize<int8_t, uint8_t>(TensorType::UINT8, quant(1.0f, 128), TensorType::INT8,
                                       quant(1.0f, 0), {0, 255, 128})),
            (std::vector<int8_t>{-128, 127, 0}));
  EXPECT_EQ((quantize<int8_t, uint8_t>(TensorType::UINT8, quant(1.0f, 128), TensorType::INT8,
                                       quant(2.0f, 0), {255, 0})),
            (std::vector<int8_t>{64, -64}));
}

TEST(Quantize, Int32ToInt8AndInt16) {
  // 2^-10 → 2^-4 (÷64): 1000/64 = 15.6 → 16, ±32/64 = ±0.5 → ±1.
  EXPECT_EQ((quantize<int8_t, int32_t>(TensorType::INT32, quant(1.0f / 1024, 0), TensorType::INT8,
                                       quant(1.0f / 16, 0), {1000, -32, 32, 100000, -100000})),
            (std::vector<int8_t>{16, -1, 1, 127, -128}));
  // 2^-20 → 2^-10 (÷1024), the seanet_quantize0 direction.
  EXPECT_EQ(
      (quantize<int16_t, int32_t>(TensorType::INT32, quant(1.0f / (1 << 20), 0), TensorType::INT16,
                                  quant(1.0f / 1024, 0), {1024, 512, -512, 1 << 30, kInt32Min})),
      (std::vector<int16_t>{1, 1, -1, 32767, -32768}));
}

TEST(Quantize, Int16ToInt32LikeKeywordScrambled) {
  // 2^-16 with zero point −32768 → 2^-15 (÷2): 65535 / 2 = 32767.5 → 32768.
  EXPECT_EQ(
      (quantize<int32_t, int16_t>(TensorType::INT16, quant(1.0f / 65536, -32768), TensorType::INT32,
                                  quant(1.0f / 32768, 0), {-32768, 32767, 0, -32767})),
      (std::vector<int32_t>{0, 32768, 16384, 1}));
}

TEST(Quantize, SameSizeRequantizationRunsInPlace) {
  // int8 → int8 → int8: the middle tensor dies at the second op, whose output takes its bytes.
  ModelBuilder b;
  const int t0 = b.tensor(TensorType::INT8, {3}, quant(1.0f, 0));
  const int t1 = b.tensor(TensorType::INT8, {3}, quant(0.5f, 0));
  const int t2 = b.tensor(TensorType::INT8, {3}, quant(2.0f, 1));
  b.op(BuiltinOperator::QUANTIZE, {t0}, {t1});
  b.op(BuiltinOperator::QUANTIZE, {t1}, {t2});
  b.inputs({t0});
  b.outputs({t2});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  EXPECT_EQ(host.interpreter().tensor_location(static_cast<uint32_t>(t2)),
            host.interpreter().tensor_location(static_cast<uint32_t>(t1)));
  host.set_input(0, to_bytes(std::vector<int8_t>{3, -5, 100}));
  host.invoke();
  const auto out = host.output_bytes(0);
  // ×2 (saturating at 127), then ÷4 + 1 in two roundings: 6 → 3 → 2 → 3; −10 → −5 → −3 → −2;
  // 127 → 64 → 32 → 33.
  EXPECT_EQ(from_bytes<int8_t>(Bytes(out.begin(), out.end())), (std::vector<int8_t>{3, -2, 33}));
}

std::string quantize_refusal(TensorType in_type, const Quant& in_q, TensorType out_type,
                             const Quant& out_q, std::vector<int32_t> in_shape = {4},
                             std::vector<int32_t> out_shape = {4}) {
  ModelBuilder b;
  quantize_model(b, in_type, in_q, out_type, out_q, std::move(in_shape), std::move(out_shape));
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("op 0 (QUANTIZE)"), std::string::npos) << message;
}

TEST(Quantize, RefusesPairsTflmDoesNotRun) {
  const Quant q = quant(0.5f, 0);
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::UINT8, q),
                 "quantizing float32 to uint8 is not supported");
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT32, q),
                 "quantizing float32 to int32 is not supported");
  expect_refusal(quantize_refusal(TensorType::INT16, q, TensorType::UINT8, q),
                 "quantizing int16 to uint8 is not supported");
  expect_refusal(quantize_refusal(TensorType::UINT8, q, TensorType::INT16, q),
                 "quantizing uint8 to int16 is not supported");
  expect_refusal(quantize_refusal(TensorType::INT32, q, TensorType::INT32, q),
                 "quantizing int32 to int32 is not supported");
}

TEST(Quantize, RefusesBadQuantization) {
  const Quant q = quant(0.5f, 0);
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT8, {}),
                 "output tensor 1 't1' has 0 quantization scales");
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT8,
                                  Quant{{0.5f, 0.25f}, {0, 0}, 0}, {2}, {2}),
                 "output tensor 1 't1' has 2 quantization scales");
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT8, quant(0.0f, 0)),
                 "output tensor 1 't1' has quantization scale");
  expect_refusal(quantize_refusal(TensorType::INT8, {}, TensorType::INT8, q),
                 "input tensor 0 't0' has 0 quantization scales");
  // Refused by the model reader, before the kernel sees it.
  EXPECT_NE(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT8, quant(0.5f, 300))
                .find("tensor 1 't1' has zero point 300 at channel 0, outside int8's range"),
            std::string::npos);
  // 1 / 1e-12 needs a 40-bit shift.
  expect_refusal(
      quantize_refusal(TensorType::INT8, quant(1.0f, 0), TensorType::INT32, quant(1e-12f, 0)),
      "beyond 32-bit fixed point");
  expect_refusal(quantize_refusal(TensorType::FLOAT32, {}, TensorType::INT8, q, {4}, {5}),
                 "input has 4 elements but output has 5");
}

}  // namespace
}  // namespace mote::testing
