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

// Adds a CONV_2D with `win` and `act` from tensor `in` through `filter` (and `bias`, -1 for
// none) to a new output tensor, and makes them the model's input and output.
int add_conv(ModelBuilder& b, int in, int filter, int bias, TensorType type, Dims od, Quant oq,
             Window win, Act act = Act::NONE) {
  const int out = b.tensor(type, shape(od), oq);
  const auto options = tflite::CreateConv2DOptions(b.fbb(), win.padding, win.stride_w, win.stride_h,
                                                   act, win.dilation_w, win.dilation_h)
                           .Union();
  b.op(BuiltinOperator::CONV_2D, {in, filter, bias}, {out}, tflite::BuiltinOptions::Conv2DOptions,
       options);
  b.inputs({in});
  b.outputs({out});
  return out;
}

// A float CONV_2D on random data against the double reference.
void expect_float_conv(Dims id, Dims wd, Dims od, Window win, Act act, bool with_bias,
                       unsigned seed) {
  ASSERT_EQ(od.h, conv::out_size(win.padding, id.h, wd.h, win.stride_h, win.dilation_h));
  ASSERT_EQ(od.w, conv::out_size(win.padding, id.w, wd.w, win.stride_w, win.dilation_w));
  const auto x = conv::random_floats(id.size(), seed, -2.0f, 2.0f);
  const auto w = conv::random_floats(wd.size(), seed + 1);
  const auto bias = with_bias ? conv::random_floats(od.c, seed + 2) : std::vector<float>{};
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, shape(id));
  const int filter = b.constant<float>(TensorType::FLOAT32, shape(wd), w);
  const int bias_t = with_bias ? b.constant<float>(TensorType::FLOAT32, {od.c}, bias) : -1;
  add_conv(b, in, filter, bias_t, TensorType::FLOAT32, od, {}, win, act);
  const auto y = run_single<float>(b, x);
  const auto ref = conv::conv_ref(conv::dequantize(x), id, conv::dequantize(w), wd,
                                  conv::dequantize(bias), od, win);
  ASSERT_EQ(y.size(), ref.size());
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::activate(ref[k], act), 1e-5) << "element " << k;
  }
}

TEST(Conv2D, FloatHandWorkedValid) {
  // 3x3 input, 2x2 filter, VALID: each output is the filter's dot product with a 2x2 patch.
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 3, 3, 1});
  const int filter = b.constant<float>(TensorType::FLOAT32, {1, 2, 2, 1}, {1, 2, 3, 4});
  const int bias = b.constant<float>(TensorType::FLOAT32, {1}, {0.5f});
  add_conv(b, in, filter, bias, TensorType::FLOAT32, {1, 2, 2, 1}, {}, {Padding::VALID, 1, 1});
  const auto y = run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  // [1 2;4 5]: 1+4+12+20 = 37; [2 3;5 6]: 2+6+15+24 = 47; [4 5;7 8]: 67; [5 6;8 9]: 77.
  EXPECT_EQ(y, (std::vector<float>{37.5f, 47.5f, 67.5f, 77.5f}));
}

TEST(Conv2D, FloatHandWorkedSamePaddingOddSize) {
  // 3x3 input, 3x3 all-ones filter, SAME: each output sums its 3x3 neighbourhood, zeros outside.
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 3, 3, 1});
  const int filter =
      b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
  add_conv(b, in, filter, -1, TensorType::FLOAT32, {1, 3, 3, 1}, {}, {Padding::SAME, 1, 1});
  const auto y = run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(y, (std::vector<float>{12, 21, 16, 27, 45, 33, 24, 39, 28}));
}

TEST(Conv2D, FloatSamePaddingOddSizesStride1) {
  expect_float_conv({1, 5, 7, 3}, {4, 3, 3, 3}, {1, 5, 7, 4}, {Padding::SAME, 1, 1}, Act::NONE,
                    true, 11);
}

TEST(Conv2D, FloatSamePaddingStride2WithEvenFilter) {
  // A 4x2 filter with stride 2 over 7x6 needs odd total padding: one more row after than before.
  expect_float_conv({2, 7, 6, 2}, {3, 4, 2, 2}, {2, 4, 3, 3}, {Padding::SAME, 2, 2}, Act::NONE,
                    true, 12);
}

