#include "tools/quantize/quant_params.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace mote::tools {
namespace {

// Elements of `shape` after `axis` (the stride of one step along it).
std::size_t inner_size(std::span<const std::int32_t> shape, int axis) {
  std::size_t n = 1;
  for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < shape.size(); ++d) {
    n *= static_cast<std::size_t>(shape[d]);
  }
  return n;
}

template <typename T>
void append_le(std::vector<std::uint8_t>& bytes, T value) {
  std::uint8_t raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  bytes.insert(bytes.end(), raw, raw + sizeof(T));
}

}  // namespace

QuantParams asymmetric_params(RealRange range, int qmin, int qmax) {
  const float lo = std::min(range.min, 0.0f);
  const float hi = std::max(range.max, 0.0f);
  const float qmin_f = static_cast<float>(qmin);
  const float qmax_f = static_cast<float>(qmax);
  const float scale = (hi - lo) / (qmax_f - qmin_f);
  float zero_point_from_min = qmin_f;
  if (scale != 0.0f) zero_point_from_min = qmin_f - lo / scale;
  std::int64_t zero_point;
  if (zero_point_from_min < qmin_f) {
    zero_point = qmin;
  } else if (zero_point_from_min > qmax_f) {
    zero_point = qmax;
  } else {
    zero_point = static_cast<std::int64_t>(std::round(zero_point_from_min));
  }
  return per_tensor(scale, zero_point);
}

QuantParams symmetric_params(RealRange range, int half_range) {
  const float lo = std::min(range.min, 0.0f);
  const float hi = std::max(range.max, 0.0f);
  return per_tensor(std::max(std::abs(hi), std::abs(lo)) / static_cast<float>(half_range), 0);
}

QuantParams power_of_two_params(RealRange range) {
  const float extent = std::max(std::abs(range.min), std::abs(range.max));
  int power = 0;
  // The converter's loop: at most 2^10, whatever the range.
  for (int i = 0; i < 10; ++i) {
    if (std::pow(2.0f, static_cast<float>(power)) < extent) ++power;
  }
  return per_tensor(std::ldexp(1.0f, power) / 32768.0f, 0);
}

QuantizedWeights quantize_weights(std::span<const float> weights,
                                  std::span<const std::int32_t> shape, std::optional<int> axis) {
  QuantizedWeights result;
  result.values.resize(weights.size());
  std::size_t channels = 1;
  std::size_t inner = weights.size();
  if (axis) {
    if (*axis < 0 || static_cast<std::size_t>(*axis) >= shape.size()) {
      throw std::invalid_argument("quantization axis " + std::to_string(*axis) +
                                  " is outside a rank-" + std::to_string(shape.size()) + " tensor");
    }
    channels = static_cast<std::size_t>(shape[static_cast<std::size_t>(*axis)]);
    inner = inner_size(shape, *axis);
    result.params.axis = *axis;
  }
  auto channel_of = [&](std::size_t i) { return channels == 1 ? 0 : (i / inner) % channels; };

  std::vector<float> half_range(channels, 0.0f);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    float& h = half_range[channel_of(i)];
    h = std::max(h, std::abs(weights[i]));
  }
  constexpr float kHalfScale = 127.0f;
  std::vector<float> inverse(channels, 0.0f);
  for (std::size_t c = 0; c < channels; ++c) {
    result.params.scale.push_back(half_range[c] / kHalfScale);
    result.params.zero_point.push_back(0);
    if (half_range[c] != 0.0f) inverse[c] = kHalfScale / half_range[c];
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const float q = std::round(weights[i] * inverse[channel_of(i)]);
    result.values[i] = static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return result;
}

