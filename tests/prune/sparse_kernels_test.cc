// Sparse int8 weights (TFLite sparsity, row form) give the dense kernels' bytes, and cost fewer
// MACs and weight bytes.
#include <gtest/gtest.h>

#include <random>

#include "tests/prune/sparse_test_models.h"
#include "tools/analysis/op_cost.h"
#include "tools/graph/sparse_encoding.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

tools::Graph stored_sparse(tools::Graph g) {
  g.tensors[static_cast<std::size_t>(g.ops[0].inputs[1])].sparse = true;
  return g;
}

bool written_sparse(const tools::Graph& g) {
  const auto model = tools::LoadedModel::from_bytes(tools::write_tflite(g), "test model");
  const auto weights = static_cast<std::uint32_t>(g.ops[0].inputs[1]);
  return model->model().tensor(weights).sparsity() != nullptr;
}

TEST(SparseKernels, FullyConnectedMatchesDenseBytes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::int32_t> size(1, 70);
  for (double sparsity : {0.0, 0.5, 0.9, 1.0}) {
    for (int trial = 0; trial < 6; ++trial) {
      const std::int32_t batches = size(rng) % 3 + 1, depth = size(rng), units = size(rng);
      // At 1.0 half the rows are entirely zero and the others dense: empty segments.
      const tools::Graph dense = sparsity == 1.0 ? fc_model(rng, batches, depth, units, 0.0, 2)
                                                 : fc_model(rng, batches, depth, units, sparsity);
      const tools::Graph sparse = stored_sparse(dense);
      SCOPED_TRACE(::testing::Message() << "sparsity " << sparsity << " batches " << batches
                                        << " depth " << depth << " units " << units);
      ASSERT_EQ(written_sparse(sparse), tools::nonzero_elements(sparse.tensors[1]) > 0);
      EXPECT_EQ(run_int8(dense, 100 + static_cast<std::uint32_t>(trial)),
                run_int8(sparse, 100 + static_cast<std::uint32_t>(trial)));
    }
  }
}

TEST(SparseKernels, ConvMatchesDenseBytes) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::int32_t> spatial(3, 9), channels(1, 20), kernel(1, 3),
      stride(1, 2);
  for (double sparsity : {0.0, 0.5, 0.9, 1.0}) {
    for (int trial = 0; trial < 5; ++trial) {
      const std::int32_t h = spatial(rng), w = spatial(rng), in_c = channels(rng),
                         out_c = channels(rng), k = kernel(rng), s = stride(rng);
      const bool same = trial % 2 == 0;
      const tools::Graph dense = conv_model(rng, h, w, in_c, out_c, k, s, same, sparsity);
      const tools::Graph sparse = stored_sparse(dense);
      SCOPED_TRACE(::testing::Message() << "sparsity " << sparsity << " " << h << "x" << w << "x"
                                        << in_c << " -> " << out_c << " k" << k << " s" << s);
      EXPECT_EQ(run_int8(dense, 200 + static_cast<std::uint32_t>(trial)),
                run_int8(sparse, 200 + static_cast<std::uint32_t>(trial)));
    }
  }
}

TEST(SparseKernels, EveryWeightZeroIsWrittenDenseAndStillRuns) {
  std::mt19937 rng(3);
  const tools::Graph dense = fc_model(rng, 1, 16, 8, 1.0);
  const tools::Graph sparse = stored_sparse(dense);
  EXPECT_FALSE(written_sparse(sparse));
  EXPECT_EQ(run_int8(dense, 1), run_int8(sparse, 1));
}

TEST(SparseKernels, SparseWeightsCountOnlyStoredMacsAndBytes) {
  std::mt19937 rng(5);
  const tools::Graph dense = fc_model(rng, 2, 64, 32, 0.75);
  const tools::Graph sparse = stored_sparse(dense);
  ASSERT_TRUE(written_sparse(sparse));
  const auto d = tools::LoadedModel::from_bytes(tools::write_tflite(dense), "dense");
  const auto s = tools::LoadedModel::from_bytes(tools::write_tflite(sparse), "sparse");
  const auto& w = sparse.tensors[static_cast<std::size_t>(sparse.ops[0].inputs[1])];
  std::uint64_t nonzero = 0;
  for (std::uint8_t b : w.data) nonzero += b != 0 ? 1 : 0;
  EXPECT_EQ(tools::model_macs(d->model()), 2u * 64u * 32u);
  EXPECT_EQ(tools::model_macs(s->model()), 2u * nonzero);
  EXPECT_LT(tools::weight_totals(s->model()).bytes, tools::weight_totals(d->model()).bytes);
}

TEST(SparseKernels, ReadBackDenseAndRoundTrips) {
  std::mt19937 rng(9);
  const tools::Graph sparse = stored_sparse(conv_model(rng, 5, 5, 300, 2, 1, 1, true, 0.6));
  // 300 input channels: indices need uint16.
  const tools::Graph back = tools::read_tflite(tools::write_tflite(sparse), "written");
  EXPECT_EQ(back.tensors, sparse.tensors);
}

}  // namespace
}  // namespace mote::testing