TEST(Conv2D, FloatValidStride2OddSizes) {
  expect_float_conv({1, 9, 7, 2}, {3, 3, 2, 2}, {1, 4, 3, 3}, {Padding::VALID, 2, 2}, Act::NONE,
                    false, 13);
}

TEST(Conv2D, FloatDilation2) {
  expect_float_conv({1, 9, 8, 2}, {2, 3, 3, 2}, {1, 9, 8, 2}, {Padding::SAME, 1, 1, 2, 2},
                    Act::NONE, true, 14);
  expect_float_conv({1, 9, 8, 2}, {2, 3, 2, 2}, {1, 5, 6, 2}, {Padding::VALID, 1, 1, 2, 2},
                    Act::NONE, true, 15);
}

TEST(Conv2D, FloatFusedActivationsClamp) {
  for (Act act : {Act::RELU, Act::RELU6, Act::RELU_N1_TO_1}) {
    SCOPED_TRACE(tflite::EnumNameActivationFunctionType(act));
    expect_float_conv({1, 4, 4, 3}, {5, 2, 2, 3}, {1, 4, 4, 5}, {Padding::SAME, 1, 1}, act, true,
                      20);
  }
}

TEST(Conv2D, FloatGroupedConvolution) {
  // 6 input channels, filter depth 2: three groups, each producing two of the six outputs.
  expect_float_conv({1, 5, 5, 6}, {6, 3, 3, 2}, {1, 5, 5, 6}, {Padding::SAME, 1, 1}, Act::NONE,
                    true, 21);
}

TEST(Conv2D, Int8PerChannelScalesAndZeroPointsExact) {
  // Channel 0 rescales by 1 (0.5 · 2 / 1), channel 1 by 2 (0.5 · 4 / 1): integer results.
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 2, 2, 2}, quant(0.5f, 3));
  const int filter =
      b.constant<int8_t>(TensorType::INT8, {2, 1, 2, 2},
                         {1, 2, -1, 0,  // out 0: taps (x, c) = (0,0),(0,1),(1,0),(1,1)
                          0, 1, 1, -2},
                         Quant{{2.0f, 4.0f}, {0, 0}, 0});
  const int bias = b.constant<int32_t>(TensorType::INT32, {2}, {5, -3});
  add_conv(b, in, filter, bias, TensorType::INT8, {1, 2, 1, 2}, quant(1.0f, -10),
           {Padding::VALID, 1, 1});
  // Input minus zero point: row 0 = [(1, 2), (0, -4)], row 1 = [(7, -1), (3, 3)].
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{4, 5, 3, -1, 10, 2, 6, 6});
  // Row 0: out0 = 1 + 4 - 0 + 0 + 5 = 10 -> 10 - 10 = 0; out1 = (2 + 0 + 8 - 3) · 2 = 14 -> 4.
  // Row 1: out0 = 7 - 2 - 3 + 5 = 7 -> -3; out1 = (-1 + 3 - 6 - 3) · 2 = -14 -> -24.
  EXPECT_EQ(y, (std::vector<int8_t>{0, 4, -3, -24}));
}

