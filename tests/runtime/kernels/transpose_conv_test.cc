#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/runtime/kernels/conv_test_util.h"
#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using conv::Act;
using conv::Dims;
using conv::Window;
using tflite::BuiltinOperator;
using tflite::Padding;
using tflite::TensorType;

std::vector<int32_t> shape(Dims d) { return {d.n, d.h, d.w, d.c}; }

// Adds a TRANSPOSE_CONV whose output-shape input is a constant holding `od` (or `shape_values`
// when given), with `in` as the model's input.
void add_transpose_conv(ModelBuilder& b, int in, int filter, int bias, TensorType type, Dims od,
                        Quant oq, Window win, Act act = Act::NONE,
                        std::vector<int32_t> shape_values = {}) {
  if (shape_values.empty()) shape_values = shape(od);
  const int out_shape = b.constant<int32_t>(TensorType::INT32, {4}, shape_values);
  const int out = b.tensor(type, shape(od), oq);
  const auto options =
      tflite::CreateTransposeConvOptions(b.fbb(), win.padding, win.stride_w, win.stride_h, act)
          .Union();
  std::vector<int32_t> inputs = {out_shape, filter, in};
  if (bias >= 0) inputs.push_back(bias);
  b.op(BuiltinOperator::TRANSPOSE_CONV, inputs, {out}, tflite::BuiltinOptions::TransposeConvOptions,
       options);
  b.inputs({in});
  b.outputs({out});
}

void expect_float_transpose_conv(Dims id, Dims wd, Dims od, Window win, Act act, bool with_bias,
                                 unsigned seed) {
  // The output must be one a convolution over it maps back onto the input.
  ASSERT_EQ(id.h, conv::out_size(win.padding, od.h, wd.h, win.stride_h, 1));
  ASSERT_EQ(id.w, conv::out_size(win.padding, od.w, wd.w, win.stride_w, 1));
  const auto x = conv::random_floats(id.size(), seed, -2.0f, 2.0f);
  const auto w = conv::random_floats(wd.size(), seed + 1);
  const auto bias = with_bias ? conv::random_floats(od.c, seed + 2) : std::vector<float>{};
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, shape(id));
  const int filter = b.constant<float>(TensorType::FLOAT32, shape(wd), w);
  const int bias_t = with_bias ? b.constant<float>(TensorType::FLOAT32, {od.c}, bias) : -1;
  add_transpose_conv(b, in, filter, bias_t, TensorType::FLOAT32, od, {}, win, act);
  const auto y = run_single<float>(b, x);
  const auto ref = conv::transpose_ref(conv::dequantize(x), id, conv::dequantize(w), wd,
                                       conv::dequantize(bias), od, win);
  ASSERT_EQ(y.size(), ref.size());
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::activate(ref[k], act), 1e-5) << "element " << k;
  }
}

TEST(TransposeConv, FloatHandWorkedStride2) {
  // Stride 2 with a 2x2 filter: each input element stamps value · filter on its own 2x2 block.
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 2, 2, 1});
  const int filter = b.constant<float>(TensorType::FLOAT32, {1, 2, 2, 1}, {1, 2, 3, 4});
  add_transpose_conv(b, in, filter, -1, TensorType::FLOAT32, {1, 4, 4, 1}, {},
                     {Padding::VALID, 2, 2});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 4}),
            (std::vector<float>{1, 2, 2, 4,  //
                                3, 4, 6, 8,  //
                                3, 6, 4, 8,  //
                                9, 12, 12, 16}));
}

TEST(TransposeConv, FloatHandWorkedOverlapStride1) {
  // [1, 10] through the 1x3 filter [1, 2, 3]: [1, 2, 3, 0] + [0, 10, 20, 30], plus bias 0.5.
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 1, 2, 1});
  const int filter = b.constant<float>(TensorType::FLOAT32, {1, 1, 3, 1}, {1, 2, 3});
  const int bias = b.constant<float>(TensorType::FLOAT32, {1}, {0.5f});
  add_transpose_conv(b, in, filter, bias, TensorType::FLOAT32, {1, 1, 4, 1}, {},
                     {Padding::VALID, 1, 1});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 10}),
            (std::vector<float>{1.5f, 12.5f, 23.5f, 30.5f}));
}

