#include "runtime/model/model_checks.h"

#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/core/tensor_type.h"
#include "runtime/model/model.h"
#include "runtime/model/sparsity.h"

namespace mote {
namespace {

using flatbuffers::Vector;

constexpr uint32_t kSchemaVersion = 3;

const char* tensor_name(const tflite::Tensor& t) {
  return t.name() == nullptr ? "" : t.name()->c_str();
}

char printable(uint8_t c) { return (c >= 32 && c < 127) ? static_cast<char>(c) : '?'; }

Status check_tensor(const tflite::Model& model, uint32_t index, const tflite::Tensor& t,
                    const ErrorReporter* reporter) {
  const char* name = tensor_name(t);
  const Vector<int32_t>* shape = t.shape();
  const uint32_t rank = shape == nullptr ? 0 : shape->size();
  if (rank > static_cast<uint32_t>(kMaxRank)) {
    return report_error(reporter, Status::kUnsupported,
                        "tensor %u '%s' has rank %u; mote supports up to %d dimensions", index,
                        name, rank, kMaxRank);
  }
  const size_t element_size = tensor_type_size(t.type());
  if (element_size == 0) {
    return report_error(reporter, Status::kUnsupported,
                        "tensor %u '%s' has type %s, which mote cannot hold in memory", index, name,
                        tensor_type_name(t.type()));
  }
  uint64_t bytes = element_size;
  for (uint32_t d = 0; d < rank; ++d) {
    const int32_t dim = shape->Get(d);
    if (dim < 0) {
      return report_error(reporter, Status::kUnsupported,
                          "tensor %u '%s' has dimension %u of unknown size (%d); mote needs "
                          "static shapes: export the model with a fixed batch size",
                          index, name, d, dim);
    }
    bytes *= static_cast<uint64_t>(dim);
    if (bytes > kMaxTensorBytes) {
      return report_error(reporter, Status::kUnsupported, "tensor %u '%s' is larger than %u bytes",
                          index, name, kMaxTensorBytes);
    }
  }

  const Vector<flatbuffers::Offset<tflite::Buffer>>* buffers = model.buffers();
  if (t.buffer() >= buffers->size()) {
    return report_error(reporter, Status::kInvalidModel,
                        "tensor %u '%s' refers to buffer %u, but the model has %u buffers", index,
                        name, t.buffer(), buffers->size());
  }
  const tflite::Buffer* buffer = buffers->Get(t.buffer());
  const uint32_t held = buffer == nullptr || buffer->data() == nullptr ? 0 : buffer->data()->size();
  if (t.sparsity() != nullptr && !kSparseWeights) {
    return report_error(reporter, Status::kUnsupported,
                        "tensor %u '%s' is stored sparse, and this runtime was built without "
                        "sparse weights; rebuild it with -DMOTE_SPARSE_WEIGHTS=ON (mote firmware "
                        "does so when the model needs it)",
                        index, name);
  }
  if (t.sparsity() != nullptr) {
    // A sparse tensor's buffer holds only the values its sparsity metadata keeps.
    uint64_t stored = 0;
    MOTE_RETURN_IF_ERROR(check_sparsity(*t.sparsity(), index, name, shape, reporter, &stored));
    if (held == 0 || held != stored * element_size) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s' is sparse with %llu stored values (%llu bytes of %s) "
                          "but buffer %u holds %u bytes",
                          index, name, static_cast<unsigned long long>(stored),
                          static_cast<unsigned long long>(stored * element_size),
                          tensor_type_name(t.type()), t.buffer(), held);
    }
  } else if (held != 0 && held != bytes) {
    return report_error(reporter, Status::kInvalidModel,
                        "tensor %u '%s' needs %u bytes (shape x %s) but buffer %u holds %u", index,
                        name, static_cast<uint32_t>(bytes), tensor_type_name(t.type()), t.buffer(),
                        held);
  }

