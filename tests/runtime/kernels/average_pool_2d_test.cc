#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::ActivationFunctionType;
using tflite::BuiltinOperator;
using tflite::Padding;
using tflite::TensorType;

struct Pool {
  Padding padding = Padding::VALID;
  int stride_h = 1, stride_w = 1, filter_h = 1, filter_w = 1;
  ActivationFunctionType act = ActivationFunctionType::NONE;
};

// One AVERAGE_POOL_2D op from `in_shape` to `out_shape`.
void build(ModelBuilder& b, TensorType type, std::vector<int32_t> in_shape,
           std::vector<int32_t> out_shape, const Pool& p, Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(type, std::move(in_shape), std::move(in_q));
  const int out = b.tensor(type, std::move(out_shape), std::move(out_q));
  const auto options = tflite::CreatePool2DOptions(b.fbb(), p.padding, p.stride_w, p.stride_h,
                                                   p.filter_w, p.filter_h, p.act);
  b.op(BuiltinOperator::AVERAGE_POOL_2D, {in}, {out}, tflite::BuiltinOptions::Pool2DOptions,
       options.Union(), 2);
  b.inputs({in});
  b.outputs({out});
}

// Plain reference: mean over the window cells inside the input, in double. Padding is derived
// here from TensorFlow's documented definition (output = ceil(in / stride) for SAME, the overhang
// split with the smaller half first).
std::vector<double> reference(const std::vector<double>& x, int h, int w, int c, const Pool& p,
                              int* out_h, int* out_w) {
  auto axis = [&](int in, int f, int s, int* out, int* pad) {
    if (p.padding == Padding::SAME) {
      *out = (in + s - 1) / s;
      *pad = std::max(0, (*out - 1) * s + f - in) / 2;
    } else {
      *out = (in - f) / s + 1;
      *pad = 0;
    }
  };
  int pad_h, pad_w;
  axis(h, p.filter_h, p.stride_h, out_h, &pad_h);
  axis(w, p.filter_w, p.stride_w, out_w, &pad_w);
  std::vector<double> y;
  for (int oy = 0; oy < *out_h; ++oy) {
    for (int ox = 0; ox < *out_w; ++ox) {
      for (int ch = 0; ch < c; ++ch) {
        double sum = 0;
        int n = 0;
        for (int fy = 0; fy < p.filter_h; ++fy) {
          for (int fx = 0; fx < p.filter_w; ++fx) {
            const int iy = oy * p.stride_h - pad_h + fy, ix = ox * p.stride_w - pad_w + fx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            sum += x[(iy * w + ix) * c + ch];
            ++n;
          }
        }
        y.push_back(sum / n);
      }
    }
  }
  return y;
}

TEST(AveragePool2d, FloatValidTwoByTwo) {
  ModelBuilder b;
  Pool p;
  p.stride_h = p.stride_w = p.filter_h = p.filter_w = 2;
  build(b, TensorType::FLOAT32, {1, 2, 4, 1}, {1, 1, 2, 1}, p);
  const auto y = run_single<float>(b, std::vector<float>{0, 6, 2, 4, 3, 2, 10, 1});
  // (0 + 6 + 3 + 2) / 4 and (2 + 4 + 10 + 1) / 4.
  EXPECT_EQ(y, (std::vector<float>{2.75f, 4.25f}));
}

TEST(AveragePool2d, SamePaddingAveragesOnlyRealCells) {
  // 3x3 input, 3x3 window, stride 1: one cell of padding all round. Corners average 4 cells,
  // edges 6, the centre 9; counting padding as zeros would give 4/9, 6/9 of these.
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 3;
  build(b, TensorType::INT8, {1, 3, 3, 1}, {1, 3, 3, 1}, p, quant(1.0f, 0), quant(1.0f, 0));
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{9, 9, 9, 9, 9, 9, 9, 9, 9});
  EXPECT_EQ(y, (std::vector<int8_t>(9, 9)));
  const auto z = run_single<int8_t>(b, std::vector<int8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  // Top-left (1+2+4+5)/4 = 3; top (1+2+3+4+5+6)/6 = 3.5 -> 4; centre 45/9 = 5; right edge
  // (2+3+5+6+8+9)/6 = 5.5 -> 6; bottom-right (5+6+8+9)/4 = 7.
  EXPECT_EQ(z, (std::vector<int8_t>{3, 4, 4, 5, 5, 6, 6, 7, 7}));
}

