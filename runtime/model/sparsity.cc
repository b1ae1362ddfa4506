#include "runtime/model/sparsity.h"

namespace mote {
namespace {

template <typename V>
SparseIndexArray array_of(const V* vector, uint8_t width) {
  SparseIndexArray a;
  a.width = width;
  if (vector != nullptr && vector->values() != nullptr) {
    a.data = reinterpret_cast<const uint8_t*>(vector->values()->data());
    a.size = vector->values()->size();
  }
  return a;
}

SparseIndexArray array_of_union(tflite::SparseIndexVector type, const void* table) {
  switch (type) {
    case tflite::SparseIndexVector::Int32Vector:
      return array_of(static_cast<const tflite::Int32Vector*>(table), 4);
    case tflite::SparseIndexVector::Uint16Vector:
      return array_of(static_cast<const tflite::Uint16Vector*>(table), 2);
    case tflite::SparseIndexVector::Uint8Vector:
      return array_of(static_cast<const tflite::Uint8Vector*>(table), 1);
    default:
      return SparseIndexArray();
  }
}

}  // namespace

SparseIndexArray sparse_segments(const tflite::DimensionMetadata& m) {
  return array_of_union(m.array_segments_type(), m.array_segments());
}

SparseIndexArray sparse_indices(const tflite::DimensionMetadata& m) {
  return array_of_union(m.array_indices_type(), m.array_indices());
}

Status check_sparsity(const tflite::SparsityParameters& sparsity, uint32_t index, const char* name,
                      const flatbuffers::Vector<int32_t>* shape, const ErrorReporter* reporter,
                      uint64_t* stored_elements) {
  const uint32_t rank = shape == nullptr ? 0 : shape->size();
  if (sparsity.block_map() != nullptr && sparsity.block_map()->size() != 0) {
    return report_error(reporter, Status::kUnsupported,
                        "tensor %u '%s' is stored in sparse blocks (block_map); mote reads only "
                        "element-wise sparsity",
                        index, name);
  }
  const auto* order = sparsity.traversal_order();
  const auto* metadata = sparsity.dim_metadata();
  const uint32_t levels = order == nullptr ? 0 : order->size();
  if (rank == 0 || levels != rank) {
    return report_error(reporter, Status::kInvalidModel,
                        "tensor %u '%s' has a sparse traversal order of %u dimensions for a "
                        "rank-%u tensor",
                        index, name, levels, rank);
  }
  const uint32_t entries = metadata == nullptr ? 0 : metadata->size();
  if (entries != levels) {
    return report_error(reporter, Status::kInvalidModel,
                        "tensor %u '%s' has %u sparse dimension metadata entries for %u "
                        "dimensions",
                        index, name, entries, levels);
  }
  uint32_t seen = 0;  // bit d: dimension d already appears in the traversal order
  for (uint32_t k = 0; k < levels; ++k) {
    const int32_t d = order->Get(k);
    if (d < 0 || static_cast<uint32_t>(d) >= rank || (seen & (1u << d)) != 0) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s' has sparse traversal order entry %u = %d, not a "
                          "permutation of its %u dimensions",
                          index, name, k, d, rank);
    }
    seen |= 1u << d;
  }

  // Positions of the level above: 1 at the root, then what each level keeps.
  uint64_t positions = 1;
  for (uint32_t k = 0; k < levels; ++k) {
    const tflite::DimensionMetadata* m = metadata->Get(k);
    const uint32_t dim = static_cast<uint32_t>(shape->Get(static_cast<uint32_t>(order->Get(k))));
    if (m == nullptr) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s' has no sparse metadata for level %u", index, name, k);
    }
    if (m->format() == tflite::DimensionType::DENSE) {
      if (m->dense_size() < 0 || static_cast<uint32_t>(m->dense_size()) != dim) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s': dense sparse level %u has size %d but the "
                            "dimension has %u",
                            index, name, k, m->dense_size(), dim);
      }
      positions *= dim;
      continue;
    }
    if (m->format() != tflite::DimensionType::SPARSE_CSR) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s': sparse level %u has unknown format %d", index, name, k,
                          static_cast<int>(m->format()));
    }
    const SparseIndexArray segments = sparse_segments(*m);
    const SparseIndexArray indices = sparse_indices(*m);
    if (!segments.present() || !indices.present()) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s': compressed sparse level %u lacks its %s", index, name, k,
                          segments.present() ? "indices" : "segments");
    }
    if (segments.size != positions + 1) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s': compressed sparse level %u has %u segment bounds for "
                          "%llu positions (needs one more)",
                          index, name, k, segments.size,
                          static_cast<unsigned long long>(positions));
    }
    if (segments.get(0) != 0) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s': compressed sparse level %u starts its first segment "
                          "at %u, not 0",
                          index, name, k, segments.get(0));
    }
    for (uint32_t p = 0; p + 1 < segments.size; ++p) {
      const uint32_t begin = segments.get(p);
      const uint32_t end = segments.get(p + 1);
      if (end < begin || end > indices.size) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s': compressed sparse level %u segment %u spans "
                            "[%u, %u) of %u indices (segments must not decrease)",
                            index, name, k, p, begin, end, indices.size);
      }
      for (uint32_t i = begin; i < end; ++i) {
        const uint32_t value = indices.get(i);
        if (value >= dim) {
          return report_error(reporter, Status::kInvalidModel,
                              "tensor %u '%s': compressed sparse level %u index %u is %u, "
                              "outside the dimension's %u",
                              index, name, k, i, value, dim);
        }
        if (i > begin && value <= indices.get(i - 1)) {
          return report_error(reporter, Status::kInvalidModel,
                              "tensor %u '%s': compressed sparse level %u indices %u and %u are "
                              "not increasing (%u then %u)",
                              index, name, k, i - 1, i, indices.get(i - 1), value);
        }
      }
    }
    if (segments.get(segments.size - 1) != indices.size) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s': compressed sparse level %u segments end at %u but "
                          "there are %u indices",
                          index, name, k, segments.get(segments.size - 1), indices.size);
    }
    positions = indices.size;
  }
  *stored_elements = positions;
  return Status::kOk;
}

}  // namespace mote
