// How a stored (TFLite) tensor holds the elements of a logical (ONNX) tensor. The importer keeps
// ONNX's shapes as the logical truth and lets the stored element order differ from it, so that a
// whole NCHW network runs in NHWC with layout changes only at the edges: a reshape, squeeze,
// flatten or transpose in ONNX only changes the layout, and an op that needs a particular order
// asks for it (which costs a RESHAPE when the order already matches, a TRANSPOSE otherwise).
//
// A layout views every logical axis as one or more sub-axes (`split`) and stores the sub-axes in
// the order `perm`: stored = transpose(reshape(logical, flattened split), perm). NCHW stored as
// NHWC is split {{N},{C},{H},{W}} with perm {0,2,3,1}; its flatten to [N, C*H*W] is split
// {{N},{C,H,W}} with the same perm, which is how the importer knows a following Gemm must take
// its weight columns in (h, w, c) order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mote::tools::onnx_import {

using Shape = std::vector<std::int32_t>;

struct Layout {
  std::vector<Shape> split;        // per logical axis: its sub-axes, product = the axis' size
  std::vector<std::int32_t> perm;  // stored order of the sub-axes (indices into flat())

  Shape flat() const;  // the sub-axes' sizes in logical order
  bool operator==(const Layout&) const = default;
};

// The plain layout: stored order = logical order.
Layout identity_layout(const Shape& shape);
// Logical axes each unsplit, stored in `order` (a permutation of the logical axes).
Layout permuted_layout(const Shape& shape, const std::vector<std::int32_t>& order);
// The same element order without size-1 sub-axes (an axis of size 1 keeps one).
Layout without_unit_subaxes(const Layout& layout);
// Whether every logical axis is one sub-axis (a pure permutation of the logical axes).
bool is_whole_axes(const Layout& layout);
// The stored shape when each sub-axis is its own stored dimension.
Shape direct_shape(const Layout& layout);
// True when the stored order equals the logical order.
bool is_identity_order(const Layout& layout);
// The layout after an ONNX reshape (also squeeze, unsqueeze, flatten) of the logical tensor, with
// the stored elements untouched; nullopt when the two factorizations cannot be reconciled.
std::optional<Layout> reshaped_layout(const Layout& layout, const Shape& new_shape);
// The layout after an ONNX Transpose with `perm` of the logical tensor (stored bytes untouched).
Layout transposed_layout(const Layout& layout, const std::vector<std::int32_t>& perm);
// When every logical axis is stored as one block of consecutive sub-axes, the order of the logical
// axes in storage (size-1 axes are placed following `hint` where it agrees); else nullopt.
std::optional<std::vector<std::int32_t>> axis_order(const Layout& layout, const Shape& shape,
                                                    const std::vector<std::int32_t>& hint);

// A change of element order reduced to its essentials: reshape the source to `source_shape`,
// transpose by `perm`. Empty perm: the orders already agree (a reshape at most).
struct Reorder {
  Shape source_shape;
  std::vector<std::int32_t> perm;
  bool is_reshape() const { return perm.empty(); }
};
// The reorder that turns `from`'s stored order into `to`'s; both layouts describe the same
// logical shape. nullopt when their splits have no common refinement (go through identity).
std::optional<Reorder> reorder_between(const Layout& from, const Layout& to);

// Values of a logical tensor (row-major) in `layout`'s stored order.
std::vector<double> to_stored_order(const std::vector<double>& values, const Layout& layout);
// Transposes row-major `values` of `shape` by `perm` (output dim i = input dim perm[i]).
std::vector<double> transpose_values(const std::vector<double>& values, const Shape& shape,
                                     const std::vector<std::int32_t>& perm);

std::string shape_text(const Shape& shape);

}  // namespace mote::tools::onnx_import
