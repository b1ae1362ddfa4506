#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

struct Slice {
  std::vector<std::int32_t> begin, end, strides;
  int begin_mask = 0, end_mask = 0, shrink_mask = 0;
  int ellipsis_mask = 0, new_axis_mask = 0;
  bool offset = false;
};

void slice_model(ModelBuilder& b, TensorType type, const std::vector<std::int32_t>& shape,
                 const Slice& s, const std::vector<std::int32_t>& out_shape) {
  const int in = b.tensor(type, shape);
  const auto n = static_cast<std::int32_t>(s.begin.size());
  const int begin = b.constant<std::int32_t>(TensorType::INT32, {n}, s.begin);
  const int end = b.constant<std::int32_t>(TensorType::INT32, {n}, s.end);
  const int strides = b.constant<std::int32_t>(TensorType::INT32, {n}, s.strides);
  const int out = b.tensor(type, out_shape);
  b.op(BuiltinOperator::STRIDED_SLICE, {in, begin, end, strides}, {out},
       tflite::BuiltinOptions::StridedSliceOptions,
       tflite::CreateStridedSliceOptions(b.fbb(), s.begin_mask, s.end_mask, s.ellipsis_mask,
                                         s.new_axis_mask, s.shrink_mask, s.offset)
           .Union(),
       2);
  b.inputs({in});
  b.outputs({out});
}

std::vector<std::int32_t> iota_values(const std::vector<std::int32_t>& shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= static_cast<std::size_t>(d);
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  return v;
}

std::vector<std::int32_t> run_slice(const std::vector<std::int32_t>& shape, const Slice& s,
                                    const std::vector<std::int32_t>& out_shape) {
  ModelBuilder b;
  slice_model(b, TensorType::INT32, shape, s, out_shape);
  return run_single<std::int32_t>(b, iota_values(shape));
}

using V = std::vector<std::int32_t>;

// ---- Hand-worked cases on x = [0, 1, ..., 7].

TEST(StridedSlice, OneDimensionHandWorked) {
  const V x = {8};
  EXPECT_EQ(run_slice(x, {{1}, {5}, {1}}, {4}), (V{1, 2, 3, 4}));
  EXPECT_EQ(run_slice(x, {{1}, {7}, {2}}, {3}), (V{1, 3, 5}));
  EXPECT_EQ(run_slice(x, {{-3}, {-1}, {1}}, {2}), (V{5, 6}));        // negative indices
  EXPECT_EQ(run_slice(x, {{6}, {1}, {-2}}, {3}), (V{6, 4, 2}));      // negative stride
  EXPECT_EQ(run_slice(x, {{-100}, {100}, {3}}, {3}), (V{0, 3, 6}));  // clamped to the axis
  EXPECT_EQ(run_slice(x, {{100}, {-100}, {-3}}, {3}), (V{7, 4, 1}));
}

TEST(StridedSlice, OneDimensionMasks) {
  const V x = {8};
  Slice s{{5}, {3}, {1}};
  s.begin_mask = 1;  // begin ignored: from the first element
  EXPECT_EQ(run_slice(x, s, {3}), (V{0, 1, 2}));
  s = {{5}, {0}, {1}};
  s.end_mask = 1;  // end ignored: to the last element
  EXPECT_EQ(run_slice(x, s, {3}), (V{5, 6, 7}));
  s = {{2}, {2}, {-1}};
  s.begin_mask = s.end_mask = 1;  // the whole axis, backwards
  EXPECT_EQ(run_slice(x, s, {8}), (V{7, 6, 5, 4, 3, 2, 1, 0}));
  s = {{0}, {1}, {-3}};
  s.begin_mask = 1;  // backwards from the last element, stopping before index 1
  EXPECT_EQ(run_slice(x, s, {2}), (V{7, 4}));
  s = {{3}, {0}, {1}};
  s.shrink_mask = 1;  // x[3]: a scalar
  EXPECT_EQ(run_slice(x, s, {}), (V{3}));
  s = {{-2}, {0}, {1}};
  s.shrink_mask = 1;  // x[-2]
  EXPECT_EQ(run_slice(x, s, {}), (V{6}));
  s = {{4}, {2}, {1}};  // end before begin: nothing
  EXPECT_EQ(run_slice(x, s, {0}), (V{}));
}

// ---- Hand-worked cases on x[r][c] = 4r + c, shape [3, 4].

