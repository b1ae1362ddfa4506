// The runtime as `mote firmware` builds it for an int8 model (runtime/core/build_options.h):
// without float32 and int16 kernels and without sparse weights. It must run int8 models to the
// same bytes as TFLM, and refuse a model that needs a part it left out, naming the option; never
// reach a path that is not there. This binary links only that runtime (mote_tools carries the
// full one), so it reads golden files itself.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "runtime/model/model.h"
#include "tests/support/model_builder.h"

namespace mote {
namespace {

static_assert(!kFloatKernels && !kInt16Kernels && !kSparseWeights,
              "this test must link the runtime built without its optional parts");

std::vector<std::uint8_t> read_golden(const std::string& relative) {
  const std::string path = std::string(MOTE_SHARED_DIR) + "/golden/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void collect(void* user, const char* message) {
  static_cast<std::string*>(user)->append(message).append("\n");
}

// A model loaded from bytes, with an interpreter over a generous arena.
struct Loaded {
  tools::AlignedBuffer bytes;
  std::string messages;
  ErrorReporter reporter{collect, &messages};
  Model model;
  Status load_status = Status::kOk;
  tools::AlignedBuffer arena{1u << 20};

  explicit Loaded(std::span<const std::uint8_t> data) : bytes(data) {
    load_status = Model::load(bytes.data(), bytes.size(), &reporter, &model);
  }
};

class Int8OnlyRuntime : public ::testing::TestWithParam<KernelSet> {};

// Every int8 golden case of the headline models, with both kernel sets, byte for byte.
TEST_P(Int8OnlyRuntime, RunsInt8GoldenModelsToTflmBytes) {
  const struct {
    const char* model;
    const char* case_name;
  } cases[] = {{"models/person_detect.tflite", "person_detect_person"},
               {"models/micro_speech_quantized.tflite", "micro_speech_quantized_yes_1000ms"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.case_name);
    const std::vector<std::uint8_t> data = read_golden(c.model);
    Loaded loaded(data);
    ASSERT_EQ(loaded.load_status, Status::kOk) << loaded.messages;
    const AllOpsResolver resolver(GetParam());
    Interpreter interpreter(loaded.model, resolver, loaded.arena.data(), loaded.arena.size(),
                            &loaded.reporter);
    ASSERT_EQ(interpreter.allocate(), Status::kOk) << loaded.messages;
    const std::vector<std::uint8_t> input =
        read_golden(std::string("cases/") + c.case_name + "/input_0.bin");
    const Tensor in = interpreter.input(0);
    ASSERT_EQ(input.size(), in.bytes);
    std::copy(input.begin(), input.end(), static_cast<std::uint8_t*>(in.data));
    ASSERT_EQ(interpreter.invoke(), Status::kOk) << loaded.messages;
    const std::vector<std::uint8_t> expected =
        read_golden(std::string("cases/") + c.case_name + "/output_0.bin");
    const Tensor out = interpreter.output(0);
    ASSERT_EQ(expected.size(), out.bytes);
    const auto* got = static_cast<const std::uint8_t*>(out.data);
    EXPECT_EQ(std::vector<std::uint8_t>(got, got + out.bytes), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(KernelSets, Int8OnlyRuntime,
                         ::testing::Values(KernelSet::kReference, KernelSet::kOptimized));

// allocate() on `data` fails as unsupported; returns what the reporter received.
std::string allocate_failure(std::span<const std::uint8_t> data) {
  Loaded loaded(data);
  EXPECT_EQ(loaded.load_status, Status::kOk) << loaded.messages;
  if (loaded.load_status != Status::kOk) return loaded.messages;
  const AllOpsResolver resolver;
  Interpreter interpreter(loaded.model, resolver, loaded.arena.data(), loaded.arena.size(),
                          &loaded.reporter);
  EXPECT_EQ(interpreter.allocate(), Status::kUnsupported);
  return loaded.messages;
}

TEST(Int8OnlyRuntimeRefuses, FloatModelNamingTheOption) {
  const std::string messages = allocate_failure(read_golden("models/hello_world_float.tflite"));
  EXPECT_NE(messages.find("float32"), std::string::npos) << messages;
  EXPECT_NE(messages.find("-DMOTE_FLOAT_KERNELS=ON"), std::string::npos) << messages;
}

TEST(Int8OnlyRuntimeRefuses, Int16ModelNamingTheOption) {
  const std::string messages = allocate_failure(read_golden("models/keyword_scrambled.tflite"));
  EXPECT_NE(messages.find("int16"), std::string::npos) << messages;
  EXPECT_NE(messages.find("-DMOTE_INT16_KERNELS=ON"), std::string::npos) << messages;
}

// An int8 op whose int8 output feeds nothing else still may not write an int16 tensor: the check
// covers outputs too (softmax int8 -> int16 is such an op).
TEST(Int8OnlyRuntimeRefuses, Int8OpWithInt16Output) {
  testing::ModelBuilder b;
  const int in = b.tensor(tflite::TensorType::INT8, {1, 4}, testing::quant(0.1f, 0));
  const int out = b.tensor(tflite::TensorType::INT16, {1, 4}, testing::quant(1.0f / 32768, 0));
  b.op(tflite::BuiltinOperator::SOFTMAX, {in}, {out}, tflite::BuiltinOptions::SoftmaxOptions,
       tflite::CreateSoftmaxOptions(b.fbb(), 1.0f).Union());
  b.inputs({in});
  b.outputs({out});
  const tools::AlignedBuffer model = b.build();
  const std::string messages = allocate_failure({model.data(), model.size()});
  EXPECT_NE(messages.find("op 0 (SOFTMAX)"), std::string::npos) << messages;
  EXPECT_NE(messages.find("MOTE_INT16_KERNELS"), std::string::npos) << messages;
}

TEST(Int8OnlyRuntimeRefuses, SparseTensorWhenLoading) {
  testing::ModelBuilder b;
  const int in = b.tensor(tflite::TensorType::INT8, {1, 4}, testing::quant(0.1f, 0));
  const std::vector<std::uint8_t> weights(8, 1);
  const int w =
      b.constant_marked_sparse(tflite::TensorType::INT8, {2, 4}, weights, testing::quant(0.1f, 0));
  const int out = b.tensor(tflite::TensorType::INT8, {1, 2}, testing::quant(0.1f, 0));
  b.op(tflite::BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out},
       tflite::BuiltinOptions::FullyConnectedOptions,
       tflite::CreateFullyConnectedOptions(b.fbb()).Union());
  b.inputs({in});
  b.outputs({out});
  const tools::AlignedBuffer model = b.build();
  Loaded loaded({model.data(), model.size()});
  EXPECT_EQ(loaded.load_status, Status::kUnsupported);
  EXPECT_NE(loaded.messages.find("stored sparse"), std::string::npos) << loaded.messages;
  EXPECT_NE(loaded.messages.find("-DMOTE_SPARSE_WEIGHTS=ON"), std::string::npos) << loaded.messages;
}

}  // namespace
}  // namespace mote