TEST(TransposeConv, FloatSamePaddingOddOutputStride2) {
  // 3x3 -> 5x5 with a 3x3 filter and stride 2: one row and column of padding cut at each side.
  expect_float_transpose_conv({1, 3, 3, 2}, {3, 3, 3, 2}, {1, 5, 5, 3}, {Padding::SAME, 2, 2},
                              Act::NONE, true, 81);
  expect_float_transpose_conv({2, 3, 4, 3}, {2, 4, 4, 3}, {2, 6, 8, 2}, {Padding::SAME, 2, 2},
                              Act::NONE, false, 82);
}

TEST(TransposeConv, FloatValidAndAsymmetricStrides) {
  expect_float_transpose_conv({1, 1, 5, 4}, {3, 3, 4, 4}, {1, 3, 12, 3}, {Padding::VALID, 1, 2},
                              Act::NONE, true, 83);
  expect_float_transpose_conv({1, 2, 3, 2}, {2, 3, 3, 2}, {1, 7, 9, 2}, {Padding::VALID, 3, 3},
                              Act::NONE, true, 84);
}

TEST(TransposeConv, FloatFusedActivationsClamp) {
  for (Act act : {Act::RELU, Act::RELU6, Act::RELU_N1_TO_1}) {
    SCOPED_TRACE(tflite::EnumNameActivationFunctionType(act));
    expect_float_transpose_conv({1, 3, 3, 2}, {2, 3, 3, 2}, {1, 6, 6, 2}, {Padding::SAME, 2, 2},
                                act, true, 85);
  }
}

TEST(TransposeConv, Int8PerChannelWithZeroPointsExact) {
  // Input and output scale 1, so channel c rescales by its weight scale: 1 and 2.
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 1, 2, 1}, quant(1.0f, 2));
  const int filter = b.constant<int8_t>(TensorType::INT8, {2, 1, 2, 1}, {1, 2, -1, 1},
                                        Quant{{1.0f, 2.0f}, {0, 0}, 0});
  const int bias = b.constant<int32_t>(TensorType::INT32, {2}, {1, -1});
  add_transpose_conv(b, in, filter, bias, TensorType::INT8, {1, 1, 3, 2}, quant(1.0f, -3),
                     {Padding::VALID, 1, 1});
  // Inputs minus zero point: 3, -3. Channel 0: 3·[1, 2, 0] - 3·[0, 1, 2] + 1 = [4, 4, -5];
  // channel 1: (3·[-1, 1, 0] - 3·[0, -1, 1] - 1) · 2 = [-8, 10, -8]; both plus zero point -3.
  EXPECT_EQ(run_single<int8_t>(b, std::vector<int8_t>{5, -1}),
            (std::vector<int8_t>{1, -11, 1, 7, -8, -11}));
}

TEST(TransposeConv, Int8RandomWithinOneStepOfReal) {
  const Dims id{1, 4, 3, 3}, wd{4, 3, 3, 3}, od{1, 8, 6, 4};
  const Window win{Padding::SAME, 2, 2};
  const std::vector<float> w_scales = {0.01f, 0.006f, 0.02f, 0.013f};
  const float in_scale = 0.03f, out_scale = 0.05f;
  const int in_zp = 5, out_zp = -9;
  const auto x = conv::random_ints<int8_t>(id.size(), -128, 127, 91);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 92);
  const auto bias = conv::random_ints<int32_t>(od.c, -3000, 3000, 93);
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, shape(id), quant(in_scale, in_zp));
  const int filter =
      b.constant<int8_t>(TensorType::INT8, shape(wd), w, Quant{w_scales, {0, 0, 0, 0}, 0});
  const int bias_t = b.constant<int32_t>(TensorType::INT32, {od.c}, bias);
  add_transpose_conv(b, in, filter, bias_t, TensorType::INT8, od, quant(out_scale, out_zp), win);
  const auto y = run_single<int8_t>(b, x);
  const int per_channel = wd.h * wd.w * wd.c;
  const auto real_w =
      conv::dequantize_per_channel(w, w_scales, [&](int k) { return k / per_channel; });
  std::vector<double> real_bias(od.c);
  for (int c = 0; c < od.c; ++c) real_bias[c] = bias[c] * double(in_scale) * w_scales[c];
  const auto ref =
      conv::transpose_ref(conv::dequantize(x, in_scale, in_zp), id, real_w, wd, real_bias, od, win);
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, out_zp, -128, 127, Act::NONE), 1)
        << "element " << k;
  }
}

