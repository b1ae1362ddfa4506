#include "tools/prune/tensor_slicing.h"

#include <fmt/format.h>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace mote::tools {
namespace {

// Elements of the dimensions after `axis`.
std::size_t inner_size(const GraphTensor& t, int axis) {
  std::size_t n = 1;
  for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < t.shape.size(); ++d) {
    n *= static_cast<std::size_t>(t.shape[d]);
  }
  return n;
}

std::size_t channel_of(const GraphTensor& t, std::size_t i) {
  if (t.quant.scale.size() <= 1) return 0;
  const int axis = t.shape.size() == 1 ? 0 : t.quant.axis;
  return (i / inner_size(t, axis)) %
         static_cast<std::size_t>(t.shape[static_cast<std::size_t>(axis)]);
}

}  // namespace

double real_value(const GraphTensor& t, std::size_t i) {
  double q = 0.0;
  const std::uint8_t* p = t.data.data() + i * tensor_type_size(t.type);
  switch (t.type) {
    case TensorType::FLOAT32: {
      float v;
      std::memcpy(&v, p, 4);
      return v;
    }
    case TensorType::INT8:
      q = static_cast<std::int8_t>(*p);
      break;
    case TensorType::INT16: {
      std::int16_t v;
      std::memcpy(&v, p, 2);
      q = v;
      break;
    }
    case TensorType::INT32: {
      std::int32_t v;
      std::memcpy(&v, p, 4);
      q = v;
      break;
    }
    default:
      throw std::runtime_error(fmt::format("tensor '{}' has type {}, which pruning does not read",
                                           t.name, tensor_type_name(t.type)));
  }
  if (!t.quant.quantized()) return q;
  const std::size_t c = channel_of(t, i);
  return (q - static_cast<double>(t.quant.zero_point[c])) * t.quant.scale[c];
}

std::vector<double> l1_norms(const GraphTensor& t, int axis) {
  const auto size = static_cast<std::size_t>(t.shape.at(static_cast<std::size_t>(axis)));
  const std::size_t inner = inner_size(t, axis);
  std::vector<double> norms(size, 0.0);
  for (std::size_t i = 0; i < t.elements(); ++i) {
    norms[(i / inner) % size] += std::fabs(real_value(t, i));
  }
  return norms;
}

void keep_along_axis(GraphTensor& t, int axis, const std::vector<bool>& keep) {
  const auto a = static_cast<std::size_t>(axis);
  if (a >= t.shape.size() || keep.size() != static_cast<std::size_t>(t.shape[a])) {
    throw std::runtime_error(fmt::format(
        "cannot slice tensor '{}' along dimension {} with {} flags", t.name, axis, keep.size()));
  }
  std::size_t kept = 0;
  for (bool k : keep) kept += k ? 1 : 0;
  if (t.is_constant()) {
    const std::size_t element = tensor_type_size(t.type);
    const std::size_t inner = inner_size(t, axis) * element;
    const std::size_t outer = t.data.size() / (inner * keep.size());
    std::vector<std::uint8_t> data;
    data.reserve(outer * kept * inner);
    for (std::size_t o = 0; o < outer; ++o) {
      for (std::size_t i = 0; i < keep.size(); ++i) {
        if (!keep[i]) continue;
        const auto* begin = t.data.data() + (o * keep.size() + i) * inner;
        data.insert(data.end(), begin, begin + inner);
      }
    }
    t.data = std::move(data);
  }
  const int quant_axis = t.shape.size() == 1 ? 0 : t.quant.axis;
  if (t.quant.scale.size() > 1 && quant_axis == axis) {
    QuantParams q = t.quant;
    q.scale.clear();
    q.zero_point.clear();
    for (std::size_t i = 0; i < keep.size(); ++i) {
      if (!keep[i]) continue;
      q.scale.push_back(t.quant.scale[i]);
      q.zero_point.push_back(t.quant.zero_point[i]);
    }
    t.quant = std::move(q);
  }
  t.shape[a] = static_cast<std::int32_t>(kept);
  if (a < t.shape_signature.size()) t.shape_signature[a] = static_cast<std::int32_t>(kept);
}

}  // namespace mote::tools
