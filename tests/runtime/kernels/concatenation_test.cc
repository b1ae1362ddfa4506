#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

struct Concat {
  std::vector<std::int32_t> inputs;
  int output;
};

Concat concat_model(ModelBuilder& b, TensorType type,
                    const std::vector<std::vector<std::int32_t>>& shapes,
                    const std::vector<std::int32_t>& out_shape, int axis,
                    tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE,
                    std::vector<Quant> quants = {}, Quant out_q = {}) {
  Concat c;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    c.inputs.push_back(b.tensor(type, shapes[i], i < quants.size() ? quants[i] : Quant{}));
  }
  c.output = b.tensor(type, out_shape, out_q);
  b.op(BuiltinOperator::CONCATENATION, c.inputs, {c.output},
       tflite::BuiltinOptions::ConcatenationOptions,
       tflite::CreateConcatenationOptions(b.fbb(), axis, act).Union());
  b.inputs(c.inputs);
  b.outputs({c.output});
  return c;
}

// Independent reference: each output coordinate's position along the axis says which input
// (and where in it) the value comes from.
std::vector<std::int32_t> reference_concat(const std::vector<std::vector<std::int32_t>>& shapes,
                                           const std::vector<std::vector<std::int32_t>>& inputs,
                                           const std::vector<std::int32_t>& out_shape, int axis) {
  const std::size_t rank = out_shape.size();
  std::size_t total = 1;
  for (auto d : out_shape) total *= static_cast<std::size_t>(d);
  std::vector<std::int32_t> out(total);
  std::vector<std::int32_t> coord(rank);
  for (std::size_t o = 0; o < total; ++o) {
    std::size_t rest = o;
    for (std::size_t d = rank; d-- > 0;) {
      coord[d] = static_cast<std::int32_t>(rest % out_shape[d]);
      rest /= out_shape[d];
    }
    std::size_t which = 0;
    std::int32_t along = coord[axis];
    while (along >= shapes[which][axis]) {
      along -= shapes[which][axis];
      ++which;
    }
    std::size_t index = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      const std::int32_t c = static_cast<int>(d) == axis ? along : coord[d];
      index = index * static_cast<std::size_t>(shapes[which][d]) + static_cast<std::size_t>(c);
    }
    out[o] = inputs[which][index];
  }
  return out;
}

TEST(Concatenation, FloatHandWorked) {
  ModelBuilder b;
  concat_model(b, TensorType::FLOAT32, {{2, 1}, {2, 2}}, {2, 3}, 1);
  const auto out = run_model(
      b, {to_bytes(std::vector<float>{1, 2}), to_bytes(std::vector<float>{10, 20, 30, 40})});
  EXPECT_EQ(from_bytes<float>(out.at(0)), (std::vector<float>{1, 10, 20, 2, 30, 40}));
}

TEST(Concatenation, ThreeInputsAlongEachAxisOfRanksOneToFive) {
  for (int rank : {1, 2, 3, 4, 5}) {
    for (int axis = 0; axis < rank; ++axis) {
      for (bool negative : {false, true}) {
        std::vector<std::vector<std::int32_t>> shapes;
        std::vector<std::int32_t> out_shape(rank);
        for (int i = 0; i < 3; ++i) {
          std::vector<std::int32_t> s(rank);
          for (int d = 0; d < rank; ++d) s[d] = d == axis ? i + 1 : 2 + d % 2;
          shapes.push_back(s);
        }
        for (int d = 0; d < rank; ++d) out_shape[d] = d == axis ? 6 : shapes[0][d];
        std::vector<std::vector<std::int32_t>> inputs;
        std::vector<Bytes> bytes;
        for (int i = 0; i < 3; ++i) {
          std::size_t n = 1;
          for (auto d : shapes[i]) n *= static_cast<std::size_t>(d);
          std::vector<std::int32_t> values(n);
          for (std::size_t k = 0; k < n; ++k) values[k] = 1000 * (i + 1) + static_cast<int>(k);
          inputs.push_back(values);
          bytes.push_back(to_bytes(values));
        }
        ModelBuilder b;
        concat_model(b, TensorType::INT32, shapes, out_shape, negative ? axis - rank : axis);
        EXPECT_EQ(from_bytes<std::int32_t>(run_model(b, bytes).at(0)),
                  reference_concat(shapes, inputs, out_shape, axis))
            << "rank " << rank << " axis " << (negative ? axis - rank : axis);
      }
    }
  }
}