TEST(Conv2D, Int8RandomPerChannelWithinOneStepOfReal) {
  const Dims id{1, 7, 6, 3}, wd{4, 3, 3, 3}, od{1, 4, 3, 4};
  const Window win{Padding::SAME, 2, 2};
  const std::vector<float> w_scales = {0.01f, 0.023f, 0.0071f, 0.05f};
  const float in_scale = 0.04f, out_scale = 0.09f;
  const int in_zp = -7, out_zp = 12;
  const auto x = conv::random_ints<int8_t>(id.size(), -128, 127, 31);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 32);
  const auto bias = conv::random_ints<int32_t>(od.c, -3000, 3000, 33);
  for (Act act : {Act::NONE, Act::RELU, Act::RELU6}) {
    SCOPED_TRACE(tflite::EnumNameActivationFunctionType(act));
    ModelBuilder b;
    const int in = b.tensor(TensorType::INT8, shape(id), quant(in_scale, in_zp));
    const int filter =
        b.constant<int8_t>(TensorType::INT8, shape(wd), w, Quant{w_scales, {0, 0, 0, 0}, 0});
    const int bias_t = b.constant<int32_t>(TensorType::INT32, {od.c}, bias);
    add_conv(b, in, filter, bias_t, TensorType::INT8, od, quant(out_scale, out_zp), win, act);
    const auto y = run_single<int8_t>(b, x);
    const int per_channel = wd.h * wd.w * wd.c;
    const auto real_w =
        conv::dequantize_per_channel(w, w_scales, [&](int k) { return k / per_channel; });
    std::vector<double> real_bias(od.c);
    for (int c = 0; c < od.c; ++c) real_bias[c] = bias[c] * double(in_scale) * w_scales[c];
    const auto ref =
        conv::conv_ref(conv::dequantize(x, in_scale, in_zp), id, real_w, wd, real_bias, od, win);
    for (size_t k = 0; k < y.size(); ++k) {
      EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, out_zp, -128, 127, act), 1)
          << "element " << k;
    }
  }
}

TEST(Conv2D, Int8PerTensorWeightsAndRelu6Clamp) {
  // Effective scale 1 (0.25 · 4 / 1); output zero point -100, ReLU6 allows [-100, -94].
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 1, 1, 2}, quant(0.25f, 0));
  const int filter =
      b.constant<int8_t>(TensorType::INT8, {3, 1, 1, 2}, {1, 1, -1, -1, 1, 0}, quant(4.0f, 0));
  add_conv(b, in, filter, -1, TensorType::INT8, {1, 1, 1, 3}, quant(1.0f, -100),
           {Padding::VALID, 1, 1}, Act::RELU6);
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{3, 1});
  // Sums 4, -4, 3: 4 -> -96; -4 clamps at zero (-100); 3 -> -97.
  EXPECT_EQ(y, (std::vector<int8_t>{-96, -100, -97}));
  const auto y2 = run_single<int8_t>(b, std::vector<int8_t>{100, 20});
  // 120 is far above 6.0: clamps at -100 + 6 = -94; -120 at -100; 100 at -94.
  EXPECT_EQ(y2, (std::vector<int8_t>{-94, -100, -94}));
}

TEST(Conv2D, Int16LargeAccumulationWithInt64Bias) {
  // 64 channels of 32767 · 127 over a 3x3 window: 2.4e9, beyond int32, exact in 64 bits.
  const Dims id{1, 3, 3, 64}, wd{1, 3, 3, 64}, od{1, 1, 1, 1};
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, shape(id), quant(1.0f, 0));
  const int filter = b.constant<int8_t>(TensorType::INT8, shape(wd),
                                        std::vector<int8_t>(wd.size(), 127), quant(1.0f, 0));
  const int bias = b.constant<int64_t>(TensorType::INT64, {1}, {-(int64_t{1} << 32)});
  add_conv(b, in, filter, bias, TensorType::INT16, od, quant(131072.0f, 0), {Padding::VALID, 1, 1});
  // 576 · 32767 · 127 = 2,396,971,584; minus 2^32 = -1,897,995,712; / 2^17 = -14480.56 -> -14481.
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>(id.size(), 32767)),
            (std::vector<int16_t>{-14481}));
}

