#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void build(ModelBuilder& b, TensorType type, std::vector<int32_t> shape, Quant in_q = {},
           Quant out_q = {}) {
  const int in = b.tensor(type, shape, std::move(in_q));
  const int out = b.tensor(type, shape, std::move(out_q));
  b.op(BuiltinOperator::HARD_SWISH, {in}, {out});
  b.inputs({in});
  b.outputs({out});
}

double hard_swish(double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }

TEST(HardSwish, Float) {
  ModelBuilder b;
  build(b, TensorType::FLOAT32, {7});
  const auto y = run_single<float>(b, std::vector<float>{-4, -3, -1.5f, 0, 1, 3, 4});
  const std::vector<float> expected{0, 0, -0.375f, 0, 4.0f / 6, 3, 4};
  for (size_t i = 0; i < y.size(); ++i) EXPECT_FLOAT_EQ(y[i], expected[i]) << i;
}

struct Scales {
  float in_scale;
  int in_zero;
  float out_scale;
  int out_zero;
};

TEST(HardSwish, Int8WithinOneStepOfFloatForAll256Inputs) {
  // Small and large input scales exercise the relu-ish rescaling's right-shift and left-shift
  // paths.
  for (const Scales& s : {Scales{0.05f, 0, 0.03f, -115}, Scales{0.1f, -20, 0.05f, -120},
                          Scales{0.02f, 10, 0.02f, 10}, Scales{0.5f, 0, 0.25f, -100},
                          Scales{0.005f, 0, 0.004f, -10}, Scales{0.08f, 60, 0.05f, -128}}) {
    ModelBuilder b;
    build(b, TensorType::INT8, {256}, quant(s.in_scale, s.in_zero), quant(s.out_scale, s.out_zero));
    std::vector<int8_t> x;
    for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
    const auto y = run_single<int8_t>(b, x);
    for (int v = -128; v <= 127; ++v) {
      const double real = hard_swish(static_cast<double>(s.in_scale) * (v - s.in_zero));
      const double q = std::clamp(std::round(real / s.out_scale) + s.out_zero, -128.0, 127.0);
      EXPECT_NEAR(y[v + 128], q, 1.0) << "x " << v << " in scale " << s.in_scale;
    }
  }
}

TEST(HardSwish, Int8ExactAtFixedPoints) {
  // Scale 1/16 both sides, zero point 0: hard_swish(0) = 0; x >= 3 is the identity; x <= -3 is
  // 0 (the relu-ish factor saturates).
  ModelBuilder b;
  build(b, TensorType::INT8, {6}, quant(1.0f / 16, 0), quant(1.0f / 16, 0));
  EXPECT_EQ(run_single<int8_t>(b, std::vector<int8_t>{-128, -48, 0, 48, 64, 127}),
            (std::vector<int8_t>{0, 0, 0, 48, 64, 127}));
}

TEST(HardSwish, Refusals) {
  ModelBuilder a;
  build(a, TensorType::INT8, {4}, quant(1.0f, 0), quant(0.001f, 0));
  EXPECT_NE(refusal(a).find("output scale 0.001000 is below input scale 1.000000 / 128"),
            std::string::npos)
      << refusal(a);
  ModelBuilder b;
  build(b, TensorType::INT16, {4}, quant(0.01f, 0), quant(0.01f, 0));
  EXPECT_NE(refusal(b).find("input type int16 is not supported (float32, int8)"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