// A 16x8 transposed convolution of a 2x2 input of 256 channels of 32767 through a 2x2 filter of
// 127s (stride 1, VALID: 3x3 output), output scale 2^17, with a zero bias of `bias_type` bits.
std::vector<int16_t> run_16x8_large(int bias_type) {
  const Dims id{1, 2, 2, 256}, wd{1, 2, 2, 256}, od{1, 3, 3, 1};
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, shape(id), quant(1.0f, 0));
  const int filter = b.constant<int8_t>(TensorType::INT8, shape(wd),
                                        std::vector<int8_t>(wd.size(), 127), quant(1.0f, 0));
  int bias = -1;
  if (bias_type == 16) bias = b.constant<int16_t>(TensorType::INT16, {1}, {0});
  if (bias_type == 64) bias = b.constant<int64_t>(TensorType::INT64, {1}, {0});
  add_transpose_conv(b, in, filter, bias, TensorType::INT16, od, quant(131072.0f, 0),
                     {Padding::VALID, 1, 1});
  return run_single<int16_t>(b, std::vector<int16_t>(id.size(), 32767));
}

TEST(TransposeConv, Int16LargeAccumulationWithAnyBias) {
  // One input pixel gives 256 · 32767 · 127 = 1,065,320,704 (/ 2^17 = 8127.75); the edges get
  // two (16255.50), the centre four: 4,261,282,816, beyond int32 (32511.01).
  const std::vector<int16_t> expected = {8128,  16256, 8128,   //
                                         16256, 32511, 16256,  //
                                         8128,  16256, 8128};
  EXPECT_EQ(run_16x8_large(0), expected);
  EXPECT_EQ(run_16x8_large(16), expected);
  EXPECT_EQ(run_16x8_large(64), expected);
}

TEST(TransposeConv, Int16BiasOfEitherWidthAndRandomData) {
  const Dims id{1, 2, 5, 3}, wd{2, 3, 4, 3}, od{1, 4, 12, 2};
  const Window win{Padding::VALID, 1, 2};
  const std::vector<float> w_scales = {0.004f, 0.0025f};
  const float in_scale = 0.0003f, out_scale = 0.0011f;
  const auto x = conv::random_ints<int16_t>(id.size(), -32768, 32767, 101);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 102);
  const std::vector<int16_t> bias16 = {-30000, 12345};
  const int per_channel = wd.h * wd.w * wd.c;
  const auto real_w =
      conv::dequantize_per_channel(w, w_scales, [&](int k) { return k / per_channel; });
  std::vector<double> real_bias(od.c);
  for (int c = 0; c < od.c; ++c) real_bias[c] = double(bias16[c]) * in_scale * w_scales[c];
  const auto ref =
      conv::transpose_ref(conv::dequantize(x, in_scale), id, real_w, wd, real_bias, od, win);
  for (int bits : {16, 64}) {
    SCOPED_TRACE(bits);
    ModelBuilder b;
    const int in = b.tensor(TensorType::INT16, shape(id), quant(in_scale, 0));
    const int filter =
        b.constant<int8_t>(TensorType::INT8, shape(wd), w, Quant{w_scales, {0, 0}, 0});
    const int bias = bits == 16
                         ? b.constant<int16_t>(TensorType::INT16, {2}, bias16)
                         : b.constant<int64_t>(TensorType::INT64, {2}, {bias16[0], bias16[1]});
    add_transpose_conv(b, in, filter, bias, TensorType::INT16, od, quant(out_scale, 0), win);
    const auto y = run_single<int16_t>(b, x);
    for (size_t k = 0; k < y.size(); ++k) {
      EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, 0, -32768, 32767, Act::NONE), 1)
          << "element " << k;
    }
  }
}

