#include "tools/onnx/layout.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace mote::tools::onnx_import {
namespace {

// The sub-axes of size > 1 in stored order, as indices into flat(); size-1 sub-axes never affect
// the element order.
std::vector<std::int32_t> stored_nontrivial(const Layout& layout) {
  const Shape flat = layout.flat();
  std::vector<std::int32_t> order;
  for (std::int32_t p : layout.perm) {
    if (flat[static_cast<std::size_t>(p)] > 1) order.push_back(p);
  }
  return order;
}

// A common refinement of two factorizations (sizes > 1, equal products): the pieces, and for
// every axis of `a` and of `b` the range of pieces it covers.
struct Refinement {
  Shape pieces;
  std::vector<std::pair<std::int32_t, std::int32_t>> a_range, b_range;
};

std::optional<Refinement> refine(const Shape& a, const Shape& b) {
  Refinement r;
  std::size_t i = 0, j = 0;
  std::int64_t ra = a.empty() ? 1 : a[0], rb = b.empty() ? 1 : b[0];
  std::int32_t a_start = 0, b_start = 0;
  while (i < a.size() && j < b.size()) {
    const std::int64_t piece = std::min(ra, rb);
    if (ra % piece != 0 || rb % piece != 0) return std::nullopt;
    r.pieces.push_back(static_cast<std::int32_t>(piece));
    ra /= piece;
    rb /= piece;
    const auto end = static_cast<std::int32_t>(r.pieces.size());
    if (ra == 1) {
      r.a_range.emplace_back(a_start, end);
      a_start = end;
      if (++i < a.size()) ra = a[i];
    }
    if (rb == 1) {
      r.b_range.emplace_back(b_start, end);
      b_start = end;
      if (++j < b.size()) rb = b[j];
    }
  }
  if (i != a.size() || j != b.size()) return std::nullopt;
  return r;
}

Shape without_ones(const Shape& s) {
  Shape out;
  for (std::int32_t d : s) {
    if (d != 1) out.push_back(d);
  }
  return out;
}

std::int64_t product(const Shape& s) {
  std::int64_t p = 1;
  for (std::int32_t d : s) p *= d;
  return p;
}

// For a layout: the flat index of every sub-axis of size > 1, grouped per logical axis.
std::vector<std::vector<std::int32_t>> nontrivial_subaxes(const Layout& layout) {
  std::vector<std::vector<std::int32_t>> result(layout.split.size());
  std::int32_t flat_index = 0;
  for (std::size_t a = 0; a < layout.split.size(); ++a) {
    for (std::int32_t d : layout.split[a]) {
      if (d > 1) result[a].push_back(flat_index);
      ++flat_index;
    }
  }
  return result;
}

// The order (as a permutation of `count` pieces) in which a layout stores the pieces of a
// refinement: every non-trivial sub-axis expands to its pieces, in place.
std::vector<std::int32_t> lift(const Layout& layout,
                               const std::vector<std::pair<std::int32_t, std::int32_t>>& ranges) {
  // `ranges` is indexed by the layout's non-trivial sub-axes in logical order.
  const Shape flat = layout.flat();
  std::vector<std::int32_t> rank_of(flat.size(), -1);
  std::int32_t next = 0;
  for (std::size_t k = 0; k < flat.size(); ++k) {
    if (flat[k] > 1) rank_of[k] = next++;
  }
  std::vector<std::int32_t> lifted;
  for (std::int32_t p : stored_nontrivial(layout)) {
    const auto [begin, end] =
        ranges[static_cast<std::size_t>(rank_of[static_cast<std::size_t>(p)])];
    for (std::int32_t g = begin; g < end; ++g) lifted.push_back(g);
  }
  return lifted;
}

}  // namespace

Shape Layout::flat() const {
  Shape f;
  for (const Shape& s : split) f.insert(f.end(), s.begin(), s.end());
  return f;
}