TEST(AveragePool2d, SamePaddingOnOddSizeWithStrideTwo) {
  // 5x5, 3x3 window, stride 2: output 3x3, padding 1 before (overhang 2 split evenly).
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 3;
  p.stride_h = p.stride_w = 2;
  build(b, TensorType::FLOAT32, {1, 5, 5, 1}, {1, 3, 3, 1}, p);
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[i] = static_cast<float>(i);
  const auto y = run_single<float>(b, x);
  // Output (0,0) covers rows/cols 0..1: (0+1+5+6)/4 = 3; (0,1) covers rows 0..1, cols 1..3:
  // (1+2+3+6+7+8)/6 = 4.5; (1,1) covers rows 1..3, cols 1..3: mean 12; (2,2) rows/cols 3..4:
  // (18+19+23+24)/4 = 21.
  EXPECT_FLOAT_EQ(y[0], 3.0f);
  EXPECT_FLOAT_EQ(y[1], 4.5f);
  EXPECT_FLOAT_EQ(y[4], 12.0f);
  EXPECT_FLOAT_EQ(y[8], 21.0f);
}

TEST(AveragePool2d, SamePaddingOverhangOfOneGoesAfterTheInput) {
  // 3 columns, 2-wide window, stride 2: output 2, overhang 1, so no padding before and the last
  // window holds one real cell.
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_w = 2;
  p.stride_w = 2;
  build(b, TensorType::FLOAT32, {1, 1, 3, 1}, {1, 1, 2, 1}, p);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{2, 4, 9}), (std::vector<float>{3, 9}));
}

TEST(AveragePool2d, StrideLargerThanFilterSkipsCells) {
  // 5 columns, 2-wide window, stride 3, VALID: windows at columns 0..1 and 3..4; column 2 unused.
  ModelBuilder b;
  Pool p;
  p.filter_w = 2;
  p.stride_w = 3;
  build(b, TensorType::FLOAT32, {1, 1, 5, 1}, {1, 1, 2, 1}, p);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 3, 1000, 5, 7}), (std::vector<float>{2, 6}));
}

TEST(AveragePool2d, Int8RoundsHalfAwayFromZero) {
  // Windows of 2 cells along the width: sums 3, -3, 1, -1, 5, -5 over 2.
  ModelBuilder b;
  Pool p;
  p.filter_w = 2;
  p.stride_w = 2;
  build(b, TensorType::INT8, {1, 1, 12, 1}, {1, 1, 6, 1}, p, quant(0.5f, 0), quant(0.5f, 0));
  const auto y =
      run_single<int8_t>(b, std::vector<int8_t>{1, 2, -1, -2, 0, 1, 0, -1, 2, 3, -2, -3});
  EXPECT_EQ(y, (std::vector<int8_t>{2, -2, 1, -1, 3, -3}));
}

TEST(AveragePool2d, Int8QuarterRemaindersRoundToNearest) {
  // 2x2 windows: 5/4 = 1.25 -> 1, -5/4 -> -1, 7/4 = 1.75 -> 2, -7/4 -> -2, -2/4 = -0.5 -> -1.
  ModelBuilder b;
  Pool p;
  p.filter_h = p.filter_w = p.stride_h = p.stride_w = 2;
  build(b, TensorType::INT8, {1, 2, 10, 1}, {1, 1, 5, 1}, p, quant(1.0f, 3), quant(1.0f, 3));
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{2, 1, -2, -1, 2, 2, -2, -2, -1, 0,  //
                                                           1, 1, -1, -1, 1, 2, -1, -2, -1, 0});
  EXPECT_EQ(y, (std::vector<int8_t>{1, -1, 2, -2, -1}));
}

