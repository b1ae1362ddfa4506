// int16 logistic and tanh as TFLite's reference integer kernels compute them: the input is
// rescaled so that 3·4096 steps make one unit, then a 256-entry table of sigmoid(i/24) in Q0.16 is
// interpolated linearly (tanh reads it through tanh(x) = 2·sigmoid(2x) − 1). The LOGISTIC and TANH
// kernels and the integer LSTM gates all use these functions, so there is one implementation.
//
// The result is Q0.15 for both functions. TFLM's rounding makes logistic(−∞) = 1, not 0, and
// tanh(±∞) = ±32767; these functions do the same.
#pragma once

#include <cstdint>
#include <cstdlib>

#include "runtime/interpreter/op_context.h"

namespace mote {
namespace kernels {

// sigmoid(i / 24) in Q0.16 for i in [0, 256), the table TFLM ships (its values are TFLM's, which
// differ from a plain rounding of the formula in the last bit here and there).
extern const uint16_t kSigmoidTableQ16[256];

// How an int16 input is brought to the table's scale: (x · multiplier + rounding) >> left_shift.
struct Int16TableScaling {
  int32_t multiplier;
  int32_t left_shift;
};

// TFLM passes (multiplier, shift) with multiplier 0 meaning "power-of-two input scale": the
// multiplier is then 3 << shift and no shift remains. The result is what the table functions use.
inline Int16TableScaling int16_table_scaling(int32_t input_multiplier, int32_t input_left_shift) {
  if (input_multiplier == 0) return {3 * (int32_t{1} << input_left_shift), 0};
  return {input_multiplier, input_left_shift};
}

// The rescaled input: one unit of the real input is 3·4096 steps.
inline int32_t int16_table_input(int16_t x, const Int16TableScaling& s) {
  const int32_t round = s.left_shift > 0 ? (int32_t{1} << (s.left_shift - 1)) : 0;
  return (static_cast<int32_t>(x) * s.multiplier + round) >> s.left_shift;
}

// logistic(x) in Q0.15 for an int16 input with scaling `s`.
inline int16_t logistic_int16(int16_t x, const Int16TableScaling& s) {
  const int32_t in = int16_table_input(x, s);
  const auto magnitude = static_cast<uint32_t>(std::abs(in));
  // sigmoid(y) is read at y·24 = |in| / 512: 9 fractional bits interpolate between entries.
  const uint32_t index = magnitude >> 9;
  uint32_t value;  // sigmoid(|y|) in Q0.25
  if (index >= 255) {
    value = uint32_t{0x7FFF} << 10;
  } else {
    const uint32_t low = kSigmoidTableQ16[index];
    const uint32_t high = kSigmoidTableQ16[index + 1];
    value = (low << 9) + (magnitude & 0x1FF) * (high - low);
  }
  // sigmoid(−y) = 1 − sigmoid(y); both halves round to Q0.15 with TFLM's offsets.
  value = in >= 0 ? value + (1u << 9) : (1u << 25) - value + (1u << 9) - 1;
  return static_cast<int16_t>(value >> 10);
}

// tanh(x) in Q0.15 for an int16 input with scaling `s`.
inline int16_t tanh_int16(int16_t x, const Int16TableScaling& s) {
  const int32_t in = int16_table_input(x, s);
  const auto magnitude = static_cast<uint32_t>(std::abs(in));
  // tanh(y) = 2·sigmoid(2y) − 1, and 2y·24 = |in| / 256: 8 bits interpolate.
  const uint32_t index = magnitude >> 8;
  int32_t value;  // sigmoid(2|y|) in Q0.24
  if (index >= 255) {
    value = int32_t{0xFFFF} << 8;
  } else {
    const uint32_t low = kSigmoidTableQ16[index];
    const uint32_t high = kSigmoidTableQ16[index + 1];
    value = static_cast<int32_t>((low << 8) + (magnitude & 0xFF) * (high - low));
  }
  value = in >= 0 ? value - (1 << 23) + (1 << 7) : -value + (1 << 23) + (1 << 7) - 1;
  // An arithmetic shift: negative results round towards −∞, as in TFLM.
  return static_cast<int16_t>(value >> 8);
}

// TFLite's CheckedLog2: log2(x) rounded to the nearest integer in `*log2_result`, computed in
// float as TFLite does; true when x is a power of two to within 1e-3 in the exponent.
bool checked_log2(float x, int* log2_result);

// The scaling the int16 LOGISTIC (is_tanh false) or TANH (true) kernel derives from its input
// scale, as TFLM's Prepare: a power-of-two scale of 2^-12 (or 2^-11 for tanh) uses the multiplier
// 3 directly; any other scale gets a multiplier in (16383, 32767] and a left shift. False when the
// scale is so large that the multiplier would exceed 32767 (TFLM leaves that case undefined).
bool int16_activation_scaling(bool is_tanh, float input_scale, Int16TableScaling* scaling);

// plan() checks of an int16 LOGISTIC or TANH op, as TFLM's Prepare: per-tensor quantization, zero
// points 0, an output scale of 2^-15 and an input scale the table scaling can express.
Status check_int16_activation_io(const OpContext& ctx, const Tensor& input, const Tensor& output,
                                 bool is_tanh);

}  // namespace kernels
}  // namespace mote