TEST(Conv2D, Int16RandomWithinOneStepOfReal) {
  const Dims id{1, 6, 5, 4}, wd{3, 2, 3, 4}, od{1, 6, 5, 3};
  const Window win{Padding::SAME, 1, 1, 2, 1};
  const std::vector<float> w_scales = {0.002f, 0.0031f, 0.0007f};
  const float in_scale = 0.0005f, out_scale = 0.004f;
  const auto x = conv::random_ints<int16_t>(id.size(), -32768, 32767, 41);
  const auto w = conv::random_ints<int8_t>(wd.size(), -127, 127, 42);
  const auto bias = conv::random_ints<int64_t>(od.c, -1000000, 1000000, 43);
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, shape(id), quant(in_scale, 0));
  const int filter =
      b.constant<int8_t>(TensorType::INT8, shape(wd), w, Quant{w_scales, {0, 0, 0}, 0});
  const int bias_t = b.constant<int64_t>(TensorType::INT64, {od.c}, bias);
  add_conv(b, in, filter, bias_t, TensorType::INT16, od, quant(out_scale, 0), win);
  const auto y = run_single<int16_t>(b, x);
  const int per_channel = wd.h * wd.w * wd.c;
  const auto real_w =
      conv::dequantize_per_channel(w, w_scales, [&](int k) { return k / per_channel; });
  std::vector<double> real_bias(od.c);
  for (int c = 0; c < od.c; ++c) real_bias[c] = double(bias[c]) * in_scale * w_scales[c];
  const auto ref =
      conv::conv_ref(conv::dequantize(x, in_scale), id, real_w, wd, real_bias, od, win);
  for (size_t k = 0; k < y.size(); ++k) {
    EXPECT_NEAR(y[k], conv::requantize(ref[k], out_scale, 0, -32768, 32767, Act::NONE), 1)
        << "element " << k;
  }
}

// A 16x8 CONV_2D summing 2·32767 + 24467 = 90001 and rescaling by 1/3, with `bias`.
std::vector<int16_t> run_16x8_one_third(int bias_type) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT16, {1, 1, 1, 2}, quant(1.0f, 0));
  const int filter = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 2}, {2, 1}, quant(1.0f, 0));
  int bias = -1;
  if (bias_type == 32) bias = b.constant<int32_t>(TensorType::INT32, {1}, {0});
  if (bias_type == 64) bias = b.constant<int64_t>(TensorType::INT64, {1}, {0});
  add_conv(b, in, filter, bias, TensorType::INT16, {1, 1, 1, 1}, quant(3.0f, 0),
           {Padding::VALID, 1, 1});
  return run_single<int16_t>(b, std::vector<int16_t>{32767, 24467});
}

TEST(Conv2D, Int16RescalesIn32BitsUnlessTheBiasIsInt64) {
  // TFLM picks the accumulator from the bias type. 90001 / 3 = 30000.33. The 32-bit path
  // (no bias or int32 bias) doubles and rounds twice: 90001 · (2/3 in Q31) = 60000.67 -> 60001,
  // then 60001 / 2 = 30000.5 -> 30001. The 64-bit path uses the 16-bit multiplier 21845:
  // (90001 · 21845 + 2^15) >> 16 = 30000.
  EXPECT_EQ(run_16x8_one_third(0), (std::vector<int16_t>{30001}));
  EXPECT_EQ(run_16x8_one_third(32), (std::vector<int16_t>{30001}));
  EXPECT_EQ(run_16x8_one_third(64), (std::vector<int16_t>{30000}));
}

// The refusal message of a CONV_2D built by `build`.
template <typename Build>
std::string conv_refusal(Build build) {
  ModelBuilder b;
  build(b);
  return refusal(b);
}

void expect_refusal(const std::string& message, const std::string& expected) {
  EXPECT_NE(message.find("op 0 (CONV_2D): " + expected), std::string::npos) << message;
}

TEST(Conv2D, RefusesMismatchedChannels) {
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 3});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {2, 3, 3, 3}, std::vector<float>(54, 1.0f));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 5}, {}, {Padding::SAME, 1, 1});
      }),
      "weights have 2 output channels but output has 5");
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 3});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {2, 3, 3, 2}, std::vector<float>(36, 1.0f));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 2}, {}, {Padding::SAME, 1, 1});
      }),
      "input has 3 channels, not a multiple of the weights' depth 2");
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 4});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {3, 3, 3, 2}, std::vector<float>(54, 1.0f));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 4, 4, 3}, {}, {Padding::SAME, 1, 1});
      }),
      "3 output channels do not split into the 2 groups");
}