TEST(StridedSlice, TwoDimensionsHandWorked) {
  const V x = {3, 4};
  EXPECT_EQ(run_slice(x, {{0, 1}, {2, 3}, {1, 1}}, {2, 2}), (V{1, 2, 5, 6}));
  Slice s{{1, 0}, {2, 4}, {1, 1}};
  s.shrink_mask = 1;  // x[1, :]
  EXPECT_EQ(run_slice(x, s, {4}), (V{4, 5, 6, 7}));
  s = {{0, 2}, {3, 3}, {1, 1}};
  s.shrink_mask = 2;  // x[:, 2]
  EXPECT_EQ(run_slice(x, s, {3}), (V{2, 6, 10}));
  s = {{2, 3}, {0, 0}, {1, 1}};
  s.shrink_mask = 3;  // x[2, 3]
  EXPECT_EQ(run_slice(x, s, {}), (V{11}));
  s = {{2, 1}, {2, 0}, {1, 1}};
  s.begin_mask = 1;  // x[:2, 1:]
  s.end_mask = 2;
  EXPECT_EQ(run_slice(x, s, {2, 3}), (V{1, 2, 3, 5, 6, 7}));
  s = {{-1, -1}, {-4, -5}, {-1, -1}};  // x[::-1, ::-1] written with explicit indices
  EXPECT_EQ(run_slice(x, s, {3, 4}), (V{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  s = {{0, 0}, {0, 0}, {2, -2}};
  s.begin_mask = s.end_mask = 3;  // x[::2, ::-2]
  EXPECT_EQ(run_slice(x, s, {2, 2}), (V{3, 1, 11, 9}));
  s = {{1, 3}, {0, 0}, {1, -1}};
  s.shrink_mask = 1;  // x[1, 3::-1]... shrink on axis 0, backwards on axis 1 to the start
  s.end_mask = 2;
  EXPECT_EQ(run_slice(x, s, {4}), (V{7, 6, 5, 4}));
}

TEST(StridedSlice, Int16FourDimensionsLikeSeanet) {
  // The golden seanet slices keep a window of the second dimension: x[:, 1:7, :, :].
  const V shape = {1, 8, 3, 2};
  std::vector<std::int16_t> input(48);
  for (int i = 0; i < 48; ++i) input[i] = static_cast<std::int16_t>(i * 500 - 12000);
  Slice s{{0, 1, 0, 0}, {1, 7, 3, 2}, {1, 1, 1, 1}};
  s.begin_mask = 0b1101;
  s.end_mask = 0b1101;
  ModelBuilder b;
  slice_model(b, TensorType::INT16, shape, s, {1, 6, 3, 2});
  const std::vector<std::int16_t> expected(input.begin() + 6, input.begin() + 42);
  EXPECT_EQ(run_single<std::int16_t>(b, input), expected);
}

TEST(StridedSlice, FloatInt8AndBool) {
  Slice s{{1}, {4}, {2}};
  {
    ModelBuilder b;
    slice_model(b, TensorType::FLOAT32, {5}, s, {2});
    EXPECT_EQ(run_single<float>(b, std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 4.5f}),
              (std::vector<float>{1.5f, 3.5f}));
  }
  {
    ModelBuilder b;
    slice_model(b, TensorType::INT8, {5}, s, {2});
    EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-1, -2, -3, -4, -5}),
              (std::vector<std::int8_t>{-2, -4}));
  }
  {
    ModelBuilder b;
    slice_model(b, TensorType::BOOL, {5}, s, {2});
    EXPECT_EQ(run_model(b, {Bytes{0, 1, 0, 0, 0}}).at(0), (Bytes{1, 0}));
  }
}

// ---- Every mask combination against an independent reference (Python's slice semantics).

struct Expected {
  bool refused = false;
  V shape;
  V values;
};

