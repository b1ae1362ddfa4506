// .tflite read -> write -> read keeps everything mote's schema knows, and the written model runs
// to the same bytes.
#include "tools/graph/tflite_io.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/golden_cases.h"
#include "tools/io/file_io.h"

namespace mote::testing {
namespace {

void expect_same_graph(const tools::Graph& a, const tools::Graph& b) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (std::size_t t = 0; t < a.tensors.size(); ++t) {
    EXPECT_EQ(a.tensors[t], b.tensors[t]) << "tensor " << t << " '" << a.tensors[t].name << "'";
  }
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (std::size_t o = 0; o < a.ops.size(); ++o) {
    const tools::GraphOp& x = a.ops[o];
    const tools::GraphOp& y = b.ops[o];
    EXPECT_EQ(x.code, y.code) << "op " << o;
    EXPECT_EQ(x.custom_code, y.custom_code) << "op " << o;
    EXPECT_EQ(x.version, y.version) << "op " << o;
    EXPECT_EQ(x.inputs, y.inputs) << "op " << o;
    EXPECT_EQ(x.outputs, y.outputs) << "op " << o;
    EXPECT_EQ(x.intermediates, y.intermediates) << "op " << o;
    EXPECT_TRUE(x.options == y.options) << "op " << o << " options";
    EXPECT_EQ(x.custom_options, y.custom_options) << "op " << o;
  }
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.outputs, b.outputs);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.metadata, b.metadata);
}

TEST(TfliteIo, RoundTripIsLosslessForEveryGoldenModel) {
  int models = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(golden_dir() / "models")) {
    if (entry.path().extension() != ".tflite") continue;
    SCOPED_TRACE(entry.path().string());
    const tools::Graph first = tools::read_tflite_file(entry.path());
    const std::vector<std::uint8_t> written = tools::write_tflite(first);
    const tools::Graph second = tools::read_tflite(written, "rewritten");
    expect_same_graph(first, second);
    // A second write of the same graph gives the same bytes.
    EXPECT_EQ(tools::write_tflite(second), written);
    ++models;
  }
  EXPECT_GT(models, 100);
}

TEST(TfliteIo, IdenticalConstantsShareABuffer) {
  tools::Graph g;
  tools::GraphTensor c;
  c.type = TensorType::FLOAT32;
  c.shape = {4};
  c.data.assign(16, 7);
  const auto a = g.add_tensor(c);
  const auto b = g.add_tensor(c);
  tools::GraphTensor out;
  out.shape = {4};
  const auto o = g.add_tensor(out);
  tools::GraphOp add;
  add.code = tflite::BuiltinOperator::ADD;
  add.inputs = {a, b};
  add.outputs = {o};
  g.ops.push_back(add);
  g.outputs = {o};
  const auto bytes = tools::write_tflite(g);
  const auto* model = tflite::GetModel(bytes.data());
  EXPECT_EQ(model->buffers()->size(), 2u);  // the sentinel and one shared buffer
  EXPECT_EQ(model->subgraphs()->Get(0)->tensors()->Get(0)->buffer(),
            model->subgraphs()->Get(0)->tensors()->Get(1)->buffer());
}

TEST(TfliteIo, RefusesWhatTheRuntimeRefuses) {
  std::vector<std::uint8_t> junk(64, 0xAB);
  try {
    tools::read_tflite(junk, "junk.tflite");
    FAIL() << "junk must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.tflite: file identifier"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace mote::testing
