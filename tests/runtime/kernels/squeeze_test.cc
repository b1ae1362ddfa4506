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

void squeeze_model(ModelBuilder& b, const std::vector<std::int32_t>& shape,
                   const std::vector<std::int32_t>& dims,
                   const std::vector<std::int32_t>& out_shape,
                   TensorType out_type = TensorType::FLOAT32) {
  const int in = b.tensor(TensorType::FLOAT32, shape);
  const int out = b.tensor(out_type, out_shape);
  b.op(BuiltinOperator::SQUEEZE, {in}, {out}, tflite::BuiltinOptions::SqueezeOptions,
       tflite::CreateSqueezeOptionsDirect(b.fbb(), &dims).Union());
  b.inputs({in});
  b.outputs({out});
}

TEST(Squeeze, AllSizeOneDimensionsWhenNoneAreListed) {
  ModelBuilder b;
  squeeze_model(b, {1, 3, 1, 2}, {}, {3, 2});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{1, 2, 3, 4, 5, 6}),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Squeeze, ListedDimensionsIncludingNegativeOnes) {
  ModelBuilder b;
  squeeze_model(b, {1, 3, 1, 2}, {-2}, {1, 3, 2});
  EXPECT_EQ(run_single<float>(b, std::vector<float>{6, 5, 4, 3, 2, 1}),
            (std::vector<float>{6, 5, 4, 3, 2, 1}));
  ModelBuilder c;
  squeeze_model(c, {1, 1}, {0, -1}, {});
  EXPECT_EQ(run_single<float>(c, std::vector<float>{7}), (std::vector<float>{7}));
}

TEST(Squeeze, OutputSharesTheBytesOfItsInputInATwoOpModel) {
  // in [1,1,4] -> TRANSPOSE (perm 1,0,2) -> [1,1,4] -> SQUEEZE -> [4]
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 1, 4});
  const int perm = b.constant<std::int32_t>(TensorType::INT32, {3}, {1, 0, 2});
  const int mid = b.tensor(TensorType::FLOAT32, {1, 1, 4});
  const int out = b.tensor(TensorType::FLOAT32, {4});
  b.op(BuiltinOperator::TRANSPOSE, {in, perm}, {mid});
  b.op(BuiltinOperator::SQUEEZE, {mid}, {out});
  b.inputs({in});
  b.outputs({out});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "test model");
  tools::HostInterpreter host(*model);
  const Interpreter& interpreter = host.interpreter();
  EXPECT_EQ(interpreter.tensor_location(static_cast<std::uint32_t>(mid)),
            interpreter.tensor_location(static_cast<std::uint32_t>(out)));
  host.set_input(0, to_bytes(std::vector<float>{1, 2, 3, 4}));
  host.invoke();
  const auto y = host.output_bytes(0);
  EXPECT_EQ(from_bytes<float>(Bytes(y.begin(), y.end())), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Squeeze, CopiesWhenItsInputIsAConstant) {
  // A constant lives in the model, so the output cannot share its bytes: eval copies.
  ModelBuilder b;
  const int in = b.constant<float>(TensorType::FLOAT32, {2, 1}, {2.5f, -1});
  const int x = b.tensor(TensorType::FLOAT32, {1, 2});
  const int out = b.tensor(TensorType::FLOAT32, {2});
  const int y = b.tensor(TensorType::FLOAT32, {2});
  b.op(BuiltinOperator::SQUEEZE, {in}, {out});
  b.op(BuiltinOperator::SQUEEZE, {x}, {y});
  b.inputs({x});
  b.outputs({out, y});
  const auto outputs = run_model(b, {to_bytes(std::vector<float>{3, 4})});
  EXPECT_EQ(from_bytes<float>(outputs.at(0)), (std::vector<float>{2.5f, -1}));
  EXPECT_EQ(from_bytes<float>(outputs.at(1)), (std::vector<float>{3, 4}));
}

TEST(Squeeze, Refusals) {
  {
    ModelBuilder b;
    squeeze_model(b, {1, 3}, {1}, {1});
    EXPECT_NE(refusal(b).find("op 0 (SQUEEZE): squeeze dimension 1 has size 3, not 1"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    squeeze_model(b, {1, 3}, {2}, {3});
    EXPECT_NE(refusal(b).find("squeeze dimension 2 is out of range for rank 2"), std::string::npos);
  }
  {
    ModelBuilder b;
    squeeze_model(b, {1, 3, 1, 2}, {}, {6});
    EXPECT_NE(refusal(b).find("output tensor 1 't1' has shape [6], expected [3,2]"),
              std::string::npos)
        << refusal(b);
  }
  {
    ModelBuilder b;
    squeeze_model(b, {1, 3}, {}, {3}, TensorType::INT32);
    EXPECT_NE(refusal(b).find("output tensor 1 't1' is int32, expected float32"), std::string::npos)
        << refusal(b);
  }
}

}  // namespace
}  // namespace mote::testing