TEST(Concatenation, Int8CopiesValuesWithoutRequantizingAsTflm) {
  // TFLM copies int8 values as they are, even when the scales differ.
  ModelBuilder b;
  concat_model(b, TensorType::INT8, {{1, 2}, {1, 1}}, {1, 3}, -1,
               tflite::ActivationFunctionType::NONE, {quant(0.5f, 1), quant(0.25f, -3)},
               quant(1.0f, 0));
  const auto out = run_model(
      b, {to_bytes(std::vector<std::int8_t>{-128, 127}), to_bytes(std::vector<std::int8_t>{5})});
  EXPECT_EQ(from_bytes<std::int8_t>(out.at(0)), (std::vector<std::int8_t>{-128, 127, 5}));
}

TEST(Concatenation, Int16Int64AndBool) {
  {
    ModelBuilder b;
    concat_model(b, TensorType::INT16, {{1}, {2}}, {3}, 0);
    const auto out = run_model(b, {to_bytes(std::vector<std::int16_t>{-1}),
                                   to_bytes(std::vector<std::int16_t>{32767, -32768})});
    EXPECT_EQ(from_bytes<std::int16_t>(out.at(0)), (std::vector<std::int16_t>{-1, 32767, -32768}));
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::INT64, {{2, 1}, {2, 1}}, {2, 2}, 1);
    const auto out =
        run_model(b, {to_bytes(std::vector<std::int64_t>{1, 3}),
                      to_bytes(std::vector<std::int64_t>{int64_t{1} << 40, -(int64_t{1} << 40)})});
    EXPECT_EQ(from_bytes<std::int64_t>(out.at(0)),
              (std::vector<std::int64_t>{1, int64_t{1} << 40, 3, -(int64_t{1} << 40)}));
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::BOOL, {{2}, {1}}, {3}, 0);
    const auto out = run_model(b, {Bytes{1, 0}, Bytes{1}});
    EXPECT_EQ(out.at(0), (Bytes{1, 0, 1}));
  }
}

TEST(Concatenation, SingleInputIsACopy) {
  ModelBuilder b;
  concat_model(b, TensorType::FLOAT32, {{3}}, {3}, 0);
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3}), (std::vector<float>{1, 2, 3}));
}

TEST(Concatenation, RefusesAFusedActivation) {
  ModelBuilder b;
  concat_model(b, TensorType::FLOAT32, {{1}, {1}}, {2}, 0, tflite::ActivationFunctionType::RELU);
  EXPECT_NE(refusal(b).find(
                "op 0 (CONCATENATION): fused activation RELU is not supported (TFLM refuses it)"),
            std::string::npos)
      << refusal(b);
}

TEST(Concatenation, RefusesMismatchedShapes) {
  {
    ModelBuilder b;
    concat_model(b, TensorType::FLOAT32, {{2, 2}, {3, 1}}, {2, 3}, 1);
    EXPECT_NE(refusal(b).find("input 1 has shape [3,1], which does not fit output [2,3] along "
                              "axis 1"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::FLOAT32, {{2, 2}, {2, 1}}, {2, 4}, 1);
    EXPECT_NE(refusal(b).find("inputs sum to 3 along axis 1 but the output has 4 there"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::FLOAT32, {{2}, {2}}, {4}, 1);
    EXPECT_NE(refusal(b).find("axis 1 is out of range for a rank-1 output"), std::string::npos)
        << refusal(b);
  }
}

TEST(Concatenation, RefusesMixedTypesUnsupportedTypesAndTooManyInputs) {
  {
    ModelBuilder b;
    const int a = b.tensor(TensorType::FLOAT32, {1});
    const int c = b.tensor(TensorType::INT32, {1});
    const int out = b.tensor(TensorType::FLOAT32, {2});
    b.op(BuiltinOperator::CONCATENATION, {a, c}, {out});
    b.inputs({a, c});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("input tensor 1 't1' is int32, expected float32"), std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::UINT8, {{1}, {1}}, {2}, 0);
    EXPECT_NE(refusal(b).find("type uint8 is not supported"), std::string::npos) << refusal(b);
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::FLOAT32, std::vector<std::vector<std::int32_t>>(11, {1}), {11}, 0);
    EXPECT_NE(refusal(b).find("has 11 inputs, expected 1 to 10"), std::string::npos) << refusal(b);
  }
  {
    ModelBuilder b;
    concat_model(b, TensorType::FLOAT32, {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}},
                 {1, 1, 1, 1, 1, 2}, 5);
    EXPECT_NE(refusal(b).find("output has 6 dimensions; TFLM concatenates up to 5"),
              std::string::npos)
        << refusal(b);
  }
}

}  // namespace
}  // namespace mote::testing
