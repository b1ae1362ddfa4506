// The model reader refuses malformed sparsity metadata with a message naming the problem.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <stdexcept>

#include "tests/prune/sparse_test_models.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using Mutation = std::function<void(tflite::ModelT&, tflite::TensorT&)>;

// Writes a small sparse FC model, applies `mutate` to its weight tensor and returns the refusal.
std::string refusal_after(const Mutation& mutate) {
  std::mt19937 rng(1);
  tools::Graph g = fc_model(rng, 1, 12, 6, 0.5);
  g.tensors[static_cast<std::size_t>(g.ops[0].inputs[1])].sparse = true;
  const std::vector<std::uint8_t> bytes = tools::write_tflite(g);
  std::unique_ptr<tflite::ModelT> model(tflite::GetModel(bytes.data())->UnPack());
  tflite::TensorT& weights =
      *model->subgraphs[0]->tensors[static_cast<std::size_t>(g.ops[0].inputs[1])];
  mutate(*model, weights);
  flatbuffers::FlatBufferBuilder fbb;
  tflite::FinishModelBuffer(fbb, tflite::Model::Pack(fbb, model.get()));
  try {
    tools::LoadedModel::from_bytes({fbb.GetBufferPointer(), fbb.GetSize()}, "mutated");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

std::vector<std::uint8_t>& indices(tflite::TensorT& t) {
  return t.sparsity->dim_metadata[1]->array_indices.AsUint8Vector()->values;
}
std::vector<std::uint8_t>& segments(tflite::TensorT& t) {
  return t.sparsity->dim_metadata[1]->array_segments.AsUint8Vector()->values;
}

TEST(SparsityVerifier, AcceptsTheWrittenModel) {
  EXPECT_EQ(refusal_after([](tflite::ModelT&, tflite::TensorT&) {}), "");
}

TEST(SparsityVerifier, RefusesIndexOutsideTheDimension) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              indices(t).back() = 12;
            }).find("outside the dimension"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesIndicesNotIncreasing) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              auto& i = indices(t);
              i[1] = i[0];
            }).find("not increasing"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesDecreasingSegments) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              auto& s = segments(t);
              ASSERT_GT(s[1], 0);
              s[2] = 0;  // row 1 would end before it starts
            }).find("must not decrease"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesWrongSegmentCount) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              segments(t).pop_back();
            }).find("segment bounds for 6 positions"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesSegmentsNotEndingAtTheIndexCount) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              indices(t).pop_back();
            }).find("indices"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesBufferOfTheWrongSize) {
  EXPECT_NE(refusal_after([](tflite::ModelT& m, tflite::TensorT& t) {
              m.buffers[t.buffer]->data.push_back(1);
            }).find("stored values"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesDenseSizeThatIsNotTheDimension) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              t.sparsity->dim_metadata[0]->dense_size = 5;
            }).find("dense sparse level 0 has size 5"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesTraversalOrderThatIsNoPermutation) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              t.sparsity->traversal_order = {0, 0};
            }).find("not a permutation"),
            std::string::npos);
}

TEST(SparsityVerifier, RefusesBlockSparsity) {
  EXPECT_NE(refusal_after([](tflite::ModelT&, tflite::TensorT& t) {
              t.sparsity->block_map = {1};
            }).find("block_map"),
            std::string::npos);
}

TEST(SparsityVerifier, KernelsThatDoNotReadSparseRefuseIt) {
  // A valid sparse tensor on a float FULLY_CONNECTED, whose float path reads only dense weights.
  tools::Graph g;
  tools::GraphTensor in;
  in.name = "in";
  in.shape = {1, 4};
  g.inputs = {g.add_tensor(in)};
  tools::GraphTensor w;
  w.name = "w";
  w.shape = {2, 4};
  const std::vector<float> values{0, 1, 0, 2, 0, 0, 3, 0};
  tools::set_tensor_values<float>(w, values);
  w.sparse = true;
  tools::GraphTensor out;
  out.name = "out";
  out.shape = {1, 2};
  tools::GraphOp op;
  op.code = tflite::BuiltinOperator::FULLY_CONNECTED;
  op.inputs = {0, g.add_tensor(w)};
  g.outputs = {g.add_tensor(out)};
  op.outputs = g.outputs;
  op.options.Set(tflite::FullyConnectedOptionsT());
  g.ops.push_back(std::move(op));
  const auto model = tools::LoadedModel::from_bytes(tools::write_tflite(g), "float sparse");
  try {
    tools::measure_arena(model->model());
    FAIL() << "a sparse float weight tensor was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sparse"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mote::testing
