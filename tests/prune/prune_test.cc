// Magnitude and channel pruning on golden models: what they save, that the result runs, and that
// channels which cannot be removed consistently are left whole with the reason.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "tools/graph/sparse_encoding.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/prune/channel_pruning.h"
#include "tools/prune/magnitude_pruning.h"
#include "tools/prune/model_figures.h"

namespace mote::tools {
namespace {

// The shared data: the MOTE_SHARED_DIR environment variable when set (a worktree beside the
// checkout has no ../shared), else the directory configured at build time.
std::filesystem::path golden(const char* name) {
  const char* env = std::getenv("MOTE_SHARED_DIR");
  const std::filesystem::path shared = env != nullptr ? env : MOTE_SHARED_DIR;
  return shared / "golden" / "models" / name;
}

// Runs `graph` once on a deterministic input; returns output 0.
std::vector<std::uint8_t> run_once(const Graph& graph) {
  const auto model = LoadedModel::from_bytes(write_tflite(graph), "pruned");
  HostInterpreter host(*model);
  for (std::uint32_t i = 0; i < graph.inputs.size(); ++i) {
    std::vector<std::uint8_t> input(
        graph.tensors[static_cast<std::size_t>(graph.inputs[i])].bytes());
    for (std::size_t k = 0; k < input.size(); ++k)
      input[k] = static_cast<std::uint8_t>(k * 37 % 251);
    host.set_input(i, input);
  }
  host.invoke();
  const auto out = host.output_bytes(0);
  return {out.begin(), out.end()};
}

TEST(MagnitudePruning, SeventyFivePercentCutsWeightBytesAndMacs) {
  Graph graph = read_tflite_file(golden("person_detect.tflite"));
  const ModelFigures before = model_figures(graph);
  MagnitudeOptions options;
  options.sparsity = 0.75;
  const auto rows = prune_magnitude(graph, options);
  ASSERT_FALSE(rows.empty());
  for (const auto& r : rows) {
    // Per layer: at least 75 % of each layer's weights are zero (round to nearest).
    EXPECT_GE(static_cast<double>(r.zeros_after), 0.75 * static_cast<double>(r.elements) - 0.5)
        << r.weights;
  }
  const ModelFigures after = model_figures(graph);
  EXPECT_LT(after.weight_bytes, before.weight_bytes);
  EXPECT_LT(after.file_bytes, before.file_bytes);
  EXPECT_LT(after.macs, before.macs);
  EXPECT_LE(after.nonzero_weights, before.weight_elements / 4 + rows.size());
  EXPECT_EQ(run_once(graph).size(), 2u);
}

TEST(MagnitudePruning, GlobalThresholdReachesTheShareOverAllLayers) {
  Graph graph = read_tflite_file(golden("hello_world_int8.tflite"));
  MagnitudeOptions options;
  options.sparsity = 0.5;
  options.scope = SparsityScope::kGlobal;
  const auto rows = prune_magnitude(graph, options);
  std::size_t elements = 0, zeros = 0;
  for (const auto& r : rows) {
    elements += r.elements;
    zeros += r.zeros_after;
  }
  EXPECT_GE(zeros * 2, elements - 1);
}

TEST(MagnitudePruning, RefusesSparsityOutsideZeroToOne) {
  Graph graph = read_tflite_file(golden("hello_world_int8.tflite"));
  MagnitudeOptions options;
  options.sparsity = 1.5;
  EXPECT_THROW(prune_magnitude(graph, options), std::runtime_error);
}

TEST(ChannelPruning, HalfTheChannelsOfAConvModelHalvesMacsAndRuns) {
  Graph graph = read_tflite_file(golden("person_detect.tflite"));
  const ModelFigures before = model_figures(graph);
  const auto rows = prune_channels(graph, 0.5);
  std::size_t pruned = 0;
  for (const auto& r : rows) {
    if (r.skipped.empty()) {
      ++pruned;
      EXPECT_EQ(r.channels_after, r.channels_before - r.channels_before / 2);
    }
  }
  EXPECT_GT(pruned, 10u);
  graph.remove_unused_tensors();
  const ModelFigures after = model_figures(graph);
  EXPECT_LE(after.macs * 2, before.macs);
  EXPECT_LT(after.weight_bytes * 2, before.weight_bytes);
  EXPECT_LE(after.arena_bytes, before.arena_bytes);
  EXPECT_EQ(run_once(graph).size(), 2u);
}

TEST(ChannelPruning, HiddenLayersOfADenseModelLoseChannelsAndItStillRuns) {
  Graph graph = read_tflite_file(golden("hello_world_int8.tflite"));
  const auto rows = prune_channels(graph, 0.5);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].skipped.empty());
  EXPECT_TRUE(rows[1].skipped.empty());
  // The last layer has one output unit: nothing to remove, whatever feeds the output.
  EXPECT_FALSE(rows[2].skipped.empty());
  EXPECT_EQ(rows[2].channels_after, 1u);
  EXPECT_EQ(run_once(graph).size(), 1u);
}

TEST(ChannelPruning, RefusesChannelsJoinedByAResidualAdd) {
  // conv_a -> x; conv_b(x) -> y; ADD(x, y) -> z; conv_c(z) -> out. conv_a's and conv_b's channels
  // meet in the ADD, so neither can lose channels alone.
  std::mt19937 rng(2);
  Graph g;
  auto act = [&](const char* name) {
    GraphTensor t;
    t.name = name;
    t.shape = {1, 4, 4, 8};
    return g.add_tensor(t);
  };
  auto conv = [&](std::int32_t in, std::int32_t out) {
    GraphTensor w;
    w.name = "w";
    w.shape = {8, 1, 1, 8};
    std::vector<float> v(64);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (float& x : v) x = d(rng);
    set_tensor_values<float>(w, v);
    GraphOp op;
    op.code = tflite::BuiltinOperator::CONV_2D;
    op.inputs = {in, g.add_tensor(w)};
    op.outputs = {out};
    tflite::Conv2DOptionsT o;
    o.stride_h = o.stride_w = 1;
    op.options.Set(o);
    g.ops.push_back(std::move(op));
  };
  const std::int32_t in = act("in"), x = act("x"), y = act("y"), z = act("z"), out = act("out");
  g.inputs = {in};
  g.outputs = {out};
  conv(in, x);
  conv(x, y);
  GraphOp add;
  add.code = tflite::BuiltinOperator::ADD;
  add.inputs = {x, y};
  add.outputs = {z};
  add.options.Set(tflite::AddOptionsT());
  g.ops.push_back(std::move(add));
  conv(z, out);
  const auto rows = prune_channels(g, 0.5);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[0].skipped.find("ADD"), std::string::npos) << rows[0].skipped;
  EXPECT_NE(rows[1].skipped.find("ADD"), std::string::npos) << rows[1].skipped;
  EXPECT_NE(rows[2].skipped.find("model output"), std::string::npos) << rows[2].skipped;
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(x)].shape[3], 8);
}

}  // namespace
}  // namespace mote::tools
