// The checks Model::load runs before anything reads a model: the flatbuffer's structure first
// (so that every later access stays inside the buffer), then the meaning of what it holds.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {

// Checks size, file identifier and the flatbuffers verifier over `size` bytes.
Status check_model_structure(const uint8_t* data, size_t size, const ErrorReporter* reporter);

// Checks a structurally valid model: schema version, one subgraph, indices in range, buffer sizes
// that match shape × type, quantization parameter counts, and that every op reads only tensors
// that are constant, variable, model inputs or written by an earlier op.
Status check_model_semantics(const tflite::Model& model, const ErrorReporter* reporter);

// The operator an OperatorCode names: the larger of its two code fields, as TFLite defines it.
tflite::BuiltinOperator effective_builtin_code(const tflite::OperatorCode& code);

// Product of `shape` (1 for a null or empty shape); only valid on verified models.
uint32_t shape_elements(const flatbuffers::Vector<int32_t>* shape);

}  // namespace mote