TEST(Conv2D, RefusesBiasOfWrongSizeOrType) {
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 4, 4, 1});
        const int w = b.constant<float>(TensorType::FLOAT32, {2, 1, 1, 1}, {1, 2});
        const int bias = b.constant<float>(TensorType::FLOAT32, {3}, {1, 2, 3});
        add_conv(b, in, w, bias, TensorType::FLOAT32, {1, 4, 4, 2}, {}, {Padding::SAME, 1, 1});
      }),
      "bias tensor 2 't2' has 3 elements for 2 channels");
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT16, {1, 4, 4, 1}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {2, 1, 1, 1}, {1, 2}, quant(1.0f, 0));
        const int bias = b.constant<int16_t>(TensorType::INT16, {2}, {1, 2});
        add_conv(b, in, w, bias, TensorType::INT16, {1, 4, 4, 2}, quant(1.0f, 0),
                 {Padding::SAME, 1, 1});
      }),
      "bias tensor 2 't2' is int16, expected int32");
}

TEST(Conv2D, RefusesOutputOfTheWrongSizeAndBadStrides) {
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 5, 5, 1});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 3, 2, 1}, {}, {Padding::VALID, 2, 2});
      }),
      "output is 3x2 but a 3x3 filter with stride 2x2, dilation 1x1 and VALID padding "
      "over a 5x5 input gives 2x2");
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 5, 5, 1});
        const int w =
            b.constant<float>(TensorType::FLOAT32, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 5, 5, 1}, {}, {Padding::SAME, 0, 1});
      }),
      "stride 0x1 (height x width) must be positive");
}

TEST(Conv2D, RefusesHybridAndAsymmetricWeights) {
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::FLOAT32, {1, 2, 2, 1});
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        add_conv(b, in, w, -1, TensorType::FLOAT32, {1, 2, 2, 1}, {}, {Padding::SAME, 1, 1});
      }),
      "weights tensor 1 't1' is int8, expected float32");
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 4));
        add_conv(b, in, w, -1, TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0),
                 {Padding::SAME, 1, 1});
      }),
      "weights tensor 1 't1' has zero point 4 in channel 0");
  expect_refusal(conv_refusal([](ModelBuilder& b) {
                   const int in = b.tensor(TensorType::INT8, {1, 2, 2, 2}, quant(1.0f, 0));
                   const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 2}, {1, 1},
                                                    Quant{{1.0f, 2.0f}, {0, 0}, 3});
                   add_conv(b, in, w, -1, TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0),
                            {Padding::SAME, 1, 1});
                 }),
                 "weights tensor 1 't1' has 2 quantization scales for 1 output channels");
}

TEST(Conv2D, RefusesInt16ZeroPoints) {
  expect_refusal(
      conv_refusal([](ModelBuilder& b) {
        const int in = b.tensor(TensorType::INT16, {1, 2, 2, 1}, quant(1.0f, 5));
        const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, 1}, {1}, quant(1.0f, 0));
        add_conv(b, in, w, -1, TensorType::INT16, {1, 2, 2, 1}, quant(1.0f, 0),
                 {Padding::SAME, 1, 1});
      }),
      "input tensor 0 't0' has zero point 5, outside [0, 0]");
}

TEST(Conv2D, RefusesA64BitAccumulationTooDeepToRescaleExactly) {
  constexpr int kDepth = (1 << 24) + 1;
  if (sizeof(void*) < 8) GTEST_SKIP() << "builds a 16 MB model: more than a device test has";
  expect_refusal(conv_refusal([](ModelBuilder& b) {
                   const int in = b.tensor(TensorType::INT16, {1, 1, 1, kDepth}, quant(1.0f, 0));
                   const int w = b.constant<int8_t>(TensorType::INT8, {1, 1, 1, kDepth},
                                                    std::vector<int8_t>(kDepth, 1), quant(1.0f, 0));
                   const int bias = b.constant<int64_t>(TensorType::INT64, {1}, {0});
                   add_conv(b, in, w, bias, TensorType::INT16, {1, 1, 1, 1}, quant(1.0f, 0),
                            {Padding::VALID, 1, 1});
                 }),
                 "each output sums 16777217 products, more than the 2^24");
}

}  // namespace
}  // namespace mote::testing
