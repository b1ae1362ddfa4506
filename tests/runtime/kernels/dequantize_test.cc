#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void dequantize_model(ModelBuilder& b, TensorType in_type, const Quant& q, TensorType out_type,
                      std::vector<int32_t> in_shape, std::vector<int32_t> out_shape) {
  const int in = b.tensor(in_type, std::move(in_shape), q);
  const int out = b.tensor(out_type, std::move(out_shape));
  b.op(BuiltinOperator::DEQUANTIZE, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

template <typename In>
std::vector<float> dequantize(TensorType type, const Quant& q, const std::vector<In>& values) {
  ModelBuilder b;
  const auto n = static_cast<int32_t>(values.size());
  dequantize_model(b, type, q, TensorType::FLOAT32, {n}, {n});
  return run_single<float>(b, values);
}

TEST(Dequantize, Int8) {
  EXPECT_EQ(dequantize<int8_t>(TensorType::INT8, quant(0.5f, -3), {-3, -1, 127, -128}),
            (std::vector<float>{0, 1, 65, -62.5f}));
}

TEST(Dequantize, Int16) {
  EXPECT_EQ(dequantize<int16_t>(TensorType::INT16, quant(1.0f / 1024, 0), {1024, -32768, 1, 0}),
            (std::vector<float>{1, -32, 1.0f / 1024, 0}));
}

TEST(Dequantize, Uint8) {
  EXPECT_EQ(dequantize<uint8_t>(TensorType::UINT8, quant(0.25f, 128), {130, 0, 255, 128}),
            (std::vector<float>{0.5f, -32, 31.75f, 0}));
}

TEST(Dequantize, ResultIsTheNearestFloatToTheExactProduct) {
  // 0.1f is 0.100000001490116...; times 3 and 7 the nearest floats are 0.3f and 0.7f, but
  // times −9 (−0.9000000134) the nearest float is the one just below −0.9f.
  EXPECT_EQ(dequantize<int8_t>(TensorType::INT8, quant(0.1f, 0), {3, 7, -9}),
            (std::vector<float>{0.3f, 0.7f, std::nextafter(-0.9f, -1.0f)}));
}

std::string dequantize_refusal(TensorType in_type, const Quant& q, TensorType out_type,
                               std::vector<int32_t> in_shape = {4},
                               std::vector<int32_t> out_shape = {4}) {
  ModelBuilder b;
  dequantize_model(b, in_type, q, out_type, std::move(in_shape), std::move(out_shape));
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("op 0 (DEQUANTIZE)"), std::string::npos) << message;
}

TEST(Dequantize, Refusals) {
  const Quant q = quant(0.5f, 0);
  expect_refusal(dequantize_refusal(TensorType::INT32, q, TensorType::FLOAT32),
                 "input type int32 is not supported");
  expect_refusal(dequantize_refusal(TensorType::INT8, q, TensorType::INT16),
                 "output tensor 1 't1' is int16, expected float32");
  expect_refusal(dequantize_refusal(TensorType::INT8, {}, TensorType::FLOAT32),
                 "input tensor 0 't0' has 0 quantization scales");
  expect_refusal(dequantize_refusal(TensorType::INT8, Quant{{0.5f, 0.25f}, {0, 0}, 0},
                                    TensorType::FLOAT32, {2}, {2}),
                 "input tensor 0 't0' has 2 quantization scales");
  expect_refusal(dequantize_refusal(TensorType::INT8, q, TensorType::FLOAT32, {4}, {2, 4}),
                 "input has 4 elements but output has 8");
}

}  // namespace
}  // namespace mote::testing
