#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

// A one-op MEAN model.
void mean_model(ModelBuilder& b, TensorType type, const std::vector<std::int32_t>& shape,
                const std::vector<std::int32_t>& axes, const std::vector<std::int32_t>& out_shape,
                bool keep_dims, Quant in_q = {}, Quant out_q = {}) {
  const int in = b.tensor(type, shape, in_q);
  const int axis =
      b.constant<std::int32_t>(TensorType::INT32, {static_cast<std::int32_t>(axes.size())}, axes);
  const int out = b.tensor(type, out_shape, out_q);
  b.op(BuiltinOperator::MEAN, {in, axis}, {out}, tflite::BuiltinOptions::ReducerOptions,
       tflite::CreateReducerOptions(b.fbb(), keep_dims).Union(), 2);
  b.inputs({in});
  b.outputs({out});
}

// Independent reference in double: the mean of each output's elements, by coordinates.
std::vector<double> reference_mean(const std::vector<std::int32_t>& shape,
                                   const std::vector<double>& input,
                                   const std::vector<std::int32_t>& axes) {
  const int rank = static_cast<int>(shape.size());
  std::vector<bool> reduced(rank, false);
  for (auto a : axes) reduced[a < 0 ? a + rank : a] = true;
  std::vector<double> sums;
  std::vector<int> counts;
  std::size_t outputs = 1;
  for (int d = 0; d < rank; ++d) {
    if (!reduced[d]) outputs *= static_cast<std::size_t>(shape[d]);
  }
  sums.assign(outputs, 0.0);
  counts.assign(outputs, 0);
  for (std::size_t i = 0; i < input.size(); ++i) {
    std::size_t rest = i, out_index = 0, out_scale = 1;
    for (int d = rank - 1; d >= 0; --d) {
      const std::size_t c = rest % static_cast<std::size_t>(shape[d]);
      rest /= static_cast<std::size_t>(shape[d]);
      if (!reduced[d]) {
        out_index += c * out_scale;
        out_scale *= static_cast<std::size_t>(shape[d]);
      }
    }
    sums[out_index] += input[i];
    ++counts[out_index];
  }
  for (std::size_t o = 0; o < outputs; ++o) sums[o] /= counts[o];
  return sums;
}

TEST(Mean, FloatFourDimensionsOverHeightAndWidth) {
  // TFLM's own test data: [2, 2, 3, 2] averaged over axes 1 and 2.
  std::vector<float> input(24);
  for (int i = 0; i < 24; ++i) input[i] = static_cast<float>(i + 1);
  for (bool keep : {true, false}) {
    ModelBuilder b;
    mean_model(b, TensorType::FLOAT32, {2, 2, 3, 2}, {1, 2},
               keep ? std::vector<std::int32_t>{2, 1, 1, 2} : std::vector<std::int32_t>{2, 2},
               keep);
    EXPECT_EQ(run_single<float>(b, input), (std::vector<float>{6, 7, 18, 19})) << keep;
  }
}

TEST(Mean, FloatTwoDimensionsAndNegativeAndDuplicateAxes) {
  ModelBuilder b;
  mean_model(b, TensorType::FLOAT32, {2, 4}, {-1, 1}, {2}, false);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}),
            (std::vector<float>{2.5f, 6.5f}));
}

TEST(Mean, FloatSumsInTheInputsOrderInSinglePrecision) {
  // In float, 1e8 + 1 == 1e8: the running sum is 1e8, 1e8, 0, 1, so the mean is 0.25 (a
  // double-precision or pairwise sum would give 0.5).
  ModelBuilder b;
  mean_model(b, TensorType::FLOAT32, {1, 4}, {1}, {1, 1}, true);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1e8f, 1, -1e8f, 1}),
            (std::vector<float>{0.25f}));
}

TEST(Mean, FloatOuterAxis) {
  ModelBuilder b;
  mean_model(b, TensorType::FLOAT32, {3, 2}, {0}, {1, 2}, true);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 10, 2, 20, 6, 60}),
            (std::vector<float>{3, 30}));
}

TEST(Mean, Int8SameScaleRoundsTwiceAsTflm) {
  // Scale ratio 1 is multiplier 2^30, shift 1; folding 1/4 in gives shift -1, so each output is
  // RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(sum, 2^30), 1): two roundings, half
  // away from zero each. A sum of 1 becomes 1 (not round(0.25) = 0).
  ModelBuilder b;
  mean_model(b, TensorType::INT8, {6, 4}, {1}, {6, 1}, true, quant(0.5f, 0), quant(0.5f, 0));
  const std::vector<std::int8_t> input = {1,  0, 0, 0, 2,  0, 0, 0, 3,  0, 0, 0,
                                          -1, 0, 0, 0, -2, 0, 0, 0, -3, 0, 0, 0};
  // 1 -> SRDHM 1 -> RDBP 1; 2 -> 1 -> 1; 3 -> 2 -> 1; -1 -> 0 -> 0; -2 -> -1 -> -1; -3 -> -1 -> -1.
  EXPECT_EQ(run_single<std::int8_t>(b, input), (std::vector<std::int8_t>{1, 1, 1, 0, -1, -1}));
}

