// Runs a model built with ModelBuilder through the runtime (AllOpsResolver, an arena of exactly
// the planned size) for kernel tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tests/support/model_builder.h"

namespace mote::testing {

using Bytes = std::vector<std::uint8_t>;

// Builds `b`, feeds one byte vector per model input and returns one per model output. Throws
// std::runtime_error with the runtime's message when the model is refused.
std::vector<Bytes> run_model(ModelBuilder& b, const std::vector<Bytes>& inputs);

// The runtime's refusal message when allocating `b`, or "" when it allocates.
std::string refusal(ModelBuilder& b);

template <typename T>
Bytes to_bytes(const std::vector<T>& values) {
  Bytes bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <typename T>
std::vector<T> from_bytes(const Bytes& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

// One input, one output.
template <typename Out, typename In>
std::vector<Out> run_single(ModelBuilder& b, const std::vector<In>& input) {
  return from_bytes<Out>(run_model(b, {to_bytes(input)}).at(0));
}

}  // namespace mote::testing
