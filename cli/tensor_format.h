// Text and JSON renderings of tensors shared by the subcommands.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "runtime/interpreter/tensor.h"

namespace mote::cli {

// "[1,96,96,1]"
std::string shape_text(const Tensor& t);
std::vector<std::int64_t> shape_vector(const Tensor& t);
// "scale 0.0039 zp -128", "per-channel x8 (dim 0)" or "-".
std::string quantization_text(const Tensor& t);
nlohmann::json quantization_json(const Tensor& t);
// Element `i` of `data` (of type `type`) as a double.
double element_value(TensorType type, const std::uint8_t* data, std::size_t i);
// Up to `limit` values of a tensor's bytes as JSON numbers (dequantized when `dequantize`).
nlohmann::json values_json(const Tensor& t, std::span<const std::uint8_t> bytes, bool dequantize,
                           std::size_t limit);

}  // namespace mote::cli