TEST(TransposeConv, OutputShapeMayBeAModelInput) {
  // As in the seanet models: the shape arrives at run time and, as in TFLM, is not read.
  ModelBuilder b;
  const int out_shape = b.tensor(TensorType::INT32, {4});
  const int filter = b.constant<float>(TensorType::FLOAT32, {1, 1, 2, 1}, {1, -1});
  const int in = b.tensor(TensorType::FLOAT32, {1, 1, 2, 1});
  const int out = b.tensor(TensorType::FLOAT32, {1, 1, 3, 1});
  b.op(BuiltinOperator::TRANSPOSE_CONV, {out_shape, filter, in}, {out},
       tflite::BuiltinOptions::TransposeConvOptions,
       tflite::CreateTransposeConvOptions(b.fbb(), Padding::VALID, 1, 1).Union());
  b.inputs({out_shape, in});
  b.outputs({out});
  const auto y = run_model(
      b, {to_bytes(std::vector<int32_t>{1, 1, 3, 1}), to_bytes(std::vector<float>{2, 5})});
  // [2, -2, 0] + [0, 5, -5].
  EXPECT_EQ(from_bytes<float>(y.at(0)), (std::vector<float>{2, 3, -5}));
}

template <typename Build>
void expect_refusal(Build build, const std::string& expected) {
  ModelBuilder b;
  build(b);
  const std::string message = refusal(b);
  EXPECT_NE(message.find("op 0 (TRANSPOSE_CONV): " + expected), std::string::npos) << message;
}

TEST(TransposeConv, RefusesFusedActivationOnQuantizedOps) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        add_transpose_conv(b, in, w, -1, TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0),
                           {Padding::VALID, 1, 1}, Act::RELU);
      },
      "fused activation RELU on a quantized transposed convolution is not supported");
}

TEST(TransposeConv, RefusesInconsistentShapes) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 3, 3, 1});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
        add_transpose_conv(b, in, w, -1, TensorType::FLOAT32, {1, 5, 5, 1}, {},
                           {Padding::VALID, 2, 2});
      },
      "input is 3x3 but a 3x3 filter with stride 2x2, dilation 1x1 and VALID padding over a 5x5 "
      "output gives 2x2");
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 2, 2, 3});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 2, 2, 2}, std::vector<float>(8, 1.0f));
        add_transpose_conv(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 1}, {},
                           {Padding::SAME, 2, 2});
      },
      "weights have depth 2 but input has 3 channels");
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 2, 2, 1});
        const int w = b.constant<float>(TensorType::FLOAT32, {1, 2, 2, 1}, {1, 1, 1, 1});
        add_transpose_conv(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 1}, {},
                           {Padding::SAME, 2, 2}, Act::NONE, {1, 4, 3, 1});
      },
      "output shape tensor 2 says dimension 2 is 3 but the output has 4");
}

TEST(TransposeConv, Refuses16x8WithInt32Bias) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT16, {1, 2, 2, 1}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        const int bias = b.constant<int32_t>(TensorType::INT32, {1}, {0});
        add_transpose_conv(b, in, w, bias, TensorType::INT16, {1, 2, 2, 1}, quant(1.0f, 0),
                           {Padding::VALID, 1, 1});
      },
      "bias tensor 2 't2' is int32, expected int64");
}

}  // namespace
}  // namespace mote::testing