TEST(AveragePool2d, Int8MatchesDoubleReferenceOnRandomData) {
  std::mt19937 rng(7);
  for (const Padding padding : {Padding::SAME, Padding::VALID}) {
    Pool p;
    p.padding = padding;
    p.filter_h = 3;
    p.filter_w = 2;
    p.stride_h = 2;
    p.stride_w = 1;
    const int h = 7, w = 5, c = 3;
    std::vector<double> xd;
    std::vector<int8_t> x;
    std::uniform_int_distribution<int> dist(-128, 127);
    for (int i = 0; i < h * w * c; ++i) {
      x.push_back(static_cast<int8_t>(dist(rng)));
      xd.push_back(x.back());
    }
    int oh, ow;
    const auto expected = reference(xd, h, w, c, p, &oh, &ow);
    ModelBuilder b;
    build(b, TensorType::INT8, {1, h, w, c}, {1, oh, ow, c}, p, quant(0.1f, -4), quant(0.1f, -4));
    const auto y = run_single<int8_t>(b, x);
    ASSERT_EQ(y.size(), expected.size());
    for (size_t i = 0; i < y.size(); ++i) {
      // std::round rounds halves away from zero, as TFLite's integer average does.
      EXPECT_EQ(y[i], static_cast<int8_t>(std::round(expected[i]))) << i;
    }
  }
}

TEST(AveragePool2d, FloatMatchesReferenceWithBatches) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-10.0f, 10.0f);
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 2;
  p.stride_h = p.stride_w = 2;
  const int h = 5, w = 3, c = 2;
  std::vector<float> x;
  for (int i = 0; i < 2 * h * w * c; ++i) x.push_back(dist(rng));
  int oh, ow;
  ModelBuilder b;
  std::vector<double> first(x.begin(), x.begin() + h * w * c);
  std::vector<double> second(x.begin() + h * w * c, x.end());
  auto e1 = reference(first, h, w, c, p, &oh, &ow);
  const auto e2 = reference(second, h, w, c, p, &oh, &ow);
  e1.insert(e1.end(), e2.begin(), e2.end());
  build(b, TensorType::FLOAT32, {2, h, w, c}, {2, oh, ow, c}, p);
  const auto y = run_single<float>(b, x);
  ASSERT_EQ(y.size(), e1.size());
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], e1[i], 1e-5) << i;
}

TEST(AveragePool2d, FusedActivations) {
  Pool p;
  p.filter_w = 2;
  p.stride_w = 2;
  p.act = ActivationFunctionType::RELU6;
  ModelBuilder b;
  build(b, TensorType::FLOAT32, {1, 1, 6, 1}, {1, 1, 3, 1}, p);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{-4, 1, 20, 0, 3, 4}),
            (std::vector<float>{0, 6, 3.5f}));

  // int8 ReLU clamps at the zero point (-10 here): averages -15 -> -10, 12 stays.
  p.act = ActivationFunctionType::RELU;
  ModelBuilder q;
  build(q, TensorType::INT8, {1, 1, 4, 1}, {1, 1, 2, 1}, p, quant(0.5f, -10), quant(0.5f, -10));
  EXPECT_EQ(run_single<int8_t>(q, std::vector<int8_t>{-20, -10, 10, 14}),
            (std::vector<int8_t>{-10, 12}));
}

TEST(AveragePool2d, Int16) {
  Pool p;
  p.filter_h = p.filter_w = 2;
  p.stride_h = p.stride_w = 2;
  ModelBuilder b;
  build(b, TensorType::INT16, {1, 2, 2, 2}, {1, 1, 1, 2}, p, quant(1e-3f, 0), quant(1e-3f, 0));
  // Channel 0: (30000 + 30001 + 30002 + 30001) / 4 = 30001; channel 1: -30001.5 -> -30002.
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{30000, -30000, 30001, -30001, 30002, -30002,
                                                        30001, -30003}),
            (std::vector<int16_t>{30001, -30002}));
}

