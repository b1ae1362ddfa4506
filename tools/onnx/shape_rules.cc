#include "tools/onnx/shape_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace mote::tools::onnx_import {

std::int32_t normalize_axis(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    throw std::runtime_error(fmt::format("axis {} is out of range for rank {}", axis, rank));
  }
  return static_cast<std::int32_t>(axis < 0 ? axis + r : axis);
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int32_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const std::int32_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1) {
      throw std::runtime_error(
          fmt::format("shapes {} and {} do not broadcast", shape_text(a), shape_text(b)));
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::int64_t element_count(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int32_t d : shape) n *= d;
  return n;
}

Shape reshape_target(const Shape& input, const std::vector<std::int64_t>& spec, bool allowzero) {
  Shape out;
  int infer = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    std::int64_t d = spec[i];
    if (d == 0 && !allowzero) {
      if (i >= input.size()) {
        throw std::runtime_error(
            fmt::format("reshape copies dimension {} of a rank-{} input", i, input.size()));
      }
      d = input[i];
    }
    if (d == -1) {
      if (infer >= 0) throw std::runtime_error("reshape has more than one -1 dimension");
      infer = static_cast<int>(i);
      out.push_back(1);
      continue;
    }
    if (d < 0) throw std::runtime_error(fmt::format("reshape dimension {} is {}", i, d));
    out.push_back(static_cast<std::int32_t>(d));
    known *= d;
  }
  const std::int64_t total = element_count(input);
  if (infer >= 0) {
    if (known == 0 || total % known != 0) {
      throw std::runtime_error(
          fmt::format("cannot reshape {} to {}", shape_text(input), fmt::join(spec, ",")));
    }
    out[static_cast<std::size_t>(infer)] = static_cast<std::int32_t>(total / known);
  }
  if (element_count(out) != total) {
    throw std::runtime_error(fmt::format("cannot reshape {} ({} elements) to {}", shape_text(input),
                                         total, shape_text(out)));
  }
  return out;
}

Shape flatten_shape(const Shape& input, std::int64_t axis) {
  const auto rank = static_cast<std::int64_t>(input.size());
  if (axis < -rank || axis > rank) {
    throw std::runtime_error(
        fmt::format("flatten axis {} is out of range for rank {}", axis, rank));
  }
  if (axis < 0) axis += rank;
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= input[static_cast<std::size_t>(i)];
  return {static_cast<std::int32_t>(outer), static_cast<std::int32_t>(inner)};
}

Shape squeeze_shape(const Shape& input, const std::vector<std::int64_t>& axes) {
  std::vector<bool> drop(input.size(), false);
  if (axes.empty()) {
    for (std::size_t i = 0; i < input.size(); ++i) drop[i] = input[i] == 1;
  }
  for (std::int64_t a : axes) {
    const auto i = static_cast<std::size_t>(normalize_axis(a, input.size()));
    if (input[i] != 1) {
      throw std::runtime_error(fmt::format("squeezes axis {} of size {}", a, input[i]));
    }
    drop[i] = true;
  }
  Shape out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!drop[i]) out.push_back(input[i]);
  }
  return out;
}

Shape unsqueeze_shape(const Shape& input, const std::vector<std::int64_t>& axes) {
  const std::size_t rank = input.size() + axes.size();
  std::vector<bool> inserted(rank, false);
  for (std::int64_t a : axes) {
    const auto i = static_cast<std::size_t>(normalize_axis(a, rank));
    if (inserted[i]) throw std::runtime_error(fmt::format("unsqueeze repeats axis {}", a));
    inserted[i] = true;
  }
  Shape out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < rank; ++i) out.push_back(inserted[i] ? 1 : input[next++]);
  return out;
}

}  // namespace mote::tools::onnx_import