Expected reference_slice(const V& shape, const Slice& s) {
  Expected e;
  const std::size_t rank = shape.size();
  std::vector<std::vector<std::int32_t>> picks(rank);
  for (std::size_t d = 0; d < rank; ++d) {
    const std::int32_t size = shape[d], step = s.strides[d];
    if ((s.shrink_mask >> d) & 1) {
      // TFLM's reading of x[i] (TensorFlow's differs): begin_mask still selects the first
      // element, and an index below -size is clamped to 0 rather than refused.
      std::int32_t i = s.begin[d] < 0 ? s.begin[d] + size : s.begin[d];
      if (i < 0) i = 0;
      if ((s.begin_mask >> d) & 1) i = 0;
      if (i >= size || step < 0) {
        e.refused = true;
        return e;
      }
      picks[d] = {i};
      continue;
    }
    // CPython's PySlice_GetIndices, with None for masked bounds.
    const std::int32_t lower = step < 0 ? -1 : 0, upper = step < 0 ? size - 1 : size;
    auto bound = [&](std::optional<std::int32_t> v, std::int32_t none) {
      if (!v) return none;
      std::int32_t x = *v < 0 ? *v + size : *v;
      return x < lower ? lower : (x > upper ? upper : x);
    };
    const std::int32_t start =
        bound((s.begin_mask >> d) & 1 ? std::nullopt : std::optional(s.begin[d]),
              step < 0 ? upper : lower);
    const std::int32_t stop = bound((s.end_mask >> d) & 1 ? std::nullopt : std::optional(s.end[d]),
                                    step < 0 ? lower : upper);
    for (std::int32_t i = start; step > 0 ? i < stop : i > stop; i += step) picks[d].push_back(i);
    e.shape.push_back(static_cast<std::int32_t>(picks[d].size()));
  }
  // Cartesian product in row-major order.
  std::vector<std::size_t> k(rank, 0);
  std::size_t total = 1;
  for (auto& p : picks) total *= p.size();
  for (std::size_t n = 0; n < total; ++n) {
    std::int32_t flat = 0;
    for (std::size_t d = 0; d < rank; ++d) flat = flat * shape[d] + picks[d][k[d]];
    e.values.push_back(flat);
    for (std::size_t d = rank; d-- > 0;) {
      if (++k[d] < picks[d].size()) break;
      k[d] = 0;
    }
  }
  return e;
}

void check_against_reference(const V& shape, const Slice& s) {
  const Expected e = reference_slice(shape, s);
  ModelBuilder b;
  slice_model(b, TensorType::INT32, shape, s, e.refused ? V{1} : e.shape);
  if (e.refused) {
    EXPECT_NE(refusal(b).find("shrinks dimension"), std::string::npos) << refusal(b);
    return;
  }
  ASSERT_EQ(refusal(b), "");
  EXPECT_EQ(run_single<std::int32_t>(b, iota_values(shape)), e.values)
      << "begin_mask " << s.begin_mask << " end_mask " << s.end_mask << " shrink " << s.shrink_mask;
}

TEST(StridedSlice, EveryMaskCombinationAgainstReference) {
  std::mt19937 rng(45);
  const std::int32_t indices[] = {-7, -5, -2, -1, 0, 1, 2, 4, 5, 9};
  const std::int32_t steps[] = {1, 2, 3, -1, -2, -3};
  const V shape = {4, 5};
  int refused = 0, run = 0;
  for (int masks = 0; masks < 64; ++masks) {
    for (int trial = 0; trial < 12; ++trial) {
      Slice s;
      s.begin_mask = masks & 3;
      s.end_mask = (masks >> 2) & 3;
      s.shrink_mask = (masks >> 4) & 3;
      for (int d = 0; d < 2; ++d) {
        s.begin.push_back(indices[rng() % 10]);
        s.end.push_back(indices[rng() % 10]);
        s.strides.push_back(steps[rng() % 6]);
      }
      check_against_reference(shape, s);
      (reference_slice(shape, s).refused ? refused : run)++;
    }
  }
  EXPECT_GT(run, 300);
  EXPECT_GT(refused, 100);
}

TEST(StridedSlice, RanksOneToFourAgainstReference) {
  std::mt19937 rng(7);
  const V dims = {3, 4, 2, 5};
  for (int rank = 1; rank <= 4; ++rank) {
    const V shape(dims.begin(), dims.begin() + rank);
    for (int trial = 0; trial < 150; ++trial) {
      Slice s;
      s.begin_mask = static_cast<int>(rng() % (1u << rank));
      s.end_mask = static_cast<int>(rng() % (1u << rank));
      s.shrink_mask = static_cast<int>(rng() % (1u << rank)) & static_cast<int>(rng());
      for (int d = 0; d < rank; ++d) {
        const int size = shape[d];
        s.begin.push_back(static_cast<std::int32_t>(rng() % (2 * size + 3)) - size - 1);
        s.end.push_back(static_cast<std::int32_t>(rng() % (2 * size + 3)) - size - 1);
        const std::int32_t step = 1 + static_cast<std::int32_t>(rng() % 3);
        s.strides.push_back(rng() % 2 ? step : -step);
      }
      check_against_reference(shape, s);
    }
  }
}

// ---- TFLM's quirks and limits.

TEST(StridedSlice, ShrinkReadsItsIndexAsTflm) {
  // TensorFlow refuses x[-100] and ignores begin_mask on a shrunk axis; TFLM clamps the index to
  // the first element and lets begin_mask select it.
  Slice s{{-100}, {0}, {1}};
  s.shrink_mask = 1;
  EXPECT_EQ(run_slice({8}, s, {}), (V{0}));
  s = {{5}, {0}, {1}};
  s.shrink_mask = 1;
  s.begin_mask = 1;
  EXPECT_EQ(run_slice({8}, s, {}), (V{0}));
}