  const tflite::QuantizationParameters* q = t.quantization();
  if (q != nullptr && q->details_type() != tflite::QuantizationDetails::NONE) {
    return report_error(reporter, Status::kUnsupported,
                        "tensor %u '%s' uses custom quantization details, which mote does not read",
                        index, name);
  }
  if (q != nullptr && q->scale() != nullptr && q->scale()->size() > 0) {
    const uint32_t scales = q->scale()->size();
    const uint32_t zero_points = q->zero_point() == nullptr ? 0 : q->zero_point()->size();
    if (zero_points != scales) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s' has %u quantization scales but %u zero points", index,
                          name, scales, zero_points);
    }
    if (scales > 1) {
      int32_t axis = q->quantized_dimension();
      // TensorFlow's converter writes per-channel biases (rank 1) with the filter's axis (3);
      // the only axis a rank-1 tensor has is meant.
      if (rank == 1) axis = 0;
      if (axis < 0 || static_cast<uint32_t>(axis) >= rank) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s' is quantized along dimension %d of a rank-%u tensor",
                            index, name, axis, rank);
      }
      if (static_cast<uint32_t>(shape->Get(axis)) != scales) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s' has %u quantization scales for %d channels along "
                            "dimension %d",
                            index, name, scales, shape->Get(axis), axis);
      }
    }
    // The flatbuffers verifier checks a vector's length prefix (4-byte aligned) but not that
    // 8-byte elements are 8-byte aligned; writers always align them, so a file that does not is
    // corrupted, and reading it would be undefined behaviour.
    if ((reinterpret_cast<uintptr_t>(q->zero_point()->data()) & 7u) != 0) {
      return report_error(reporter, Status::kInvalidModel,
                          "tensor %u '%s' has its zero points at a misaligned offset (a corrupted "
                          "file?)",
                          index, name);
    }
    // A zero point is a value of the tensor's own type (the quantization specification); kernels
    // rely on it to keep their integer arithmetic in range.
    int64_t zp_min = INT32_MIN, zp_max = INT32_MAX;
    switch (t.type()) {
      case tflite::TensorType::INT8:
        zp_min = -128, zp_max = 127;
        break;
      case tflite::TensorType::UINT8:
        zp_min = 0, zp_max = 255;
        break;
      case tflite::TensorType::INT16:
        zp_min = -32768, zp_max = 32767;
        break;
      default:
        break;
    }
    for (uint32_t c = 0; c < zero_points; ++c) {
      const int64_t zp = q->zero_point()->Get(c);
      if (zp < zp_min || zp > zp_max) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s' has zero point %lld at channel %u, outside %s's range",
                            index, name, static_cast<long long>(zp), c, tensor_type_name(t.type()));
      }
    }
    for (uint32_t c = 0; c < scales; ++c) {
      const float s = q->scale()->Get(c);
      // Written so that NaN fails too.
      if (!(s >= 0.0f && s <= 3.0e38f)) {
        return report_error(reporter, Status::kInvalidModel,
                            "tensor %u '%s' has quantization scale %g at channel %u; scales "
                            "must be finite and not negative",
                            index, name, static_cast<double>(s), c);
      }
    }
  }
  return Status::kOk;
}

Status check_index_list(const Vector<int32_t>* list, uint32_t num_tensors, bool allow_absent,
                        const char* what, uint32_t owner, const ErrorReporter* reporter) {
  if (list == nullptr) return Status::kOk;
  for (uint32_t i = 0; i < list->size(); ++i) {
    const int32_t t = list->Get(i);
    const bool absent_ok = allow_absent && t == -1;
    if (!absent_ok && (t < 0 || static_cast<uint32_t>(t) >= num_tensors)) {
      return report_error(reporter, Status::kInvalidModel,
                          "%s %u: entry %u is tensor %d, outside the %u tensors of the model", what,
                          owner, i, t, num_tensors);
    }
  }
  return Status::kOk;
}

bool contains(const Vector<int32_t>* list, int32_t value) {
  if (list == nullptr) return false;
  for (uint32_t i = 0; i < list->size(); ++i) {
    if (list->Get(i) == value) return true;
  }
  return false;
}

bool has_data(const tflite::Model& model, const tflite::Tensor& t) {
  const tflite::Buffer* b = model.buffers()->Get(t.buffer());
  return b != nullptr && b->data() != nullptr && b->data()->size() != 0;
}

// Index of the op that writes `tensor`, searching ops [0, limit); -1 when none does.
int32_t writer_of(const Vector<flatbuffers::Offset<tflite::Operator>>* ops, uint32_t limit,
                  int32_t tensor) {
  for (uint32_t o = 0; o < limit; ++o) {
    if (contains(ops->Get(o)->outputs(), tensor)) return static_cast<int32_t>(o);
  }
  return -1;
}

}  // namespace

