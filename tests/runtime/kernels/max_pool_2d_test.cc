#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
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

void build(ModelBuilder& b, TensorType type, std::vector<int32_t> in_shape,
           std::vector<int32_t> out_shape, const Pool& p, Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(type, std::move(in_shape), std::move(in_q));
  const int out = b.tensor(type, std::move(out_shape), std::move(out_q));
  const auto options = tflite::CreatePool2DOptions(b.fbb(), p.padding, p.stride_w, p.stride_h,
                                                   p.filter_w, p.filter_h, p.act);
  b.op(BuiltinOperator::MAX_POOL_2D, {in}, {out}, tflite::BuiltinOptions::Pool2DOptions,
       options.Union(), 2);
  b.inputs({in});
  b.outputs({out});
}

TEST(MaxPool2d, FloatValid) {
  ModelBuilder b;
  Pool p;
  p.filter_h = p.filter_w = p.stride_h = p.stride_w = 2;
  build(b, TensorType::FLOAT32, {1, 2, 4, 1}, {1, 1, 2, 1}, p);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{0, 6, 2, 4, 3, 2, 10, 1}),
            (std::vector<float>{6, 10}));
}

TEST(MaxPool2d, PaddingCellsAreNotCandidates) {
  // All inputs negative with SAME padding: treating padding as 0 would output 0 at the borders.
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 3;
  build(b, TensorType::INT8, {1, 3, 3, 1}, {1, 3, 3, 1}, p, quant(1.0f, 0), quant(1.0f, 0));
  const auto y = run_single<int8_t>(b, std::vector<int8_t>{-9, -8, -7, -6, -5, -4, -3, -2, -100});
  // Each output is the largest of its clipped window: the top-left window holds -9, -8, -6, -5.
  EXPECT_EQ(y, (std::vector<int8_t>{-5, -4, -4, -2, -2, -2, -2, -2, -2}));
}

TEST(MaxPool2d, SameOddSizeStrideTwo) {
  // 5x5 input holding its own index, 3x3 window, stride 2: the maxima are the bottom-right cells
  // of each clipped window: rows/cols {1, 3, 4}.
  ModelBuilder b;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = p.filter_w = 3;
  p.stride_h = p.stride_w = 2;
  build(b, TensorType::FLOAT32, {1, 5, 5, 1}, {1, 3, 3, 1}, p);
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[i] = static_cast<float>(i);
  EXPECT_EQ(run_single<float>(b, x), (std::vector<float>{6, 8, 9, 16, 18, 19, 21, 23, 24}));
}

TEST(MaxPool2d, StrideLargerThanFilter) {
  ModelBuilder b;
  Pool p;
  p.filter_w = 2;
  p.stride_w = 3;
  build(b, TensorType::INT16, {1, 1, 5, 2}, {1, 1, 2, 2}, p, quant(1.0f, 0), quant(1.0f, 0));
  // Channels interleaved; column 2 (holding the largest values) is never covered.
  EXPECT_EQ(run_single<int16_t>(b, std::vector<int16_t>{1, -1, 3, -3, 32000, 32000, -5, 5, -7, 7}),
            (std::vector<int16_t>{3, -1, -5, 7}));
}

TEST(MaxPool2d, FusedActivationClampsTheMaximum) {
  Pool p;
  p.filter_w = 2;
  p.stride_w = 2;
  p.act = ActivationFunctionType::RELU_N1_TO_1;
  ModelBuilder b;
  build(b, TensorType::FLOAT32, {1, 1, 6, 1}, {1, 1, 3, 1}, p);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{-4, -3, 0.5f, 0.25f, 2, 7}),
            (std::vector<float>{-1, 0.5f, 1}));

  // int8 ReLU6 with scale 0.1, zero point -100: range [-100, -40].
  p.act = ActivationFunctionType::RELU6;
  ModelBuilder q;
  build(q, TensorType::INT8, {1, 1, 6, 1}, {1, 1, 3, 1}, p, quant(0.1f, -100), quant(0.1f, -100));
  EXPECT_EQ(run_single<int8_t>(q, std::vector<int8_t>{-128, -120, -70, -90, 100, 0}),
            (std::vector<int8_t>{-100, -70, -40}));
}

TEST(MaxPool2d, MatchesPlainReferenceOnRandomData) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> dist(-128, 127);
  const int h = 6, w = 7, c = 2;
  Pool p;
  p.padding = Padding::SAME;
  p.filter_h = 2;
  p.filter_w = 4;
  p.stride_h = 3;
  p.stride_w = 2;
  // out = ceil(6/3) = 2 rows (overhang (2-1)·3 + 2 - 6 < 0: no padding); ceil(7/2) = 4 columns
  // (overhang 3·2 + 4 - 7 = 3: one column of padding before).
  std::vector<int8_t> x;
  for (int i = 0; i < h * w * c; ++i) x.push_back(static_cast<int8_t>(dist(rng)));
  std::vector<int8_t> expected;
  for (int oy = 0; oy < 2; ++oy) {
    for (int ox = 0; ox < 4; ++ox) {
      for (int ch = 0; ch < c; ++ch) {
        int m = std::numeric_limits<int>::min();
        for (int fy = 0; fy < p.filter_h; ++fy) {
          for (int fx = 0; fx < p.filter_w; ++fx) {
            const int iy = oy * 3 + fy, ix = ox * 2 - 1 + fx;
            if (iy < h && ix >= 0 && ix < w) m = std::max<int>(m, x[(iy * w + ix) * c + ch]);
          }
        }
        expected.push_back(static_cast<int8_t>(m));
      }
    }
  }
  ModelBuilder b;
  build(b, TensorType::INT8, {1, h, w, c}, {1, 2, 4, c}, p, quant(0.3f, 5), quant(0.3f, 5));
  EXPECT_EQ(run_single<int8_t>(b, x), expected);
}

TEST(MaxPool2d, RefusesDifferentZeroPoints) {
  ModelBuilder b;
  build(b, TensorType::INT16, {1, 2, 2, 1}, {1, 2, 2, 1}, Pool{}, quant(0.5f, 0), quant(0.5f, 2));
  EXPECT_NE(refusal(b).find("op 0 (MAX_POOL_2D): input (scale 0.500000, zero point 0) and output"),
            std::string::npos)
      << refusal(b);
}

TEST(MaxPool2d, RefusesTypeMismatch) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 2, 2, 1}, quant(1.0f, 0));
  const int out = b.tensor(TensorType::INT16, {1, 2, 2, 1}, quant(1.0f, 0));
  const auto options = tflite::CreatePool2DOptions(b.fbb(), Padding::VALID, 1, 1, 1, 1);
  b.op(BuiltinOperator::MAX_POOL_2D, {in}, {out}, tflite::BuiltinOptions::Pool2DOptions,
       options.Union());
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("output tensor 1 't1' is int16, expected int8"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
