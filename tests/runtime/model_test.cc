// Model::load on good and malformed models: every refusal is a status plus a message that names
// the problem, never a crash.
#include "runtime/model/model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "tests/support/golden_cases.h"
#include "tests/support/model_builder.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/io/file_io.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

struct LoadResult {
  Status status;
  std::string message;
};

LoadResult load(const std::uint8_t* data, std::size_t size) {
  tools::ErrorCollector errors;
  Model model;
  const Status status = Model::load(data, size, errors.reporter(), &model);
  return {status, errors.last("")};
}

LoadResult load(const tools::AlignedBuffer& bytes) { return load(bytes.data(), bytes.size()); }

// A float FULLY_CONNECTED model [1,4] -> [1,2].
tools::AlignedBuffer small_model(ModelBuilder& b) {
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int w = b.constant<float>(TensorType::FLOAT32, {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  const int out = b.tensor(TensorType::FLOAT32, {1, 2});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out});
  b.inputs({in});
  b.outputs({out});
  return b.build();
}

TEST(ModelLoad, AcceptsEveryGoldenModel) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(golden_dir() / "models")) {
    if (entry.path().extension() != ".tflite") continue;
    const auto bytes = tools::read_file(entry.path());
    const LoadResult r = load(bytes);
    EXPECT_EQ(r.status, Status::kOk) << entry.path() << ": " << r.message;
  }
}

TEST(ModelLoad, RefusesNullAndMisalignedData) {
  EXPECT_EQ(load(nullptr, 100).status, Status::kInvalidArgument);
  ModelBuilder b;
  const auto bytes = small_model(b);
  std::vector<std::uint8_t> shifted(bytes.size() + 32);
  std::uint8_t* odd = shifted.data() + (16 - reinterpret_cast<uintptr_t>(shifted.data()) % 16) + 1;
  std::memcpy(odd, bytes.data(), bytes.size());
  const LoadResult r = load(odd, bytes.size());
  EXPECT_EQ(r.status, Status::kInvalidArgument);
  EXPECT_NE(r.message.find("16-byte aligned"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesTruncatedFiles) {
  const auto bytes = tools::read_file(golden_dir() / "models" / "person_detect.tflite");
  for (std::size_t size :
       {std::size_t{0}, std::size_t{7}, std::size_t{64}, bytes.size() / 2, bytes.size() - 1}) {
    tools::AlignedBuffer cut(bytes.bytes().subspan(0, size));
    const LoadResult r = load(cut.data(), size);
    EXPECT_EQ(r.status, Status::kInvalidModel) << "size " << size;
    EXPECT_FALSE(r.message.empty());
  }
}

TEST(ModelLoad, RefusesAWrongFileIdentifier) {
  ModelBuilder b;
  auto bytes = small_model(b);
  std::memcpy(bytes.data() + 4, "ONNX", 4);
  const LoadResult r = load(bytes);
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("'ONNX', expected 'TFL3'"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesCorruptedOffsets) {
  ModelBuilder b;
  const auto good = small_model(b);
  // The root offset, and then every 4-byte word in turn, pointed far outside the file.
  int refused = 0;
  for (std::size_t at = 0; at + 4 <= good.size(); at += 4) {
    tools::AlignedBuffer bad(good.bytes());
    const std::uint32_t huge = 0x7FFFFFF0u;
    std::memcpy(bad.data() + at, &huge, 4);
    const LoadResult r = load(bad);
    if (r.status != Status::kOk) ++refused;
    if (at == 0) {
      EXPECT_EQ(r.status, Status::kInvalidModel);
      EXPECT_NE(r.message.find("verification"), std::string::npos) << r.message;
    }
  }
  EXPECT_GT(refused, 0);
}

TEST(ModelLoad, RefusesAnotherSchemaVersion) {
  ModelBuilder b;
  b.schema_version(2);
  const LoadResult r = load(small_model(b));
  EXPECT_EQ(r.status, Status::kUnsupported);
  EXPECT_NE(r.message.find("schema version 2"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesABufferShorterThanItsTensor) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int w = b.constant<float>(TensorType::FLOAT32, {2, 4}, {1, 2, 3});  // 3 of 8 values
  const int out = b.tensor(TensorType::FLOAT32, {1, 2});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out});
  b.inputs({in});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("needs 32 bytes"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("holds 12"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesTensorIndicesOutOfRange) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int out = b.tensor(TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::RESHAPE, {in, 17}, {out});
  b.inputs({in});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("tensor 17"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesScaleCountsThatDoNotMatchChannels) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 4}, quant(0.5f, 0));
  const int w = b.constant<std::int8_t>(TensorType::INT8, {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8},
                                        Quant{{0.1f, 0.2f, 0.3f}, {0, 0, 0}, 0});
  const int out = b.tensor(TensorType::INT8, {1, 2}, quant(0.5f, 0));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out});
  b.inputs({in});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("3 quantization scales for 2 channels"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesAnOpThatReadsATensorNobodyWrote) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int orphan = b.tensor(TensorType::FLOAT32, {1, 4}, {}, "orphan");
  const int out = b.tensor(TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::ADD, {in, orphan}, {out});
  b.inputs({in});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("'orphan' before any op writes it"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesZeroPointsOutsideTheirType) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::INT8, {1, 4}, quant(0.5f, 200));
  const int out = b.tensor(TensorType::INT8, {1, 4}, quant(0.5f, 0));
  b.op(BuiltinOperator::RESHAPE, {in}, {out});
  b.inputs({in});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("zero point 200 at channel 0, outside int8's range"), std::string::npos)
      << r.message;
}

TEST(ModelLoad, RefusesAConstantModelInput) {
  ModelBuilder b;
  const int weights = b.constant<float>(TensorType::FLOAT32, {1, 4}, {1, 2, 3, 4});
  const int out = b.tensor(TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::RESHAPE, {weights}, {out});
  b.inputs({weights});
  b.outputs({out});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kInvalidModel);
  EXPECT_NE(r.message.find("model input 0 is tensor 0"), std::string::npos) << r.message;
}

TEST(ModelLoad, RefusesUnknownDimensions) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {-1, 4});
  b.inputs({in});
  b.outputs({in});
  const LoadResult r = load(b.build());
  EXPECT_EQ(r.status, Status::kUnsupported);
  EXPECT_NE(r.message.find("unknown size"), std::string::npos) << r.message;
}

TEST(ModelLoad, ReadsOpCodesBeyondTheDeprecatedByte) {
  ModelBuilder b;
  const int in = b.tensor(TensorType::FLOAT32, {1, 4});
  const int out = b.tensor(TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::GELU, {in}, {out});
  b.inputs({in});
  b.outputs({out});
  const auto bytes = b.build();
  Model model;
  ASSERT_EQ(Model::load(bytes.data(), bytes.size(), nullptr, &model), Status::kOk);
  EXPECT_EQ(model.op_code(0), BuiltinOperator::GELU);
  EXPECT_STREQ(builtin_op_name(model.op_code(0)), "GELU");
}

}  // namespace
}  // namespace mote::testing
