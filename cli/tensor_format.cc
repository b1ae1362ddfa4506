#include "cli/tensor_format.h"

#include <fmt/format.h>

#include <cstring>

namespace mote::cli {

std::string shape_text(const Tensor& t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i) {
    if (i > 0) s += ',';
    s += std::to_string(t.dims[i]);
  }
  s += ']';
  return s;
}

std::vector<std::int64_t> shape_vector(const Tensor& t) {
  return std::vector<std::int64_t>(t.dims, t.dims + t.rank);
}

std::string quantization_text(const Tensor& t) {
  if (t.num_scales == 0) return "-";
  if (t.num_scales == 1) return fmt::format("scale {:.6g} zp {}", t.scales[0], t.zero_point());
  return fmt::format("per-channel x{} (dim {})", t.num_scales, t.quantized_dimension);
}

nlohmann::json quantization_json(const Tensor& t) {
  if (t.num_scales == 0) return nullptr;
  nlohmann::json q;
  q["scale"] = std::vector<float>(t.scales, t.scales + t.num_scales);
  q["zero_point"] = std::vector<std::int64_t>(t.zero_points, t.zero_points + t.num_scales);
  q["quantized_dimension"] = t.quantized_dimension;
  return q;
}

double element_value(TensorType type, const std::uint8_t* data, std::size_t i) {
  auto load = [&](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, data + i * sizeof(v), sizeof(v));
    return static_cast<double>(v);
  };
  switch (type) {
    case TensorType::FLOAT32:
      return load(float{});
    case TensorType::FLOAT64:
      return load(double{});
    case TensorType::INT8:
      return load(std::int8_t{});
    case TensorType::UINT8:
    case TensorType::BOOL:
      return load(std::uint8_t{});
    case TensorType::INT16:
      return load(std::int16_t{});
    case TensorType::UINT16:
      return load(std::uint16_t{});
    case TensorType::INT32:
      return load(std::int32_t{});
    case TensorType::UINT32:
      return load(std::uint32_t{});
    case TensorType::INT64:
      return load(std::int64_t{});
    case TensorType::UINT64:
      return load(std::uint64_t{});
    default:
      return 0.0;
  }
}

nlohmann::json values_json(const Tensor& t, std::span<const std::uint8_t> bytes, bool dequantize,
                           std::size_t limit) {
  nlohmann::json values = nlohmann::json::array();
  const std::size_t size = tensor_type_size(t.type);
  const std::size_t n = size == 0 ? 0 : std::min<std::size_t>(bytes.size() / size, limit);
  for (std::size_t i = 0; i < n; ++i) {
    double v = element_value(t.type, bytes.data(), i);
    if (dequantize && t.num_scales == 1) v = (v - t.zero_point()) * t.scales[0];
    values.push_back(v);
  }
  return values;
}

}  // namespace mote::cli
