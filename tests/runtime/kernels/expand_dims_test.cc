#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

void expand_model(ModelBuilder& b, TensorType type, const std::vector<std::int32_t>& shape,
                  std::int32_t axis, const std::vector<std::int32_t>& out_shape) {
  const int in = b.tensor(type, shape);
  const int a = b.constant<std::int32_t>(TensorType::INT32, {1}, {axis});
  const int out = b.tensor(type, out_shape);
  b.op(BuiltinOperator::EXPAND_DIMS, {in, a}, {out});
  b.inputs({in});
  b.outputs({out});
}

TEST(ExpandDims, InsertsAtEveryPositionIncludingNegativeAxes) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  const std::vector<std::pair<std::int32_t, std::vector<std::int32_t>>> cases = {
      {0, {1, 2, 3}},  {1, {2, 1, 3}},  {2, {2, 3, 1}},
      {-1, {2, 3, 1}}, {-2, {2, 1, 3}}, {-3, {1, 2, 3}}};
  for (const auto& [axis, shape] : cases) {
    ModelBuilder b;
    expand_model(b, TensorType::FLOAT32, {2, 3}, axis, shape);
    EXPECT_EQ(run_single<float>(b, x), x) << "axis " << axis;
  }
}

TEST(ExpandDims, Int8AndInt16) {
  {
    ModelBuilder b;
    expand_model(b, TensorType::INT8, {2}, 0, {1, 2});
    EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-128, 127}),
              (std::vector<std::int8_t>{-128, 127}));
  }
  {
    ModelBuilder b;
    expand_model(b, TensorType::INT16, {2}, 1, {2, 1});
    EXPECT_EQ(run_single<std::int16_t>(b, std::vector<std::int16_t>{-32768, 32767}),
              (std::vector<std::int16_t>{-32768, 32767}));
  }
}

TEST(ExpandDims, OutputSharesTheBytesOfItsInputInATwoOpModel) {
  // in [2,2] -> TRANSPOSE -> [2,2] -> EXPAND_DIMS(0) -> [1,2,2]
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {2, 2});
  const int perm = b.constant<std::int32_t>(TensorType::INT32, {2}, {1, 0});
  const int mid = b.tensor(TensorType::INT8, {2, 2});
  const int axis = b.constant<std::int32_t>(TensorType::INT32, {1}, {0});
  const int out = b.tensor(TensorType::INT8, {1, 2, 2});
  b.op(BuiltinOperator::TRANSPOSE, {in, perm}, {mid});
  b.op(BuiltinOperator::EXPAND_DIMS, {mid, axis}, {out});
  b.inputs({in});
  b.outputs({out});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  EXPECT_EQ(host.interpreter().tensor_location(static_cast<std::uint32_t>(mid)),
            host.interpreter().tensor_location(static_cast<std::uint32_t>(out)));
  host.set_input(0, Bytes{1, 2, 3, 4});
  host.invoke();
  const auto y = host.output_bytes(0);
  EXPECT_EQ(Bytes(y.begin(), y.end()), (Bytes{1, 3, 2, 4}));
}

TEST(ExpandDims, Refusals) {
  {
    ModelBuilder b;
    expand_model(b, TensorType::FLOAT32, {2, 3}, 3, {2, 3, 1});
    EXPECT_NE(refusal(b).find("op 0 (EXPAND_DIMS): axis 3 is out of range for a rank-2 input"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    expand_model(b, TensorType::FLOAT32, {2, 3}, 1, {2, 3, 1});
    EXPECT_NE(refusal(b).find("output tensor 2 't2' has shape [2,3,1], expected [2,1,3]"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    expand_model(b, TensorType::INT32, {2}, 0, {1, 2});
    EXPECT_NE(refusal(b).find("input type int32 is not supported (TFLM expands float32, int8, "
                              "int16)"),
              std::string::npos);
  }
  {
    ModelBuilder b;
    const int in = b.tensor(TensorType::FLOAT32, {2});
    const int a = b.constant<std::int64_t>(TensorType::INT64, {1}, {0});
    const int out = b.tensor(TensorType::FLOAT32, {1, 2});
    b.op(BuiltinOperator::EXPAND_DIMS, {in, a}, {out});
    b.inputs({in});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("axis tensor 1 't1' is int64; TFLM reads it as int32 only"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    const int in = b.tensor(TensorType::FLOAT32, {2});
    const int a = b.constant<std::int32_t>(TensorType::INT32, {2}, {0, 1});
    const int out = b.tensor(TensorType::FLOAT32, {1, 2});
    b.op(BuiltinOperator::EXPAND_DIMS, {in, a}, {out});
    b.inputs({in});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("axis tensor 1 't1' has 2 values, expected 1"), std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    const int in = b.tensor(TensorType::FLOAT32, {2});
    const int a = b.tensor(TensorType::INT32, {1});
    const int out = b.tensor(TensorType::FLOAT32, {1, 2});
    b.op(BuiltinOperator::EXPAND_DIMS, {in, a}, {out});
    b.inputs({in, a});
    b.outputs({out});
    EXPECT_NE(refusal(b).find("axis tensor 1 't1' is computed at run time"), std::string::npos)
        << refusal(b);
  }
}

}  // namespace
}  // namespace mote::testing
