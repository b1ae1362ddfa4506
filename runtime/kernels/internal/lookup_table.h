// 513-entry int16 lookup tables with linear interpolation, as TFLite builds and reads them for
// int16 softmax: the top 9 bits of an int16 input pick an entry, the low 7 bits interpolate
// towards the next one. Tables are built in float arithmetic exactly as TFLite's LUTPopulate so
// that the entries, and therefore the results, are TFLite's.
#pragma once

#include <cstdint>

namespace mote {
namespace kernels {

constexpr int kInt16LutSize = 513;

// Fills `lut` (kInt16LutSize entries) with `transform` sampled over the int16 input range
// [-32768, 32767] of a tensor with `input_scale` / `input_zero_point`, quantized for an output of
// `output_scale` / `output_zero_point`. Each entry is biased by half the error of linear
// interpolation at the midpoint of its segment.
void populate_int16_lut(float input_scale, int32_t input_zero_point, float output_scale,
                        int32_t output_zero_point, float (*transform)(float), int16_t* lut);

// The interpolated value of `lut` at `value`.
inline int16_t int16_lut_lookup(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);  // arithmetic shift: 0 ... 511
  const int offset = value & 0x7f;
  const int16_t base = lut[index];
  // TFLite keeps the slope in int16 (wrapping) and rounds the interpolation with an
  // arithmetic shift.
  const auto slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

}  // namespace kernels
}  // namespace mote
