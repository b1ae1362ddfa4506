#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

// One unary op from `in_q` to `out_q`.
void build(ModelBuilder& b, BuiltinOperator op, TensorType type, std::vector<int32_t> shape,
           Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(type, shape, std::move(in_q));
  const int out = b.tensor(type, shape, std::move(out_q));
  b.op(op, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

std::vector<int8_t> all_int8() {
  std::vector<int8_t> x;
  for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
  return x;
}

TEST(Relu, Float) {
  ModelBuilder b;
  build(b, BuiltinOperator::RELU, TensorType::FLOAT32, {5});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{-2, -1e-30f, 0, 3.5f, 1e30f}),
            (std::vector<float>{0, 0, 0, 3.5f, 1e30f}));
}

TEST(Relu, Int8SameQuantizationClampsAtTheZeroPoint) {
  ModelBuilder b;
  build(b, BuiltinOperator::RELU, TensorType::INT8, {256}, quant(0.5f, -3), quant(0.5f, -3));
  const auto y = run_single<int8_t>(b, all_int8());
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(y[v + 128], std::max(v, -3)) << v;
}

TEST(Relu, Int8RequantizesBetweenDifferentScales) {
  // Input scale 0.75, output 0.5: the exact ratio 1.5. Rounding of the doubling high multiply
  // sends halves towards +infinity: floor(1.5 · d + 0.5).
  ModelBuilder b;
  build(b, BuiltinOperator::RELU, TensorType::INT8, {256}, quant(0.75f, 10), quant(0.5f, -20));
  const auto y = run_single<int8_t>(b, all_int8());
  for (int v = -128; v <= 127; ++v) {
    const double rescaled = -20 + std::floor(1.5 * (v - 10) + 0.5);
    EXPECT_EQ(y[v + 128], static_cast<int8_t>(std::clamp(rescaled, -20.0, 127.0))) << v;
  }
}

TEST(Relu, Int8WithinOneStepOfRealRelu) {
  // A ratio with no exact binary form: 0.3 / 0.7.
  ModelBuilder b;
  build(b, BuiltinOperator::RELU, TensorType::INT8, {256}, quant(0.3f, -7), quant(0.7f, -128));
  const auto y = run_single<int8_t>(b, all_int8());
  for (int v = -128; v <= 127; ++v) {
    const double real = std::max(0.0, 0.3 * (v + 7));
    EXPECT_NEAR(y[v + 128], std::min(127.0, std::round(real / 0.7) - 128), 1.0) << v;
  }
}

TEST(Relu, Int16HalvesTheScale) {
  ModelBuilder b;
  build(b, BuiltinOperator::RELU, TensorType::INT16, {6}, quant(0.5f, 0), quant(1.0f, 0));
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{-32768, -3, 3, 5, 100, 32767}),
            (std::vector<int16_t>{0, 0, 2, 3, 50, 16384}));
}

TEST(Relu, Refusals) {
  ModelBuilder a;
  build(a, BuiltinOperator::RELU, TensorType::INT16, {4}, quant(0.5f, 1), quant(0.5f, 0));
  EXPECT_NE(refusal(a).find("int16 input and output need zero point 0 (got 1, 0)"),
            std::string::npos)
      << refusal(a);

  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {4}, quant(0.5f, 0));
  const int out = b.tensor(TensorType::INT8, {5}, quant(0.5f, 0));
  b.op(BuiltinOperator::RELU, {in}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("input tensor 0 has 4 elements but output tensor 1 has 5"),
            std::string::npos)
      << refusal(b);

  ModelBuilder c;
  build(c, BuiltinOperator::RELU, TensorType::INT32, {4});
  EXPECT_NE(refusal(c).find("input type int32 is not supported (float32, int8, int16)"),
            std::string::npos)
      << refusal(c);

  ModelBuilder d;
  build(d, BuiltinOperator::RELU, TensorType::INT8, {4}, quant(1e10f, 0), quant(1e-10f, 0));
  EXPECT_NE(refusal(d).find("beyond 32-bit rescaling"), std::string::npos) << refusal(d);

  ModelBuilder e;
  build(e, BuiltinOperator::RELU, TensorType::INT8, {4}, quant(0.5f, 200), quant(0.5f, 0));
  // Refused by the model reader, before the kernel sees it.
  EXPECT_NE(refusal(e).find("tensor 0 't0' has zero point 200 at channel 0, outside int8's range"),
            std::string::npos)
      << refusal(e);

  ModelBuilder f;
  build(f, BuiltinOperator::RELU, TensorType::INT8, {4});
  EXPECT_NE(refusal(f).find("has 0 quantization scales"), std::string::npos) << refusal(f);
}

TEST(Relu, RunsInPlaceInsideATwoOpModel) {
  // in -> RELU -> mid -> LEAKY_RELU -> out: both ops may write over their input.
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {64}, quant(0.5f, 0));
  const int mid = b.tensor(TensorType::INT8, {64}, quant(0.5f, 0));
  const int out = b.tensor(TensorType::INT8, {64}, quant(0.5f, 0));
  b.op(BuiltinOperator::RELU, {in}, {mid});
  b.op(BuiltinOperator::LEAKY_RELU, {mid}, {out}, tflite::BuiltinOptions::LeakyReluOptions,
       tflite::CreateLeakyReluOptions(b.fbb(), 0.5f).Union());
  b.inputs({in});
  b.outputs({out});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "two ops");

  std::vector<int8_t> x;
  for (int i = 0; i < 64; ++i) x.push_back(static_cast<int8_t>(4 * i - 128));
  const auto run = [&](bool in_place, std::vector<uint32_t>* locations) {
    InterpreterOptions options;
    options.in_place_ops = in_place;
    tools::HostInterpreter host(*model, options);
    host.set_input(0, to_bytes(x));
    host.invoke();
    for (int t : {in, mid, out}) locations->push_back(host.interpreter().tensor_location(t));
    const auto y = host.output_bytes(0);
    return std::vector<int8_t>(y.begin(), y.end());
  };
  std::vector<uint32_t> shared, separate;
  const auto y_shared = run(true, &shared);
  const auto y_separate = run(false, &separate);
  // One 64-byte buffer serves all three tensors in place; without in-place they need two.
  EXPECT_EQ(shared[0], shared[1]);
  EXPECT_EQ(shared[1], shared[2]);
  EXPECT_NE(separate[1], separate[2]);
  EXPECT_EQ(y_shared, y_separate);
  // ReLU then leaky ReLU of a non-negative value is the value itself.
  for (int i = 0; i < 64; ++i) EXPECT_EQ(y_shared[i], std::max<int>(x[i], 0)) << i;
}

}  // namespace
}  // namespace mote::testing
