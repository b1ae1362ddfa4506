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

void add_depthwise(ModelBuilder& b, int in, int filter, int bias, TensorType type, Dims od,
                   Quant oq, Window win, int multiplier, Act act = Act::NONE) {
  const int out = b.tensor(type, shape(od), oq);
  const auto options =
      tflite::CreateDepthwiseConv2DOptions(b.fbb(), win.padding, win.stride_w, win.stride_h,
                                           multiplier, act, win.dilation_w, win.dilation_h)
          .Union();
  b.op(BuiltinOperator::DEPTHWISE_CONV_2D, {in, filter, bias}, {out},
       tflite::BuiltinOptions::DepthwiseConv2DOptions, options);
  b.inputs({in});
  b.outputs({out});
}

void expect_float_depthwise(Dims id, Dims wd, Dims od, Window win, int multiplier, Act act,
                            unsigned seed) {
  ASSERT_EQ(od.h, conv::out_size(win.padding, id.h, wd.h, win.stride_h, win.dilation_h));
  ASSERT_EQ(od.w, conv::out_size(win.padding, id.w, wd.w, win.stride_w, win.dilation_w));
  const auto x = conv::random_floats(id.size(), seed, -2.0f, 2.0f);
  const auto w = conv::random_floats(wd.size(), seed + 1);
  const auto bias = conv::random_floats(od.c, seed + 2);
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, shape(id));
  const int filter = b.constant<float>(TensorType::FLOAT32, shape(wd), w);
  const int bias_t = b.constant<float>(TensorType::FLOAT32, {od.c}, bias);
  add_depthwise(b, in, filter, bias_t, TensorType::FLOAT32, od, {}, win, multiplier, act);
  const auto y = run_single<float>(b, x);
  const auto ref = conv::depthwise_ref(conv::dequantize(x), id, conv::dequantize(w), wd,
                                       conv::dequantize(bias), od, win, multiplier);
  ASSERT_EQ(y.size(), ref.size());
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::activate(ref[k], act), 1e-5) << "element " << k;
  }
}

TEST(DepthwiseConv2D, FloatHandWorkedDepthMultiplier2) {
  // One input channel, multiplier 2: output channel 0 uses filter taps [1 0; 0 1] (a diagonal
  // sum), channel 1 uses [0 1; 1 0] (the anti-diagonal), over a 2x3 input, VALID.
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 2, 3, 1});
  const int filter = b.constant<float>(TensorType::FLOAT32, {1, 2, 2, 2}, {1, 0, 0, 1, 0, 1, 1, 0});
  add_depthwise(b, in, filter, -1, TensorType::FLOAT32, {1, 1, 2, 2}, {}, {Padding::VALID, 1, 1},
                2);
  const auto y = run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6});
  // Patch [1 2;4 5]: 1 + 5, 2 + 4; patch [2 3;5 6]: 2 + 6, 3 + 5.
  EXPECT_EQ(y, (std::vector<float>{6, 6, 8, 8}));
}

TEST(DepthwiseConv2D, FloatSamePaddingOddSizesStride2Multiplier2) {
  expect_float_depthwise({1, 7, 5, 3}, {1, 3, 3, 6}, {1, 4, 3, 6}, {Padding::SAME, 2, 2}, 2,
                         Act::NONE, 51);
}

TEST(DepthwiseConv2D, FloatValidStride1And2) {
  expect_float_depthwise({2, 6, 7, 4}, {1, 3, 2, 4}, {2, 4, 6, 4}, {Padding::VALID, 1, 1}, 1,
                         Act::NONE, 52);
  expect_float_depthwise({1, 9, 8, 2}, {1, 3, 3, 2}, {1, 4, 3, 2}, {Padding::VALID, 2, 2}, 1,
                         Act::NONE, 53);
}

TEST(DepthwiseConv2D, FloatDilation2) {
  expect_float_depthwise({1, 8, 9, 2}, {1, 3, 3, 4}, {1, 8, 9, 4}, {Padding::SAME, 1, 1, 2, 2}, 2,
                         Act::NONE, 54);
  expect_float_depthwise({1, 8, 9, 2}, {1, 2, 3, 2}, {1, 6, 5, 2}, {Padding::VALID, 1, 1, 2, 2}, 1,
                         Act::NONE, 55);
}

TEST(DepthwiseConv2D, FloatFusedActivationsClamp) {
  for (Act act : {Act::RELU, Act::RELU6, Act::RELU_N1_TO_1}) {
    SCOPED_TRACE(tflite::EnumNameActivationFunctionType(act));
    expect_float_depthwise({1, 5, 5, 2}, {1, 3, 3, 2}, {1, 5, 5, 2}, {Padding::SAME, 1, 1}, 1, act,
                           56);
  }
}

