#include "runtime/kernels/internal/quantization.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mote {
namespace kernels {

void quantize_multiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  const double fraction = std::frexp(real, shift);
  auto fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    fixed = 0;
  }
  *multiplier = static_cast<int32_t>(fixed);
}

void quantized_activation_range(Activation activation, float scale, int32_t zero_point,
                                int32_t qmin, int32_t qmax, int32_t* low, int32_t* high) {
  // Float division and rounding, exactly as TFLite's CalculateActivationRangeQuantizedImpl.
  // Rounded in float as TFLite does; clamped before the conversion, which for a tiny scale would
  // overflow (undefined behaviour in TFLite; the clamp changes no in-range result).
  const auto quantize = [scale, zero_point](float f) {
    const float q = std::round(f / scale) + static_cast<float>(zero_point);
    if (!(q > -2147483648.0f)) return std::numeric_limits<int32_t>::min();
    if (!(q < 2147483648.0f)) return std::numeric_limits<int32_t>::max();
    return zero_point + static_cast<int32_t>(std::round(f / scale));
  };
  *low = qmin;
  *high = qmax;
  switch (activation) {
    case Activation::RELU:
      *low = std::max(qmin, quantize(0.0f));
      break;
    case Activation::RELU6:
      *low = std::max(qmin, quantize(0.0f));
      *high = std::min(qmax, quantize(6.0f));
      break;
    case Activation::RELU_N1_TO_1:
      *low = std::max(qmin, quantize(-1.0f));
      *high = std::min(qmax, quantize(1.0f));
      break;
    default:
      break;
  }
}

void float_activation_range(Activation activation, float* low, float* high) {
  *low = std::numeric_limits<float>::lowest();
  *high = std::numeric_limits<float>::max();
  switch (activation) {
    case Activation::RELU:
      *low = 0.0f;
      break;
    case Activation::RELU6:
      *low = 0.0f;
      *high = 6.0f;
      break;
    case Activation::RELU_N1_TO_1:
      *low = -1.0f;
      *high = 1.0f;
      break;
    default:
      break;
  }
}

void int32_activation_range(Activation activation, int32_t* low, int32_t* high) {
  *low = std::numeric_limits<int32_t>::min();
  *high = std::numeric_limits<int32_t>::max();
  switch (activation) {
    case Activation::RELU:
      *low = 0;
      break;
    case Activation::RELU6:
      *low = 0;
      *high = 6;
      break;
    case Activation::RELU_N1_TO_1:
      *low = -1;
      *high = 1;
      break;
    default:
      break;
  }
}

bool is_supported_activation(Activation activation) {
  return activation == Activation::NONE || activation == Activation::RELU ||
         activation == Activation::RELU6 || activation == Activation::RELU_N1_TO_1;
}

void integer_type_range(TensorType type, int32_t* low, int32_t* high) {
  switch (type) {
    case TensorType::INT8:
      *low = std::numeric_limits<int8_t>::min();
      *high = std::numeric_limits<int8_t>::max();
      break;
    case TensorType::UINT8:
      *low = 0;
      *high = 255;
      break;
    case TensorType::INT16:
      *low = std::numeric_limits<int16_t>::min();
      *high = std::numeric_limits<int16_t>::max();
      break;
    default:
      *low = std::numeric_limits<int32_t>::min();
      *high = std::numeric_limits<int32_t>::max();
      break;
  }
}

double effective_output_scale(const Tensor& input, const Tensor& filter, const Tensor& output,
                              uint32_t channel) {
  const float filter_scale = filter.num_scales > 1 ? filter.scales[channel] : filter.scale();
  return static_cast<double>(input.scale()) * static_cast<double>(filter_scale) /
         static_cast<double>(output.scale());
}

}  // namespace kernels
}  // namespace mote
