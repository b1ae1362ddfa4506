// TensorFlow Lite's post-training quantization formulas (the converter's conventions, as in
// tensorflow/lite/tools/optimize/quantization_utils.cc), written for mote's graph IR: activation
// parameters from a real range, symmetric weights per tensor or per channel, integer biases.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "runtime/core/tensor_type.h"
#include "tools/graph/graph.h"

namespace mote::tools {

// A real-valued range [min, max] observed or chosen for a tensor.
struct RealRange {
  float min = 0.0f;
  float max = 0.0f;
};

// Asymmetric parameters for [min, max] widened to include 0, as the converter computes them in
// float: scale = (max - min) / (qmax - qmin), zero point = round(qmin - min / scale) clamped to
// [qmin, qmax]. A range of width 0 gives scale 0, which callers must replace.
QuantParams asymmetric_params(RealRange range, int qmin, int qmax);

// Symmetric parameters with zero point 0: scale = max(|min|, |max|) / half_range (int16
// activations use half_range 32767).
QuantParams symmetric_params(RealRange range, int half_range);

// The int16 parameters of a range rounded up to a power of two, as the converter's
// extend_to_power_of_two (TFLite's integer LSTM cell state): scale = 2^k / 32768 with 2^k the
// smallest power of two (k in [0, 10]) not below max(|min|, |max|).
QuantParams power_of_two_params(RealRange range);

// Int8 values and their parameters.
struct QuantizedWeights {
  std::vector<std::int8_t> values;
  QuantParams params;
};

// Symmetric int8 weights in [-127, 127]: per tensor (no axis) or per slice along `axis`. scale =
// max(|w|) / 127 and q = round(w · (127 / max(|w|))) in float, as the converter; a slice of
// zeros gets scale 0 and zeros.
QuantizedWeights quantize_weights(std::span<const float> weights,
                                  std::span<const std::int32_t> shape, std::optional<int> axis);

// Integer bias (int32, or int64 for 16x8) with scale[c] = input_scale · weight_scale[c] and
// q = round(b · (1 / scale)) clamped to ±(2^31 - 1) (±(2^63 - 1)); one weight scale is applied
// to every channel. Returns the little-endian bytes and the parameters.
struct QuantizedBias {
  std::vector<std::uint8_t> bytes;
  QuantParams params;
  std::size_t saturated = 0;  // values that did not fit and were clamped
};
QuantizedBias quantize_bias(std::span<const float> bias, float input_scale,
                            std::span<const float> weight_scales, TensorType bias_type);

// Quantizes `values` with per-tensor `params` into `type` (int8, int16 or int32), rounding half
// away from zero and clamping to the type's range: how constants and interface data are
// quantized.
std::vector<std::uint8_t> quantize_values(std::span<const float> values, const QuantParams& params,
                                          TensorType type);

// Real values of integer data (int8, int16, int32, int64) under per-tensor or per-channel
// `params` laid out with `shape`.
std::vector<float> dequantize_values(std::span<const std::uint8_t> bytes, TensorType type,
                                     const QuantParams& params,
                                     std::span<const std::int32_t> shape);

// [lowest, highest] representable value of an integer type (int8, int16, int32).
void integer_limits(TensorType type, std::int64_t* lowest, std::int64_t* highest);

}  // namespace mote::tools