TEST(DepthwiseConv2D, Int8PerChannelScalesAndZeroPointsExact) {
  // Two input channels, multiplier 1, 1x2 filter; channel 0 rescales by 1 (0.5 · 2 / 1),
  // channel 1 by 2 (0.5 · 4 / 1).
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 1, 3, 2}, quant(0.5f, -4));
  const int filter = b.constant<int8_t>(TensorType::INT8, {1, 1, 2, 2}, {3, -1, 1, 2},
                                        Quant{{2.0f, 4.0f}, {0, 0}, 3});
  const int bias = b.constant<int32_t>(TensorType::INT32, {2}, {-2, 1});
  add_depthwise(b, in, filter, bias, TensorType::INT8, {1, 1, 2, 2}, quant(1.0f, 5),
                {Padding::VALID, 1, 1}, 1);
  // Input minus zero point, per column: (2, 1), (-1, 3), (4, 0).
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{-2, -3, -5, -1, 0, -4});
  // Column 0: c0 = 3·2 + 1·(-1) - 2 = 3 -> 8; c1 = (-1·1 + 2·3 + 1) · 2 = 12 -> 17.
  // Column 1: c0 = 3·(-1) + 1·4 - 2 = -1 -> 4; c1 = (-1·3 + 2·0 + 1) · 2 = -4 -> 1.
  EXPECT_EQ(y, (std::vector<int8_t>{8, 17, 4, 1}));
}

TEST(DepthwiseConv2D, Int8RandomPerChannelWithinOneStepOfReal) {
  const Dims id{1, 9, 7, 3}, wd{1, 3, 3, 6}, od{1, 5, 4, 6};
  const Window win{Padding::SAME, 2, 2};
  const std::vector<float> w_scales = {0.01f, 0.02f, 0.004f, 0.031f, 0.017f, 0.009f};
  const float in_scale = 0.05f, out_scale = 0.07f;
  const int in_zp = 9, out_zp = -20;
  const auto x = conv::random_ints<int8_t>(id.size(), -128, 127, 61);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 62);
  const auto bias = conv::random_ints<int32_t>(od.c, -2000, 2000, 63);
  for (Act act : {Act::NONE, Act::RELU, Act::RELU_N1_TO_1}) {
    SCOPED_TRACE(tflite::EnumNameActivationFunctionType(act));
    ModelBuilder b;
    const int in = b.tensor(TensorType::INT8, shape(id), quant(in_scale, in_zp));
    const int filter = b.constant<int8_t>(TensorType::INT8, shape(wd), w,
                                          Quant{w_scales, std::vector<int64_t>(6, 0), 3});
    const int bias_t = b.constant<int32_t>(TensorType::INT32, {od.c}, bias);
    add_depthwise(b, in, filter, bias_t, TensorType::INT8, od, quant(out_scale, out_zp), win, 2,
                  act);
    const auto y = run_single<int8_t>(b, x);
    const auto real_w = conv::dequantize_per_channel(w, w_scales, [&](int k) { return k % 6; });
    std::vector<double> real_bias(od.c);
    for (int c = 0; c < od.c; ++c) real_bias[c] = bias[c] * double(in_scale) * w_scales[c];
    const auto ref = conv::depthwise_ref(conv::dequantize(x, in_scale, in_zp), id, real_w, wd,
                                         real_bias, od, win, 2);
    for (size_t k = 0; k < y.size(); ++k) {
      EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, out_zp, -128, 127, act), 1)
          << "element " << k;
    }
  }
}

TEST(DepthwiseConv2D, Int16LargeAccumulationWithInt64Bias) {
  // A 3x3 window of -32768 · -127 plus a bias of 2^40: beyond int32, exact in 64 bits.
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, {1, 3, 3, 1}, quant(1.0f, 0));
  const int filter = b.constant<int8_t>(TensorType::INT8, {1, 3, 3, 1},
                                        std::vector<int8_t>(9, -127), quant(1.0f, 0));
  const int bias = b.constant<int64_t>(TensorType::INT64, {1}, {int64_t{1} << 40});
  add_depthwise(b, in, filter, bias, TensorType::INT16, {1, 1, 1, 1}, quant(67108864.0f, 0),
                {Padding::VALID, 1, 1}, 1);
  // 9 · 32768 · 127 = 37,453,824; + 2^40 = 1,099,549,081,600; / 2^26 = 16384.56 -> 16385.
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>(9, -32768)), (std::vector<int16_t>{16385}));
}

