#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

std::vector<std::int32_t> permuted(const std::vector<std::int32_t>& shape,
                                   const std::vector<std::int32_t>& perm) {
  std::vector<std::int32_t> out(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = shape[perm[i]];
  return out;
}

void transpose_model(ModelBuilder& b, TensorType type, const std::vector<std::int32_t>& shape,
                     const std::vector<std::int32_t>& perm, Quant q = {}) {
  const int in = b.tensor(type, shape, q);
  const int p =
      b.constant<std::int32_t>(TensorType::INT32, {static_cast<std::int32_t>(perm.size())}, perm);
  const int out = b.tensor(type, permuted(shape, perm), q);
  b.op(BuiltinOperator::TRANSPOSE, {in, p}, {out});
  b.inputs({in});
  b.outputs({out});
}

// Independent reference: for every input coordinate, the output coordinate k is input
// coordinate perm[k]; place the value there.
template <typename T>
std::vector<T> reference_transpose(const std::vector<std::int32_t>& shape,
                                   const std::vector<T>& input,
                                   const std::vector<std::int32_t>& perm) {
  const auto out_shape = permuted(shape, perm);
  const std::size_t rank = shape.size();
  std::vector<T> out(input.size());
  std::vector<std::size_t> coord(rank);
  for (std::size_t i = 0; i < input.size(); ++i) {
    std::size_t rest = i;
    for (std::size_t d = rank; d-- > 0;) {
      coord[d] = rest % static_cast<std::size_t>(shape[d]);
      rest /= static_cast<std::size_t>(shape[d]);
    }
    std::size_t o = 0;
    for (std::size_t k = 0; k < rank; ++k) {
      o = o * static_cast<std::size_t>(out_shape[k]) + coord[perm[k]];
    }
    out[o] = input[i];
  }
  return out;
}

TEST(Transpose, FloatMatrix) {
  ModelBuilder b;
  transpose_model(b, TensorType::FLOAT32, {2, 3}, {1, 0});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6}),
            (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(Transpose, Int8NchwToNhwcLikeMobilenet) {
  // [1, 2 channels, 2, 2] -> [1, 2, 2, 2 channels]: channel values interleave.
  ModelBuilder b;
  transpose_model(b, TensorType::INT8, {1, 2, 2, 2}, {0, 2, 3, 1}, quant(0.0186f, -14));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{1, 2, 3, 4, -1, -2, -3, -4}),
            (std::vector<std::int8_t>{1, -1, 2, -2, 3, -3, 4, -4}));
}

TEST(Transpose, EveryPermutationAtRanksOneToFive) {
  const std::vector<std::int32_t> dims = {2, 3, 4, 2, 3};
  for (int rank = 1; rank <= 5; ++rank) {
    const std::vector<std::int32_t> shape(dims.begin(), dims.begin() + rank);
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    std::vector<std::int16_t> input(n);
    for (std::size_t i = 0; i < n; ++i) input[i] = static_cast<std::int16_t>(i * 7 - 500);
    std::vector<std::int32_t> perm(rank);
    std::iota(perm.begin(), perm.end(), 0);
    int count = 0;
    do {
      ModelBuilder b;
      transpose_model(b, TensorType::INT16, shape, perm);
      ASSERT_EQ(run_single<std::int16_t>(b, input), reference_transpose(shape, input, perm))
          << "rank " << rank << " permutation #" << count;
      ++count;
    } while (std::next_permutation(perm.begin(), perm.end()));
    const int factorial[] = {1, 2, 6, 24, 120};
    EXPECT_EQ(count, factorial[rank - 1]);
  }
}

TEST(Transpose, FloatRankFiveAgainstReference) {
  const std::vector<std::int32_t> shape = {3, 1, 2, 4, 2};
  const std::vector<std::int32_t> perm = {4, 2, 0, 3, 1};
  std::vector<float> input(48);
  for (int i = 0; i < 48; ++i) input[i] = 0.5f * static_cast<float>(i) - 3.0f;
  ModelBuilder b;
  transpose_model(b, TensorType::FLOAT32, shape, perm);
  EXPECT_EQ(run_single<float>(b, input), reference_transpose(shape, input, perm));
}

std::string transpose_refusal(TensorType type, std::vector<std::int32_t> shape,
                              std::vector<std::int32_t> perm, std::vector<std::int32_t> out_shape,
                              bool perm_is_input = false) {
  ModelBuilder b;
  const int in = b.tensor(type, shape);
  const auto rank = static_cast<std::int32_t>(perm.size());
  const int p = perm_is_input ? b.tensor(TensorType::INT32, {rank})
                              : b.constant<std::int32_t>(TensorType::INT32, {rank}, perm);
  const int out = b.tensor(type, out_shape);
  b.op(BuiltinOperator::TRANSPOSE, {in, p}, {out});
  if (perm_is_input) {
    b.inputs({in, p});
  } else {
    b.inputs({in});
  }
  b.outputs({out});
  return refusal(b);
}

TEST(Transpose, Refusals) {
  const auto f32 = TensorType::FLOAT32;
  EXPECT_NE(transpose_refusal(f32, {1, 1, 1, 1, 1, 2}, {5, 4, 3, 2, 1, 0}, {2, 1, 1, 1, 1, 1})
                .find("op 0 (TRANSPOSE): input has 6 dimensions; TFLM transposes up to 5"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(TensorType::INT32, {2, 3}, {1, 0}, {3, 2})
                .find("input type int32 is not supported (TFLM transposes float32, int8, int16)"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(f32, {2, 3}, {1, 1}, {3, 3})
                .find("permutation entry 1 is 1; a permutation of 0..1 is needed"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(f32, {2, 3}, {0, 2}, {2, 3}).find("permutation entry 1 is 2"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(f32, {2, 3}, {1, 0, 2}, {3, 2})
                .find("permutation tensor 1 't1' has 3 values, expected 2"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(f32, {2, 3}, {1, 0}, {2, 3})
                .find("output tensor 2 't2' has shape [2,3], expected [3,2]"),
            std::string::npos);
  EXPECT_NE(transpose_refusal(f32, {2, 3}, {1, 0}, {3, 2}, true).find("computed at run time"),
            std::string::npos);
}

}  // namespace
}  // namespace mote::testing
