#include "tools/graph/sparse_encoding.h"

#include <algorithm>
#include <stdexcept>

namespace mote::tools {
namespace {

bool is_zero(const std::uint8_t* element, std::size_t size) {
  return std::all_of(element, element + size, [](std::uint8_t b) { return b == 0; });
}

// Bytes per entry of an index vector whose largest value is `max_value`.
std::size_t index_width(std::size_t max_value) {
  if (max_value <= 0xFF) return 1;
  if (max_value <= 0xFFFF) return 2;
  return 4;
}

tflite::SparseIndexVectorUnion index_vector(const std::vector<std::uint32_t>& values,
                                            std::size_t max_value) {
  tflite::SparseIndexVectorUnion u;
  switch (index_width(max_value)) {
    case 1: {
      auto v = std::make_unique<tflite::Uint8VectorT>();
      v->values.assign(values.begin(), values.end());
      u.Set(std::move(*v));
      break;
    }
    case 2: {
      auto v = std::make_unique<tflite::Uint16VectorT>();
      v->values.assign(values.begin(), values.end());
      u.Set(std::move(*v));
      break;
    }
    default: {
      auto v = std::make_unique<tflite::Int32VectorT>();
      v->values.assign(values.begin(), values.end());
      u.Set(std::move(*v));
      break;
    }
  }
  return u;
}

std::vector<std::uint32_t> index_values(const tflite::SparseIndexVectorUnion& u) {
  if (const auto* v = u.AsInt32Vector()) return {v->values.begin(), v->values.end()};
  if (const auto* v = u.AsUint16Vector()) return {v->values.begin(), v->values.end()};
  if (const auto* v = u.AsUint8Vector()) return {v->values.begin(), v->values.end()};
  return {};
}

}  // namespace

std::vector<std::uint8_t> densify(const tflite::SparsityParametersT& sparsity,
                                  const std::vector<std::int32_t>& shape, TensorType type,
                                  const std::vector<std::uint8_t>& values) {
  if (!sparsity.block_map.empty()) throw std::runtime_error("block sparsity is not supported");
  const std::size_t element = tensor_type_size(type);
  std::size_t total = 1;
  for (std::int32_t d : shape) total *= static_cast<std::size_t>(d);
  std::vector<std::uint8_t> dense(total * element, 0);
  std::vector<std::size_t> strides(shape.size(), 1);
  for (std::size_t d = shape.size(); d-- > 1;) {
    strides[d - 1] = strides[d] * static_cast<std::size_t>(shape[d]);
  }
  const std::size_t levels = sparsity.traversal_order.size();
  std::vector<std::vector<std::uint32_t>> segments(levels), indices(levels);
  for (std::size_t k = 0; k < levels; ++k) {
    segments[k] = index_values(sparsity.dim_metadata[k]->array_segments);
    indices[k] = index_values(sparsity.dim_metadata[k]->array_indices);
  }
  // Depth-first over the levels: `position` is the entry of level k's parent, `offset` the
  // dense element offset of the coordinates fixed so far.
  auto walk = [&](auto&& self, std::size_t k, std::size_t position, std::size_t offset) -> void {
    if (k == levels) {
      std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(position * element), element,
                  dense.begin() + static_cast<std::ptrdiff_t>(offset * element));
      return;
    }
    const auto d = static_cast<std::size_t>(sparsity.traversal_order[k]);
    const tflite::DimensionMetadataT& m = *sparsity.dim_metadata[k];
    if (m.format == tflite::DimensionType::DENSE) {
      const auto size = static_cast<std::size_t>(shape[d]);
      for (std::size_t i = 0; i < size; ++i)
        self(self, k + 1, position * size + i, offset + i * strides[d]);
    } else {
      for (std::uint32_t j = segments[k][position]; j < segments[k][position + 1]; ++j) {
        self(self, k + 1, j, offset + indices[k][j] * strides[d]);
      }
    }
  };
  walk(walk, 0, 0, 0);
  return dense;
}

SparseEncoding encode_sparse_rows(const GraphTensor& t) {
  if (t.shape.empty()) throw std::runtime_error("cannot store a scalar sparse");
  const std::size_t element = tensor_type_size(t.type);
  const auto row_length = static_cast<std::size_t>(t.shape.back());
  const std::size_t rows = row_length == 0 ? 0 : t.elements() / row_length;
  SparseEncoding out;
  out.sparsity = std::make_unique<tflite::SparsityParametersT>();
  std::vector<std::uint32_t> segments{0};
  std::vector<std::uint32_t> indices;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < row_length; ++i) {
      const std::uint8_t* e = t.data.data() + (r * row_length + i) * element;
      if (is_zero(e, element)) continue;
      indices.push_back(static_cast<std::uint32_t>(i));
      out.values.insert(out.values.end(), e, e + element);
    }
    segments.push_back(static_cast<std::uint32_t>(indices.size()));
  }
  for (std::size_t d = 0; d < t.shape.size(); ++d) {
    out.sparsity->traversal_order.push_back(static_cast<std::int32_t>(d));
    auto m = std::make_unique<tflite::DimensionMetadataT>();
    if (d + 1 < t.shape.size()) {
      m->format = tflite::DimensionType::DENSE;
      m->dense_size = t.shape[d];
    } else {
      m->format = tflite::DimensionType::SPARSE_CSR;
      m->array_segments = index_vector(segments, indices.size());
      m->array_indices = index_vector(indices, row_length == 0 ? 0 : row_length - 1);
    }
    out.sparsity->dim_metadata.push_back(std::move(m));
  }
  return out;
}

std::size_t nonzero_elements(const GraphTensor& t) {
  const std::size_t element = tensor_type_size(t.type);
  std::size_t n = 0;
  for (std::size_t i = 0; i + element <= t.data.size(); i += element) {
    if (!is_zero(t.data.data() + i, element)) ++n;
  }
  return n;
}

std::size_t sparse_storage_bytes(const GraphTensor& t) {
  if (t.shape.empty()) return t.bytes();
  const std::size_t nonzero = nonzero_elements(t);
  const auto row_length = static_cast<std::size_t>(t.shape.back());
  const std::size_t rows = row_length == 0 ? 0 : t.elements() / row_length;
  return nonzero * tensor_type_size(t.type) + (rows + 1) * index_width(nonzero) +
         nonzero * index_width(row_length == 0 ? 0 : row_length - 1);
}

}  // namespace mote::tools