TEST(StridedSlice, IgnoresEllipsisNewAxisAndOffsetAsTflm) {
  // With the mask ignored, x[1:3] of a rank-1 input stays [1, 2]; TFLM runs such a model.
  Slice s{{1}, {3}, {1}};
  s.ellipsis_mask = 1;
  EXPECT_EQ(run_slice({8}, s, {2}), (V{1, 2}));
  s = {{2}, {3}, {1}};
  s.offset = true;  // TensorFlow would read end as 2 + 3 = 5; TFLM ignores offset
  EXPECT_EQ(run_slice({8}, s, {1}), (V{2}));
  // When the shape shows the mask mattered, the refusal says why.
  s = {{0}, {1}, {1}};
  s.new_axis_mask = 1;
  ModelBuilder b;
  slice_model(b, TensorType::INT32, {8}, s, {1, 1});
  EXPECT_NE(refusal(b).find("TFLM ignores ellipsis_mask, new_axis_mask and offset, which this "
                            "model sets (0, 1, false)"),
            std::string::npos)
      << refusal(b);
}

TEST(StridedSlice, Refusals) {
  auto refused = [](TensorType type, const V& shape, const Slice& s, const V& out) {
    ModelBuilder b;
    slice_model(b, type, shape, s, out);
    return refusal(b);
  };
  const auto i32 = TensorType::INT32;
  EXPECT_NE(refused(i32, {1, 1, 1, 1, 2}, {{0, 0, 0, 0, 0}, {1, 1, 1, 1, 2}, {1, 1, 1, 1, 1}},
                    {1, 1, 1, 1, 2})
                .find("op 0 (STRIDED_SLICE): input has 5 dimensions; TFLM slices up to 4"),
            std::string::npos);
  EXPECT_NE(refused(i32, {4}, {{0}, {4}, {0}}, {4}).find("stride of dimension 0 is 0"),
            std::string::npos);
  EXPECT_NE(refused(i32, {4, 2}, {{0}, {4}, {1}}, {4, 2})
                .find("begin tensor 1 't1' has 1 values, expected 2"),
            std::string::npos);
  EXPECT_NE(refused(i32, {4}, {{0}, {4}, {1}}, {3})
                .find("output tensor 4 't4' has shape [3], expected [4]"),
            std::string::npos)
      << refused(i32, {4}, {{0}, {4}, {1}}, {3});
  EXPECT_NE(refused(TensorType::INT64, {4}, {{0}, {4}, {1}}, {4})
                .find("input type int64 is not supported (float32, int8, int16, int32, bool)"),
            std::string::npos);
  Slice shrink{{4}, {5}, {1}};
  shrink.shrink_mask = 1;
  EXPECT_NE(
      refused(i32, {4}, shrink, {}).find("shrinks dimension 0 at index 4, outside its size 4"),
      std::string::npos);
  shrink = {{1}, {0}, {-1}};
  shrink.shrink_mask = 1;
  EXPECT_NE(
      refused(i32, {4}, shrink, {})
          .find("shrinks dimension 0 with a negative stride, for which TFLM writes no output"),
      std::string::npos);
}

TEST(StridedSlice, RefusesInt64AndRunTimeIndices) {
  {
    ModelBuilder b;
    const int in = b.tensor(TensorType::FLOAT32, {4});
    const int begin = b.constant<std::int64_t>(TensorType::INT64, {1}, {0});
    const int end = b.constant<std::int32_t>(TensorType::INT32, {1}, {4});
    const int strides = b.constant<std::int32_t>(TensorType::INT32, {1}, {1});
    const int out = b.tensor(TensorType::FLOAT32, {4});
    b.op(BuiltinOperator::STRIDED_SLICE, {in, begin, end, strides}, {out});
    b.inputs({in});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("begin tensor 1 't1' is int64; TFLM reads it as int32 only"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    const int in = b.tensor(TensorType::FLOAT32, {4});
    const int begin = b.constant<std::int32_t>(TensorType::INT32, {1}, {0});
    const int end = b.tensor(TensorType::INT32, {1});
    const int strides = b.constant<std::int32_t>(TensorType::INT32, {1}, {1});
    const int out = b.tensor(TensorType::FLOAT32, {4});
    b.op(BuiltinOperator::STRIDED_SLICE, {in, begin, end, strides}, {out});
    b.inputs({in, end});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("end tensor 2 't2' is computed at run time"), std::string::npos)
        << refusal(b);
  }
}

}  // namespace
}  // namespace mote::testing