Layout identity_layout(const Shape& shape) {
  Layout l;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    l.split.push_back({shape[i]});
    l.perm.push_back(static_cast<std::int32_t>(i));
  }
  return l;
}

Layout permuted_layout(const Shape& shape, const std::vector<std::int32_t>& order) {
  Layout l = identity_layout(shape);
  l.perm = order;
  return l;
}

Layout without_unit_subaxes(const Layout& layout) {
  Layout out;
  std::vector<std::int32_t> new_index;
  std::int32_t next = 0;
  for (const Shape& sub : layout.split) {
    Shape kept;
    for (std::size_t k = 0; k < sub.size(); ++k) {
      const bool keep =
          sub[k] != 1 ||
          (kept.empty() && std::all_of(sub.begin() + static_cast<std::ptrdiff_t>(k) + 1, sub.end(),
                                       [](std::int32_t d) { return d == 1; }));
      new_index.push_back(keep ? next++ : -1);
      if (keep) kept.push_back(sub[k]);
    }
    out.split.push_back(kept);
  }
  for (std::int32_t p : layout.perm) {
    const std::int32_t n = new_index[static_cast<std::size_t>(p)];
    if (n >= 0) out.perm.push_back(n);
  }
  return out;
}

bool is_whole_axes(const Layout& layout) {
  return std::all_of(layout.split.begin(), layout.split.end(),
                     [](const Shape& s) { return s.size() == 1; });
}

Shape direct_shape(const Layout& layout) {
  const Shape flat = layout.flat();
  Shape s;
  for (std::int32_t p : layout.perm) s.push_back(flat[static_cast<std::size_t>(p)]);
  return s;
}

bool is_identity_order(const Layout& layout) {
  const auto order = stored_nontrivial(layout);
  return std::is_sorted(order.begin(), order.end());
}

std::optional<Layout> reshaped_layout(const Layout& layout, const Shape& new_shape) {
  if (is_identity_order(layout)) return identity_layout(new_shape);
  const Shape old_flat = without_ones(layout.flat());
  const Shape target = without_ones(new_shape);
  if (product(old_flat) != product(target)) {
    throw std::logic_error("reshape changes the element count");
  }
  const auto r = refine(old_flat, target);
  if (!r) return std::nullopt;
  const std::vector<std::int32_t> lifted = lift(layout, r->a_range);
  // The new split: each logical axis of size > 1 is its pieces; size-1 axes get a size-1 sub-axis
  // each, numbered after the pieces.
  Layout out;
  std::size_t target_axis = 0;
  std::vector<std::int32_t> piece_flat_index(r->pieces.size());
  std::vector<std::int32_t> one_flat_index;
  std::vector<std::size_t> one_axis;
  std::int32_t flat_index = 0;
  for (std::size_t a = 0; a < new_shape.size(); ++a) {
    if (new_shape[a] == 1) {
      out.split.push_back({1});
      one_flat_index.push_back(flat_index++);
      one_axis.push_back(a);
      continue;
    }
    const auto [begin, end] = r->b_range[target_axis++];
    Shape sub;
    for (std::int32_t g = begin; g < end; ++g) {
      sub.push_back(r->pieces[static_cast<std::size_t>(g)]);
      piece_flat_index[static_cast<std::size_t>(g)] = flat_index++;
    }
    out.split.push_back(sub);
  }
  for (std::int32_t g : lifted) out.perm.push_back(piece_flat_index[static_cast<std::size_t>(g)]);
  // A size-1 axis goes just before where the next larger logical axis starts in storage, so that
  // an unsqueezed NHWC tensor stays NHWC-looking; at the end when none follows.
  for (std::size_t k = 0; k < one_axis.size(); ++k) {
    std::size_t insert_at = out.perm.size();
    for (std::size_t a = one_axis[k] + 1; a < new_shape.size(); ++a) {
      if (new_shape[a] == 1) continue;
      std::int32_t begin = 0;
      for (std::size_t b = 0; b < a; ++b) begin += static_cast<std::int32_t>(out.split[b].size());
      const auto end = begin + static_cast<std::int32_t>(out.split[a].size());
      for (std::size_t j = 0; j < out.perm.size(); ++j) {
        if (out.perm[j] >= begin && out.perm[j] < end) {
          insert_at = j;
          break;
        }
      }
      break;
    }
    out.perm.insert(out.perm.begin() + static_cast<std::ptrdiff_t>(insert_at), one_flat_index[k]);
  }
  return out;
}