QuantizedBias quantize_bias(std::span<const float> bias, float input_scale,
                            std::span<const float> weight_scales, TensorType bias_type) {
  if (bias_type != TensorType::INT32 && bias_type != TensorType::INT64) {
    throw std::invalid_argument("biases are int32 or int64");
  }
  if (weight_scales.empty() || (weight_scales.size() != 1 && weight_scales.size() != bias.size())) {
    throw std::invalid_argument("a bias of " + std::to_string(bias.size()) + " values needs 1 or " +
                                std::to_string(bias.size()) + " weight scales, got " +
                                std::to_string(weight_scales.size()));
  }
  QuantizedBias result;
  for (float w : weight_scales) {
    result.params.scale.push_back(input_scale * w);
    result.params.zero_point.push_back(0);
  }
  const bool wide = bias_type == TensorType::INT64;
  // The bound as a float that converts back safely: 2^31 - 1 and 2^63 - 1 are not floats.
  const double limit = wide ? 9.2233720368547748e18 : 2147483647.0;
  for (std::size_t c = 0; c < bias.size(); ++c) {
    const float scale = result.params.scale[weight_scales.size() == 1 ? 0 : c];
    // As the converter: the inverse formed in double, stored as float, multiplied in float.
    const float inverse = scale == 0.0f ? 0.0f : static_cast<float>(1.0 / scale);
    const double q = std::round(static_cast<double>(bias[c] * inverse));
    double clamped = q;
    if (!(q < limit)) clamped = wide ? 9.2233720368547748e18 : 2147483647.0;
    if (!(q > -limit)) clamped = wide ? -9.2233720368547748e18 : -2147483647.0;
    if (clamped != q) ++result.saturated;
    if (wide) {
      const std::int64_t value =
          clamped >= 9.2233720368547748e18    ? std::numeric_limits<std::int64_t>::max()
          : clamped <= -9.2233720368547748e18 ? -std::numeric_limits<std::int64_t>::max()
                                              : static_cast<std::int64_t>(clamped);
      append_le(result.bytes, value);
    } else {
      append_le(result.bytes, static_cast<std::int32_t>(clamped));
    }
  }
  if (weight_scales.size() == 1 && bias.size() > 1) {
    // One scale for every channel: per-tensor parameters.
    result.params.scale.resize(1);
    result.params.zero_point.resize(1);
  }
  return result;
}

void integer_limits(TensorType type, std::int64_t* lowest, std::int64_t* highest) {
  switch (type) {
    case TensorType::INT8:
      *lowest = -128;
      *highest = 127;
      return;
    case TensorType::INT16:
      *lowest = -32768;
      *highest = 32767;
      return;
    case TensorType::INT32:
      *lowest = std::numeric_limits<std::int32_t>::min();
      *highest = std::numeric_limits<std::int32_t>::max();
      return;
    default:
      throw std::invalid_argument(std::string("no integer range for type ") +
                                  tensor_type_name(type));
  }
}

std::vector<std::uint8_t> quantize_values(std::span<const float> values, const QuantParams& params,
                                          TensorType type) {
  if (params.scale.size() != 1) throw std::invalid_argument("per-tensor parameters expected");
  std::int64_t lowest = 0, highest = 0;
  integer_limits(type, &lowest, &highest);
  // In float, as the runtime's QUANTIZE kernel: an int8-interface model then sees the same
  // integers as its float-interface twin.
  const float scale = params.scale[0];
  const double zero_point = static_cast<double>(params.zero_point[0]);
  std::vector<std::uint8_t> bytes;
  bytes.reserve(values.size() * tensor_type_size(type));
  for (float v : values) {
    const float rounded = std::round(v / scale);
    double q = std::isnan(rounded) ? zero_point : static_cast<double>(rounded) + zero_point;
    q = std::clamp(q, static_cast<double>(lowest), static_cast<double>(highest));
    switch (type) {
      case TensorType::INT8:
        append_le(bytes, static_cast<std::int8_t>(q));
        break;
      case TensorType::INT16:
        append_le(bytes, static_cast<std::int16_t>(q));
        break;
      default:
        append_le(bytes, static_cast<std::int32_t>(q));
        break;
    }
  }
  return bytes;
}

std::vector<float> dequantize_values(std::span<const std::uint8_t> bytes, TensorType type,
                                     const QuantParams& params,
                                     std::span<const std::int32_t> shape) {
  const std::size_t size = tensor_type_size(type);
  if (size == 0 || bytes.size() % size != 0) {
    throw std::invalid_argument(std::string("cannot dequantize ") + tensor_type_name(type) +
                                " data of " + std::to_string(bytes.size()) + " bytes");
  }
  if (!params.quantized()) throw std::invalid_argument("tensor has no quantization parameters");
  const std::size_t n = bytes.size() / size;
  const std::size_t channels = params.scale.size();
  const std::size_t inner = channels > 1 ? inner_size(shape, params.axis) : n;
  std::vector<float> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = channels > 1 ? (i / inner) % channels : 0;
    std::int64_t q = 0;
    const std::uint8_t* p = bytes.data() + i * size;
    switch (type) {
      case TensorType::INT8: {
        std::int8_t v;
        std::memcpy(&v, p, 1);
        q = v;
        break;
      }
      case TensorType::INT16: {
        std::int16_t v;
        std::memcpy(&v, p, 2);
        q = v;
        break;
      }
      case TensorType::INT32: {
        std::int32_t v;
        std::memcpy(&v, p, 4);
        q = v;
        break;
      }
      case TensorType::INT64: {
        std::int64_t v;
        std::memcpy(&v, p, 8);
        q = v;
        break;
      }
      default:
        throw std::invalid_argument(std::string("cannot dequantize type ") +
                                    tensor_type_name(type));
    }
    values[i] = static_cast<float>(static_cast<double>(q - params.zero_point[c]) *
                                   static_cast<double>(params.scale[c]));
  }
  return values;
}

}  // namespace mote::tools
