// Model inputs from files, as `mote run` and `mote firmware` read them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/interpreter/tensor.h"
#include "runtime/model/model.h"
#include "tools/io/aligned_buffer.h"

namespace mote::cli {

// True when `path` names a NumPy file (by its extension).
bool is_npy(const std::string& path);

// The bytes for model input `i` from `path`: a .npy of the tensor's type and element count, or a
// raw little-endian file of exactly the tensor's size. Throws std::runtime_error naming the
// mismatch otherwise.
tools::AlignedBuffer load_input(const std::string& path, const Tensor& t, std::uint32_t i);

// One input per file of `paths` for `model`, in order, as raw bytes (load_input's checks); throws
// when the count differs from the model's inputs.
std::vector<std::vector<std::uint8_t>> load_model_inputs(const Model& model,
                                                         const std::vector<std::string>& paths);

}  // namespace mote::cli
