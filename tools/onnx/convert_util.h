// Small helpers the converters share.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tools/onnx/importer.h"

namespace mote::tools::onnx_import {

// Axes given as attribute `attr` (older opsets) or as constant input `input` (newer ones); empty
// when neither is given.
std::vector<std::int64_t> axes_argument(Importer& im, std::size_t input, const std::string& attr);

// Builtin options as the graph IR holds them.
template <typename T>
tflite::BuiltinOptionsUnion options_of(T options) {
  tflite::BuiltinOptionsUnion u;
  u.Set(std::move(options));
  return u;
}

std::vector<float> to_floats(const std::vector<double>& values);

// A float constant's values; fails naming `what` when the constant is not float.
std::vector<double> float_constant(Importer& im, std::size_t input, const std::string& what);

// Emits ADD, SUB or MUL of a and b with ONNX broadcasting, in the operands' stored order where
// possible; returns the result as an unnamed value whose tensor is called `name`.
Value emit_binary(Importer& im, tflite::BuiltinOperator code, Value& a, Value& b,
                  const std::string& name);

}  // namespace mote::tools::onnx_import