tflite::BuiltinOperator effective_builtin_code(const tflite::OperatorCode& code) {
  const int32_t deprecated = code.deprecated_builtin_code();
  const int32_t extended = static_cast<int32_t>(code.builtin_code());
  return static_cast<tflite::BuiltinOperator>(deprecated > extended ? deprecated : extended);
}

uint32_t shape_elements(const Vector<int32_t>* shape) {
  uint32_t n = 1;
  if (shape == nullptr) return n;
  for (uint32_t d = 0; d < shape->size(); ++d) n *= static_cast<uint32_t>(shape->Get(d));
  return n;
}

Status check_model_structure(const uint8_t* data, size_t size, const ErrorReporter* reporter) {
  if (size < 8) {
    return report_error(reporter, Status::kInvalidModel,
                        "model is %zu bytes, too short to hold a TFLite flatbuffer", size);
  }
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    return report_error(reporter, Status::kUnsupported,
                        "model is %zu bytes; flatbuffers models must be under 2 GB", size);
  }
  if (!tflite::ModelBufferHasIdentifier(data)) {
    return report_error(reporter, Status::kInvalidModel,
                        "file identifier is '%c%c%c%c', expected 'TFL3': not a TensorFlow Lite "
                        "model",
                        printable(data[4]), printable(data[5]), printable(data[6]),
                        printable(data[7]));
  }
  flatbuffers::Verifier verifier(data, size);
  if (!tflite::VerifyModelBuffer(verifier)) {
    return report_error(reporter, Status::kInvalidModel,
                        "model failed flatbuffers verification: an offset or length points "
                        "outside its %zu bytes or a table is malformed (truncated or corrupted "
                        "file?)",
                        size);
  }
  return Status::kOk;
}