Layout transposed_layout(const Layout& layout, const std::vector<std::int32_t>& perm) {
  std::vector<std::int32_t> old_start(layout.split.size() + 1, 0);
  for (std::size_t a = 0; a < layout.split.size(); ++a) {
    old_start[a + 1] = old_start[a] + static_cast<std::int32_t>(layout.split[a].size());
  }
  std::vector<std::int32_t> new_index(static_cast<std::size_t>(old_start.back()));
  Layout out;
  std::int32_t next = 0;
  for (std::int32_t a : perm) {
    const auto axis = static_cast<std::size_t>(a);
    out.split.push_back(layout.split[axis]);
    for (std::int32_t k = old_start[axis]; k < old_start[axis + 1]; ++k) {
      new_index[static_cast<std::size_t>(k)] = next++;
    }
  }
  for (std::int32_t p : layout.perm) out.perm.push_back(new_index[static_cast<std::size_t>(p)]);
  return out;
}

std::optional<std::vector<std::int32_t>> axis_order(const Layout& layout, const Shape& shape,
                                                    const std::vector<std::int32_t>& hint) {
  const auto subaxes = nontrivial_subaxes(layout);
  const auto stored = stored_nontrivial(layout);
  std::vector<std::int32_t> position(layout.flat().size(), -1);
  for (std::size_t j = 0; j < stored.size(); ++j) {
    position[static_cast<std::size_t>(stored[j])] = static_cast<std::int32_t>(j);
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> keyed;  // (stored position, logical axis)
  for (std::size_t a = 0; a < subaxes.size(); ++a) {
    if (subaxes[a].empty()) continue;
    const std::int32_t first = position[static_cast<std::size_t>(subaxes[a][0])];
    for (std::size_t k = 1; k < subaxes[a].size(); ++k) {
      if (position[static_cast<std::size_t>(subaxes[a][k])] != first + static_cast<std::int32_t>(k))
        return std::nullopt;
    }
    keyed.emplace_back(first, static_cast<std::int32_t>(a));
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::int32_t> order;
  for (const auto& k : keyed) order.push_back(k.second);

  std::vector<std::int32_t> hint_large;
  for (std::int32_t a : hint) {
    if (shape[static_cast<std::size_t>(a)] != 1) hint_large.push_back(a);
  }
  if (hint.size() == shape.size() && hint_large == order) return hint;
  // Size-1 axes right after their logical predecessor.
  for (std::size_t a = 0; a < shape.size(); ++a) {
    if (shape[a] != 1) continue;
    if (a == 0) {
      order.insert(order.begin(), 0);
      continue;
    }
    const auto prev = std::find(order.begin(), order.end(), static_cast<std::int32_t>(a - 1));
    order.insert(prev == order.end() ? order.end() : prev + 1, static_cast<std::int32_t>(a));
  }
  return order;
}

std::optional<Reorder> reorder_between(const Layout& from, const Layout& to) {
  if (from.split.size() != to.split.size()) throw std::logic_error("layouts of different ranks");
  // Refine axis by axis; the pieces of all axes in logical order form one factorization.
  std::vector<std::pair<std::int32_t, std::int32_t>> from_ranges, to_ranges;
  Shape pieces;
  for (std::size_t a = 0; a < from.split.size(); ++a) {
    const auto r = refine(without_ones(from.split[a]), without_ones(to.split[a]));
    if (!r) return std::nullopt;
    const auto offset = static_cast<std::int32_t>(pieces.size());
    for (auto [b, e] : r->a_range) from_ranges.emplace_back(b + offset, e + offset);
    for (auto [b, e] : r->b_range) to_ranges.emplace_back(b + offset, e + offset);
    pieces.insert(pieces.end(), r->pieces.begin(), r->pieces.end());
  }
  const std::vector<std::int32_t> pf = lift(from, from_ranges);
  const std::vector<std::int32_t> pt = lift(to, to_ranges);
  std::vector<std::int32_t> where(pieces.size());
  for (std::size_t j = 0; j < pf.size(); ++j)
    where[static_cast<std::size_t>(pf[j])] = static_cast<std::int32_t>(j);
  std::vector<std::int32_t> q;  // target position j reads source position q[j]
  for (std::int32_t g : pt) q.push_back(where[static_cast<std::size_t>(g)]);

  // Merge runs that stay together: they move as one block.
  std::vector<std::pair<std::int32_t, std::int32_t>> blocks;  // [start, end) in source positions
  for (std::size_t j = 0; j < q.size(); ++j) {
    if (!blocks.empty() && blocks.back().second == q[j]) {
      ++blocks.back().second;
    } else {
      blocks.emplace_back(q[j], q[j] + 1);
    }
  }
  if (blocks.size() <= 1) return Reorder{};
  std::vector<std::size_t> by_source(blocks.size());
  std::iota(by_source.begin(), by_source.end(), 0);
  std::sort(by_source.begin(), by_source.end(),
            [&](std::size_t x, std::size_t y) { return blocks[x].first < blocks[y].first; });
  bool identity = true;
  for (std::size_t k = 0; k < by_source.size(); ++k) identity = identity && by_source[k] == k;
  if (identity) return Reorder{};
  Reorder r;
  std::vector<std::int32_t> source_rank(blocks.size());
  for (std::size_t k = 0; k < by_source.size(); ++k) {
    const auto& [b, e] = blocks[by_source[k]];
    std::int64_t size = 1;
    for (std::int32_t s = b; s < e; ++s)
      size *= pieces[static_cast<std::size_t>(pf[static_cast<std::size_t>(s)])];
    r.source_shape.push_back(static_cast<std::int32_t>(size));
    source_rank[by_source[k]] = static_cast<std::int32_t>(k);
  }
  for (std::size_t j = 0; j < blocks.size(); ++j) r.perm.push_back(source_rank[j]);
  return r;
}

std::vector<double> transpose_values(const std::vector<double>& values, const Shape& shape,
                                     const std::vector<std::int32_t>& perm) {
  const std::size_t rank = shape.size();
  std::vector<std::int64_t> stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) stride[d - 1] = stride[d] * shape[d];
  Shape out_shape(rank);
  std::vector<std::int64_t> out_stride(rank);  // stride in the input of each output dim
  for (std::size_t d = 0; d < rank; ++d) {
    out_shape[d] = shape[static_cast<std::size_t>(perm[d])];
    out_stride[d] = stride[static_cast<std::size_t>(perm[d])];
  }
  std::vector<double> out(values.size());
  std::vector<std::int32_t> index(rank, 0);
  std::int64_t source = 0;
  for (std::size_t n = 0; n < out.size(); ++n) {
    out[n] = values[static_cast<std::size_t>(source)];
    for (std::size_t d = rank; d-- > 0;) {
      source += out_stride[d];
      if (++index[d] < out_shape[d]) break;
      source -= out_stride[d] * out_shape[d];
      index[d] = 0;
    }
  }
  return out;
}

std::vector<double> to_stored_order(const std::vector<double>& values, const Layout& layout) {
  return transpose_values(values, layout.flat(), layout.perm);
}

std::string shape_text(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

}  // namespace mote::tools::onnx_import