TEST(Mean, Int8SameScaleSubtractsTheZeroPoint) {
  // The same-scale case is no plain average of the stored values: TFLM takes the zero point out
  // and puts it back. zp 100, values 120 and 127: (20 + 27) / 2 = 23.5 -> 24 -> 124.
  ModelBuilder b;
  mean_model(b, TensorType::INT8, {2}, {0}, {}, false, quant(0.1f, 100), quant(0.1f, 100));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{120, 127}),
            (std::vector<std::int8_t>{124}));
}

TEST(Mean, Int8DifferentScalesExact) {
  // Ratio 0.5 / 0.25 = 2: multiplier 2^30, shift 2; over 2 elements, 2^30 and shift 1, which
  // is exactly x. (5 - 3) + (7 - 3) = 6, plus the output zero point -2.
  ModelBuilder b;
  mean_model(b, TensorType::INT8, {1, 2}, {1}, {1}, false, quant(0.5f, 3), quant(0.25f, -2));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{5, 7}),
            (std::vector<std::int8_t>{4}));
}

TEST(Mean, Int8SaturatesToTheOutputRange) {
  ModelBuilder b;
  mean_model(b, TensorType::INT8, {1, 2}, {1}, {1}, false, quant(1.0f, 0), quant(0.1f, 0));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{100, 50}),
            (std::vector<std::int8_t>{127}));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-100, -50}),
            (std::vector<std::int8_t>{-128}));
}

template <typename T>
void expect_within_one_lsb(const std::vector<std::int32_t>& shape,
                           const std::vector<std::int32_t>& axes,
                           const std::vector<std::int32_t>& out_shape, bool keep, float in_scale,
                           int in_zp, float out_scale, int out_zp, std::uint32_t seed) {
  const TensorType type = sizeof(T) == 1 ? TensorType::INT8 : TensorType::INT16;
  std::size_t n = 1;
  for (auto d : shape) n *= static_cast<std::size_t>(d);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(std::numeric_limits<T>::min(),
                                          std::numeric_limits<T>::max());
  std::vector<T> input(n);
  std::vector<double> real(n);
  for (std::size_t i = 0; i < n; ++i) {
    input[i] = static_cast<T>(dist(rng));
    real[i] = static_cast<double>(in_scale) * (input[i] - in_zp);
  }
  ModelBuilder b;
  mean_model(b, type, shape, axes, out_shape, keep, quant(in_scale, in_zp),
             quant(out_scale, out_zp));
  const auto actual = run_single<T>(b, input);
  const auto expected = reference_mean(shape, real, axes);
  ASSERT_EQ(actual.size(), expected.size());
  int exact = 0;
  for (std::size_t o = 0; o < actual.size(); ++o) {
    const double q = std::clamp(std::round(expected[o] / out_scale) + out_zp,
                                static_cast<double>(std::numeric_limits<T>::min()),
                                static_cast<double>(std::numeric_limits<T>::max()));
    EXPECT_LE(std::fabs(actual[o] - q), 1.0) << "output " << o;
    exact += actual[o] == q ? 1 : 0;
  }
  // Off by one only now and then, where two roundings meet.
  EXPECT_GE(exact * 10, static_cast<int>(actual.size()) * 8);
}

TEST(Mean, Int8NonTrivialScalesWithinOneLsbOfDouble) {
  expect_within_one_lsb<std::int8_t>({2, 5, 6, 3}, {1, 2}, {2, 1, 1, 3}, true, 0.037f, 11, 0.021f,
                                     -7, 1);
  expect_within_one_lsb<std::int8_t>({2, 5, 6, 3}, {0, 3}, {5, 6}, false, 0.05f, -20, 0.004f, 3, 2);
  expect_within_one_lsb<std::int8_t>({4, 3, 7}, {-1}, {4, 3}, false, 0.1f, 0, 0.3f, 0, 3);
  expect_within_one_lsb<std::int8_t>({3, 2, 2, 2, 5}, {4, 1}, {3, 1, 2, 2, 1}, true, 0.2f, 5, 0.2f,
                                     5, 4);
}

TEST(Mean, MobilenetGlobalAveragePool) {
  // The shape and quantization of mobilenet_v2's MEAN: int8 [1,7,7,C] over H and W, keep_dims,
  // input and output sharing scale 0.0705479 and zero point -9.
  expect_within_one_lsb<std::int8_t>({1, 7, 7, 40}, {1, 2}, {1, 1, 1, 40}, true, 0.0705479f, -9,
                                     0.0705479f, -9, 5);
  // keep_dims changes the shape only, never the bytes.
  std::vector<std::int8_t> input(7 * 7 * 8);
  for (std::size_t i = 0; i < input.size(); ++i) {
    input[i] = static_cast<std::int8_t>((i * 37) % 256 - 128);
  }
  ModelBuilder kept, dropped;
  mean_model(kept, TensorType::INT8, {1, 7, 7, 8}, {1, 2}, {1, 1, 1, 8}, true,
             quant(0.0705479f, -9), quant(0.0705479f, -9));
  mean_model(dropped, TensorType::INT8, {1, 7, 7, 8}, {2, 1}, {1, 8}, false, quant(0.0705479f, -9),
             quant(0.0705479f, -9));
  EXPECT_EQ(run_single<std::int8_t>(kept, input), run_single<std::int8_t>(dropped, input));
}