TEST(AveragePool2d, RefusesMismatchedOutputShape) {
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 3;
  p.stride_h = p.stride_w = 2;
  build(b, TensorType::FLOAT32, {1, 5, 5, 1}, {1, 2, 2, 1}, p);
  EXPECT_NE(refusal(b).find("the windows give [1,3,3,1]"), std::string::npos) << refusal(b);
}

TEST(AveragePool2d, RefusesDifferentQuantizationOnBothSides) {
  ModelBuilder b;
  build(b, TensorType::INT8, {1, 2, 2, 1}, {1, 2, 2, 1}, Pool{}, quant(0.5f, 0), quant(0.25f, 0));
  EXPECT_NE(refusal(b).find("must share their quantization"), std::string::npos) << refusal(b);
  ModelBuilder z;
  build(z, TensorType::INT8, {1, 2, 2, 1}, {1, 2, 2, 1}, Pool{}, quant(0.5f, 0), quant(0.5f, 1));
  EXPECT_NE(refusal(z).find("must share their quantization"), std::string::npos) << refusal(z);
}

TEST(AveragePool2d, RefusesBadOptionsAndTypes) {
  Pool zero_stride;
  zero_stride.stride_w = 0;
  ModelBuilder a;
  build(a, TensorType::FLOAT32, {1, 2, 2, 1}, {1, 2, 2, 1}, zero_stride);
  EXPECT_NE(refusal(a).find("stride 1x0 must be at least 1"), std::string::npos) << refusal(a);

  Pool too_wide;
  too_wide.filter_w = 5;  // 2 + 1 - 5 < 0: a negative VALID output size
  ModelBuilder v;
  build(v, TensorType::FLOAT32, {1, 2, 2, 1}, {1, 2, 1, 1}, too_wide);
  EXPECT_NE(refusal(v).find("with VALID padding does not fit input"), std::string::npos)
      << refusal(v);

  Pool tanh;
  tanh.act = ActivationFunctionType::TANH;
  ModelBuilder t;
  build(t, TensorType::FLOAT32, {1, 2, 2, 1}, {1, 2, 2, 1}, tanh);
  EXPECT_NE(refusal(t).find("fused activation TANH is not supported"), std::string::npos)
      << refusal(t);

  ModelBuilder r;
  build(r, TensorType::FLOAT32, {2, 2, 1}, {2, 2, 1}, Pool{});
  EXPECT_NE(refusal(r).find("has rank 3, expected 4"), std::string::npos) << refusal(r);

  ModelBuilder i32;
  build(i32, TensorType::INT32, {1, 2, 2, 1}, {1, 2, 2, 1}, Pool{});
  EXPECT_NE(refusal(i32).find("input type int32 is not supported"), std::string::npos)
      << refusal(i32);

  ModelBuilder no_options;
  const int in = no_options.tensor(TensorType::FLOAT32, {1, 2, 2, 1});
  const int out = no_options.tensor(TensorType::FLOAT32, {1, 2, 2, 1});
  no_options.op(BuiltinOperator::AVERAGE_POOL_2D, {in}, {out});
  no_options.inputs({in});
  no_options.outputs({out});
  EXPECT_NE(refusal(no_options).find("op 0 (AVERAGE_POOL_2D): has no Pool2DOptions"),
            std::string::npos)
      << refusal(no_options);
}

TEST(AveragePool2d, RefusesWindowsWhoseSumCanOverflow) {
  Pool p;
  p.filter_h = 256;
  p.filter_w = 257;
  ModelBuilder b;
  build(b, TensorType::INT16, {1, 256, 257, 1}, {1, 1, 1, 1}, p, quant(1.0f, 0), quant(1.0f, 0));
  EXPECT_NE(refusal(b).find("a 256x257 window can overflow the 32-bit sum"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