Status check_model_semantics(const tflite::Model& model, const ErrorReporter* reporter) {
  if (model.version() != kSchemaVersion) {
    return report_error(reporter, Status::kUnsupported,
                        "model has schema version %u; mote reads TFLite schema version %u",
                        model.version(), kSchemaVersion);
  }
  const uint32_t num_subgraphs = model.subgraphs() == nullptr ? 0 : model.subgraphs()->size();
  if (num_subgraphs != 1) {
    return report_error(reporter, Status::kUnsupported,
                        "model has %u subgraphs; mote runs models with exactly one (no IF, "
                        "WHILE or CALL_ONCE)",
                        num_subgraphs);
  }
  const tflite::SubGraph* graph = model.subgraphs()->Get(0);
  if (model.buffers() == nullptr || model.buffers()->size() == 0) {
    return report_error(reporter, Status::kInvalidModel,
                        "model has no buffer list (TFLite requires at least the empty buffer 0)");
  }
  // Absent lists (flatbuffers writes empty ones that way) count as empty.
  const uint32_t num_tensors = graph->tensors() == nullptr ? 0 : graph->tensors()->size();
  const uint32_t num_ops = graph->operators() == nullptr ? 0 : graph->operators()->size();
  if (num_tensors > kMaxTensors || num_ops > kMaxOps) {
    return report_error(reporter, Status::kUnsupported,
                        "model has %u tensors and %u ops; mote plans at most %u of each",
                        num_tensors, num_ops, kMaxTensors);
  }

  for (uint32_t b = 0; b < model.buffers()->size(); ++b) {
    const tflite::Buffer* buffer = model.buffers()->Get(b);
    if (buffer != nullptr && (buffer->offset() > 1 || buffer->size() > 0)) {
      return report_error(reporter, Status::kUnsupported,
                          "buffer %u keeps its data outside the flatbuffer (a model over 2 GB); "
                          "mote reads only embedded data",
                          b);
    }
  }

  for (uint32_t i = 0; i < num_tensors; ++i) {
    const tflite::Tensor* t = graph->tensors()->Get(i);
    MOTE_RETURN_IF_ERROR(check_tensor(model, i, *t, reporter));
  }

  const uint32_t num_codes = model.operator_codes() == nullptr ? 0 : model.operator_codes()->size();
  for (uint32_t c = 0; c < num_codes; ++c) {
    const tflite::OperatorCode* code = model.operator_codes()->Get(c);
    if (code->version() < 1) {
      return report_error(reporter, Status::kInvalidModel,
                          "operator code %u has version %d; versions start at 1", c,
                          code->version());
    }
  }

  MOTE_RETURN_IF_ERROR(
      check_index_list(graph->inputs(), num_tensors, false, "model input list", 0, reporter));
  MOTE_RETURN_IF_ERROR(
      check_index_list(graph->outputs(), num_tensors, false, "model output list", 0, reporter));

  const uint32_t num_inputs = graph->inputs() == nullptr ? 0 : graph->inputs()->size();
  for (uint32_t i = 0; i < num_inputs; ++i) {
    const int32_t t = graph->inputs()->Get(i);
    const tflite::Tensor& tensor = *graph->tensors()->Get(t);
    // The application writes its inputs; a constant's bytes belong to the model (often flash).
    if (has_data(model, tensor) && !tensor.is_variable()) {
      return report_error(reporter, Status::kInvalidModel,
                          "model input %u is tensor %d '%s', which holds constant data", i, t,
                          tensor_name(tensor));
    }
  }

  const auto* ops = graph->operators();
  for (uint32_t o = 0; o < num_ops; ++o) {
    const tflite::Operator* op = ops->Get(o);
    if (op->opcode_index() >= num_codes) {
      return report_error(reporter, Status::kInvalidModel,
                          "op %u uses operator code %u, but the model has %u", o,
                          op->opcode_index(), num_codes);
    }
    MOTE_RETURN_IF_ERROR(check_index_list(op->inputs(), num_tensors, true, "op", o, reporter));
    MOTE_RETURN_IF_ERROR(check_index_list(op->outputs(), num_tensors, false, "op", o, reporter));
    MOTE_RETURN_IF_ERROR(
        check_index_list(op->intermediates(), num_tensors, false, "op", o, reporter));
    const char* name =
        builtin_op_name(effective_builtin_code(*model.operator_codes()->Get(op->opcode_index())));

    if (op->outputs() != nullptr) {
      for (uint32_t k = 0; k < op->outputs()->size(); ++k) {
        const int32_t t = op->outputs()->Get(k);
        const tflite::Tensor& tensor = *graph->tensors()->Get(t);
        if (has_data(model, tensor)) {
          return report_error(reporter, Status::kInvalidModel,
                              "op %u (%s) writes tensor %d '%s', which holds constant data", o,
                              name, t, tensor_name(tensor));
        }
        if (contains(graph->inputs(), t)) {
          return report_error(reporter, Status::kInvalidModel,
                              "op %u (%s) writes tensor %d '%s', which is a model input", o, name,
                              t, tensor_name(tensor));
        }
        const int32_t earlier = writer_of(ops, o, t);
        if (earlier >= 0) {
          return report_error(reporter, Status::kInvalidModel,
                              "tensor %d '%s' is written by op %d and again by op %u", t,
                              tensor_name(tensor), earlier, o);
        }
      }
    }
    // Custom ops may take tensors that nothing writes as scratch space (Vela's Ethos-U op
    // does); builtin ops must only read data that exists.
    const bool is_custom =
        effective_builtin_code(*model.operator_codes()->Get(op->opcode_index())) ==
        tflite::BuiltinOperator::CUSTOM;
    if (op->inputs() != nullptr && !is_custom) {
      for (uint32_t k = 0; k < op->inputs()->size(); ++k) {
        const int32_t t = op->inputs()->Get(k);
        if (t < 0) continue;
        const tflite::Tensor& tensor = *graph->tensors()->Get(t);
        if (has_data(model, tensor) || tensor.is_variable() || contains(graph->inputs(), t)) {
          continue;
        }
        if (writer_of(ops, o, t) < 0) {
          return report_error(reporter, Status::kInvalidModel,
                              "op %u (%s) reads tensor %d '%s' before any op writes it (ops out "
                              "of order, or a missing model input?)",
                              o, name, t, tensor_name(tensor));
        }
      }
    }
  }

  const uint32_t num_outputs = graph->outputs() == nullptr ? 0 : graph->outputs()->size();
  for (uint32_t i = 0; i < num_outputs; ++i) {
    const int32_t t = graph->outputs()->Get(i);
    const tflite::Tensor& tensor = *graph->tensors()->Get(t);
    if (!contains(graph->inputs(), t) && !has_data(model, tensor) &&
        writer_of(ops, num_ops, t) < 0) {
      return report_error(reporter, Status::kInvalidModel,
                          "model output %u is tensor %d '%s', which no op writes", i, t,
                          tensor_name(tensor));
    }
  }
  return Status::kOk;
}

}  // namespace mote
