// Element types of tensors, as the TFLite format numbers them.
#pragma once

#include <cstddef>

#include "runtime/schema/tflite_subset_generated.h"

namespace mote {

using TensorType = tflite::TensorType;

// Bytes per element of `type`; 0 for types the runtime cannot hold (strings, packed int4, ...).
size_t tensor_type_size(TensorType type);

// Lower-case name as NumPy spells it ("int8", "float32"); "unknown" for values outside the enum.
const char* tensor_type_name(TensorType type);

}  // namespace mote