TEST(DepthwiseConv2D, Int16RandomWithinOneStepOfReal) {
  const Dims id{1, 5, 6, 2}, wd{1, 2, 3, 4}, od{1, 5, 6, 4};
  const Window win{Padding::SAME, 1, 1, 1, 2};
  const std::vector<float> w_scales = {0.003f, 0.0011f, 0.002f, 0.0005f};
  const float in_scale = 0.0004f, out_scale = 0.002f;
  const auto x = conv::random_ints<int16_t>(id.size(), -32768, 32767, 71);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 72);
  const auto bias = conv::random_ints<int64_t>(od.c, -2000000, 2000000, 73);
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, shape(id), quant(in_scale, 0));
  const int filter =
      b.constant<int8_t>(TensorType::INT8, shape(wd), w, Quant{w_scales, {0, 0, 0, 0}, 3});
  const int bias_t = b.constant<int64_t>(TensorType::INT64, {od.c}, bias);
  add_depthwise(b, in, filter, bias_t, TensorType::INT16, od, quant(out_scale, 0), win, 2,
                Act::RELU);
  const auto y = run_single<int16_t>(b, x);
  const auto real_w = conv::dequantize_per_channel(w, w_scales, [&](int k) { return k % 4; });
  std::vector<double> real_bias(od.c);
  for (int c = 0; c < od.c; ++c) real_bias[c] = double(bias[c]) * in_scale * w_scales[c];
  const auto ref =
      conv::depthwise_ref(conv::dequantize(x, in_scale), id, real_w, wd, real_bias, od, win, 2);
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, 0, -32768, 32767, Act::RELU), 1)
        << "element " << k;
  }
}

template <typename Build>
void expect_refusal(Build build, const std::string& expected) {
  ModelBuilder b;
  build(b);
  const std::string message = refusal(b);
  EXPECT_NE(message.find("op 0 (DEPTHWISE_CONV_2D): " + expected), std::string::npos) << message;
}

TEST(DepthwiseConv2D, RefusesWrongDepthMultiplierOrChannels) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 2});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 4}, std::vector<float>(36, 1.0f));
        add_depthwise(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 4}, {}, {Padding::SAME, 1, 1},
                      3);
      },
      "2 input channels with depth multiplier 3 do not give the 4 output channels");
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 2});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 2}, std::vector<float>(18, 1.0f));
        add_depthwise(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 4}, {}, {Padding::SAME, 1, 1},
                      2);
      },
      "weights have 2 output channels but output has 4");
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 2});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {2, 3, 3, 2}, std::vector<float>(36, 1.0f));
        add_depthwise(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 2}, {}, {Padding::SAME, 1, 1},
                      1);
      },
      "weights' first dimension is 2, expected 1");
}

TEST(DepthwiseConv2D, RefusesBiasOfWrongSizeOrType) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 2});
        const int w = b.constant<float>(TensorType::FLOAT32, {1, 1, 1, 2}, {1, 2});
        const int bias = b.constant<float>(TensorType::FLOAT32, {1}, {1});
        add_depthwise(b, in, w, bias, TensorType::FLOAT32, {1, 4, 4, 2}, {}, {Padding::SAME, 1, 1},
                      1);
      },
      "bias tensor 2 't2' has 1 elements for 2 channels");
  expect_refusal(
      [](ModelBuilder& b) {
        // TFLM's 16x8 depthwise kernel reads the bias as int64 whatever its type.
        const int in = b.tensor(TensorType::INT16, {1, 4, 4, 1}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        const int bias = b.constant<int32_t>(TensorType::INT32, {1}, {1});
        add_depthwise(b, in, w, bias, TensorType::INT16, {1, 4, 4, 1}, quant(1.0f, 0),
                      {Padding::SAME, 1, 1}, 1);
      },
      "bias tensor 2 't2' is int32, expected int64");
}

TEST(DepthwiseConv2D, RefusesPerChannelScalesAlongTheWrongDimension) {
  expect_refusal(
      [](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT8, {1, 2, 2, 2}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 2, 1, 2}, {1, 1, 1, 1},
                                         Quant{{1.0f, 2.0f}, {0, 0}, 1});
        add_depthwise(b, in, w, -1, TensorType::INT8, {1, 1, 2, 2}, quant(1.0f, 0),
                      {Padding::VALID, 1, 1}, 1);
      },
      "weights tensor 1 't1' is quantized along dimension 1, expected 3");
}

TEST(DepthwiseConv2D, RefusesUnquantizableActivation) {
  expect_refusal(
      [](ModelBuilder& b) {
        // The multiplier is 1, but ReLU6's bound 6 is 6e12 output steps.
        const int in = b.tensor(TensorType::INT8, {1, 2, 2, 1}, quant(1e-12f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        add_depthwise(b, in, w, -1, TensorType::INT8, {1, 2, 2, 1}, quant(1e-12f, 0),
                      {Padding::VALID, 1, 1}, 1, Act::RELU6);
      },
      "fused activation RELU6 cannot be quantized with output scale");
}

}  // namespace
}  // namespace mote::testing
