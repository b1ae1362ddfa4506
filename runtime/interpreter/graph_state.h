// The interpreter's state that op contexts read: the model and, once allocated, where every
// tensor, op data block and scratch buffer lives. Internal to the runtime.
#pragma once

#include <cstdint>

#include "runtime/core/error_reporter.h"
#include "runtime/interpreter/tensor.h"
#include "runtime/model/model.h"

namespace mote {

// Tensor locations in the arena's tensor table. Constant tensors are found in the model (the
// location holds the offset of their data in the model with kConstantBit set); activations and
// variables by their offset from the arena base. Only 32-bit offsets are stored, never pointers,
// so a plan takes the same bytes on a 64-bit host as on a 32-bit microcontroller.
constexpr uint32_t kNoLocation = 0xFFFFFFFFu;
constexpr uint32_t kConstantBit = 0x80000000u;

// One op's entry in the arena's op table.
struct OpRecord {
  uint16_t kernel;         // index into the op resolver
  uint16_t first_scratch;  // index of the op's first scratch buffer in the scratch table
  uint32_t op_data;        // arena offset of the op data, kNoLocation when it has none
};
static_assert(sizeof(OpRecord) == 8, "OpRecord is part of the arena layout");

struct GraphState {
  const Model* model = nullptr;
  const ErrorReporter* reporter = nullptr;
  uint8_t* arena = nullptr;  // aligned arena base
  uint32_t* tensor_locations = nullptr;
  OpRecord* ops = nullptr;
  uint32_t* scratch_offsets = nullptr;

  // Bytes of tensor `index`, or null when it has no location (yet).
  void* tensor_data(int32_t index) const {
    if (index < 0 || tensor_locations == nullptr) return nullptr;
    const uint32_t location = tensor_locations[index];
    if (location == kNoLocation) return nullptr;
    if ((location & kConstantBit) != 0) {
      return const_cast<uint8_t*>(model->data()) + (location & ~kConstantBit);
    }
    return arena + location;
  }
};

// The view of tensor `index` (-1: an absent tensor) with its data as far as `state` places it.
Tensor tensor_view(const GraphState& state, int32_t index);

}  // namespace mote
