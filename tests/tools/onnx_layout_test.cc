// The layout algebra of the ONNX importer, on cases worked by hand.
#include "tools/onnx/layout.h"

#include <gtest/gtest.h>

namespace mote::tools::onnx_import {
namespace {

const std::vector<std::int32_t> kNhwc = {0, 2, 3, 1};

TEST(OnnxLayout, TransposeValuesMovesElements) {
  // [[0, 1, 2], [3, 4, 5]] transposed is [[0, 3], [1, 4], [2, 5]].
  EXPECT_EQ(transpose_values({0, 1, 2, 3, 4, 5}, {2, 3}, {1, 0}),
            (std::vector<double>{0, 3, 1, 4, 2, 5}));
}

TEST(OnnxLayout, NchwToNhwcIsOneTransposeOfTheNonUnitAxes) {
  const Shape nchw{1, 3, 4, 5};
  const auto r = reorder_between(identity_layout(nchw), permuted_layout(nchw, kNhwc));
  ASSERT_TRUE(r);
  // The batch of 1 drops out and H, W move as one block: [3, 20] -> [20, 3].
  EXPECT_EQ(r->source_shape, (Shape{3, 20}));
  EXPECT_EQ(r->perm, (std::vector<std::int32_t>{1, 0}));
}

TEST(OnnxLayout, SameOrderNeedsOnlyAReshape) {
  // [N, C, 1, 1] stored NHWC is [N, 1, 1, C]: the same bytes as plain [N, C].
  const Shape s{2, 8, 1, 1};
  const auto r = reorder_between(permuted_layout(s, kNhwc), identity_layout(s));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_reshape());
}

TEST(OnnxLayout, FlattenOfNhwcKeepsTheStoredOrderInItsSplit) {
  const Shape nchw{1, 2, 2, 3};  // C=2, H=2, W=3
  const auto flat = reshaped_layout(permuted_layout(nchw, kNhwc), {1, 12});
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->split, (std::vector<Shape>{{1}, {2, 2, 3}}));
  EXPECT_EQ(flat->perm, kNhwc);  // sub-axes N, C, H, W stored as N, H, W, C
  EXPECT_FALSE(is_identity_order(*flat));
  // Row element p (stored, (h, w, c) order) is logical column c*6 + h*3 + w.
  Layout row;
  row.split = {flat->split[1]};
  row.perm = {1, 2, 0};
  std::vector<double> columns(12);
  for (int k = 0; k < 12; ++k) columns[static_cast<std::size_t>(k)] = k;
  EXPECT_EQ(to_stored_order(columns, row),
            (std::vector<double>{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}));
}

TEST(OnnxLayout, ReshapeAcrossATransposeHasNoCommonRefinement) {
  // A transposed [2, 3] viewed as [3, 2] mixes elements of different stored rows: no view.
  const Layout t = permuted_layout({2, 3}, {1, 0});
  EXPECT_FALSE(reshaped_layout(t, {3, 2}));
  // Plain order always reshapes.
  EXPECT_TRUE(reshaped_layout(identity_layout({2, 3}), {3, 2}));
}

TEST(OnnxLayout, TransposeOfAnNhwcValueBackToNhwcIsPlain) {
  // ONNX Transpose(0, 2, 3, 1) of an NCHW value stored NHWC: the logical NHWC tensor is stored
  // in plain order, so the model's own permute costs nothing.
  const Layout l = transposed_layout(permuted_layout({1, 3, 4, 5}, kNhwc), kNhwc);
  EXPECT_TRUE(is_identity_order(l));
}

TEST(OnnxLayout, AxisOrderFindsChannelsLastAndRefusesInterleaving) {
  const Shape s{1, 3, 4, 5};
  EXPECT_EQ(axis_order(permuted_layout(s, kNhwc), s, kNhwc), kNhwc);
  EXPECT_EQ(axis_order(identity_layout(s), s, kNhwc), (std::vector<std::int32_t>{0, 1, 2, 3}));
  Layout interleaved;
  interleaved.split = {{2, 3}, {4}};  // logical [6, 4] with its first axis split around the second
  interleaved.perm = {0, 2, 1};
  EXPECT_FALSE(axis_order(interleaved, {6, 4}, {0, 1}));
}

TEST(OnnxLayout, UnitSubaxesDropWithoutChangingTheOrder) {
  Layout conv1d;  // NCW stored N1WC
  conv1d.split = {{1}, {8}, {1, 64}};
  conv1d.perm = {0, 2, 3, 1};
  const Layout l = without_unit_subaxes(conv1d);
  EXPECT_TRUE(is_whole_axes(l));
  EXPECT_EQ(direct_shape(l), (Shape{1, 64, 8}));
  const auto r = reorder_between(conv1d, l);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_reshape());
}

}  // namespace
}  // namespace mote::tools::onnx_import