TEST(Mean, Int16NonTrivialScalesWithinOneLsbOfDouble) {
  expect_within_one_lsb<std::int16_t>({1, 6, 9, 4}, {1, 2}, {1, 1, 1, 4}, true, 0.00088f, 0,
                                      0.0004f, 0, 6);
  expect_within_one_lsb<std::int16_t>({5, 8}, {0}, {8}, false, 0.001f, 0, 0.003f, 0, 7);
}

TEST(Mean, Int16Exact) {
  // Same scale, 3 elements: multiplier 2^30 shift 1 becomes (2^30 << 1) / 3 = 715827882 with
  // shift 0; 30000 + 30000 + 29999 = 89999 -> SRDHM(89999, 715827882) = 29999.67 -> 30000.
  ModelBuilder b;
  mean_model(b, TensorType::INT16, {3}, {0}, {1}, true, quant(0.5f, 0), quant(0.5f, 0));
  EXPECT_EQ(run_single<std::int16_t>(b, std::vector<std::int16_t>{30000, 30000, 29999}),
            (std::vector<std::int16_t>{30000}));
}

std::string mean_refusal(TensorType type, std::vector<std::int32_t> shape,
                         std::vector<std::int32_t> axes, std::vector<std::int32_t> out_shape,
                         TensorType out_type, bool axis_is_input = false) {
  ModelBuilder b;
  const Quant q = type == TensorType::FLOAT32 ? Quant{} : quant(0.5f, 0);
  const int in = b.tensor(type, shape, q);
  const int axis = axis_is_input
                       ? b.tensor(TensorType::INT32, {1})
                       : b.constant<std::int32_t>(TensorType::INT32,
                                                  {static_cast<std::int32_t>(axes.size())}, axes);
  const int out = b.tensor(out_type, out_shape, q);
  b.op(BuiltinOperator::MEAN, {in, axis}, {out});
  if (axis_is_input) {
    b.inputs({in, axis});
  } else {
    b.inputs({in});
  }
  b.outputs({out});
  return refusal(b);
}

TEST(Mean, Refusals) {
  const auto f32 = TensorType::FLOAT32;
  EXPECT_NE(mean_refusal(f32, {2, 2, 2}, {0, 1, 2}, {1}, f32)
                .find("op 0 (MEAN): reduces 3 distinct axes; TFLM's MEAN reduces at most 2"),
            std::string::npos)
      << mean_refusal(f32, {2, 2, 2}, {0, 1, 2}, {1}, f32);
  EXPECT_NE(mean_refusal(f32, {1, 1, 1, 1, 1, 2}, {5}, {1}, f32)
                .find("input has 6 dimensions; TFLM's MEAN handles up to 5"),
            std::string::npos);
  EXPECT_NE(
      mean_refusal(f32, {2, 3}, {2}, {2}, f32).find("axis 2 is out of range for a rank-2 input"),
      std::string::npos);
  EXPECT_NE(mean_refusal(f32, {2, 3}, {-3}, {2}, f32).find("axis -3 is out of range"),
            std::string::npos);
  EXPECT_NE(mean_refusal(f32, {2, 3}, {1}, {3}, f32)
                .find("output has 3 elements; the reduction leaves 2"),
            std::string::npos);
  EXPECT_NE(mean_refusal(f32, {2, 3}, {1}, {2}, TensorType::INT8)
                .find("output tensor 2 't2' is int8, expected float32"),
            std::string::npos)
      << mean_refusal(f32, {2, 3}, {1}, {2}, TensorType::INT8);
  EXPECT_NE(mean_refusal(TensorType::INT32, {2, 3}, {1}, {2}, TensorType::INT32)
                .find("input type int32 is not supported (float32, int8, int16)"),
            std::string::npos);
  EXPECT_NE(mean_refusal(f32, {2, 3}, {1}, {2}, f32, true)
                .find("axis tensor 1 't1' is computed at run time"),
            std::string::npos);
}

TEST(Mean, RefusesAnUnquantizedInt8Output) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {2}, quant(0.5f, 0));
  const int axis = b.constant<std::int32_t>(TensorType::INT32, {1}, {0});
  const int out = b.tensor(TensorType::INT8, {1});
  b.op(BuiltinOperator::MEAN, {in, axis}, {out});
  b.inputs({in});
  b.outputs({out});
  EXPECT_NE(refusal(b).find("output tensor 2 't2' has 0 quantization scales"), std::string::npos)
      << refusal(b);
}

}  // namespace
}  // namespace mote::testing
