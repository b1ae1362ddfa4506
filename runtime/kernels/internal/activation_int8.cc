#include "runtime/kernels/internal/activation_int8.h"

#include <cmath>
#include <limits>

#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/fixed_point_math.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInputIntegerBits = 4;
using InputQ4 = fp::FixedPoint<int32_t, kInputIntegerBits>;

// Q4.27 value of the input, or the saturated output when |x - zp| reaches the radius.
bool rescale(int8_t x, const Int8ActivationParams& p, int32_t* q4) {
  const int32_t input = static_cast<int32_t>(x) - p.input_zero_point;
  if (input <= -p.input_range_radius || input >= p.input_range_radius) return false;
  *q4 = multiply_by_quantized_multiplier(input, p.input_multiplier, p.input_left_shift);
  return true;
}

int8_t saturated(int8_t x, const Int8ActivationParams& p) {
  // The lower bound is tested first, so a radius of 0 sends every input to the minimum.
  const int32_t input = static_cast<int32_t>(x) - p.input_zero_point;
  return input <= -p.input_range_radius ? std::numeric_limits<int8_t>::min()
                                        : std::numeric_limits<int8_t>::max();
}

}  // namespace

Int8ActivationParams int8_activation_params(float scale, int32_t zero_point) {
  Int8ActivationParams p{};
  p.input_zero_point = zero_point;
  const double real_multiplier =
      static_cast<double>(scale) * static_cast<double>(1 << (31 - kInputIntegerBits));
  int shift = 0;
  const double fraction = std::frexp(real_multiplier, &shift);
  // A float scale has 24 significant bits, so the rounded fraction never reaches 2^31.
  p.input_multiplier = static_cast<int32_t>(std::round(fraction * static_cast<double>(1ll << 31)));
  p.input_left_shift = shift;
  if (shift < -31) {
    // Every input rescales to zero; a zero multiplier says so without an out-of-range shift.
    p.input_multiplier = 0;
    p.input_left_shift = 0;
  }
  // floor(15 · 2^27 / 2^shift): the largest |input| whose shifted value stays below 16 in Q4.27.
  const double radius = std::floor(std::ldexp(
      static_cast<double>((1 << kInputIntegerBits) - 1) * static_cast<double>(1ll << 27), -shift));
  p.input_range_radius = radius >= static_cast<double>(std::numeric_limits<int32_t>::max())
                             ? std::numeric_limits<int32_t>::max()
                             : static_cast<int32_t>(radius);
  return p;
}

int8_t logistic_int8(int8_t x, const Int8ActivationParams& p) {
  int32_t q4 = 0;
  if (!rescale(x, p, &q4)) return saturated(x, p);
  const int32_t q0 = fp::logistic(InputQ4::from_raw(q4)).raw;
  // Q0.31 to 1/256 steps, then the fixed zero point -128.
  const int32_t out = rounding_divide_by_pot(q0, 31 - 8) - 128;
  return static_cast<int8_t>(clamp<int32_t>(out, -128, 127));
}

int8_t tanh_int8(int8_t x, const Int8ActivationParams& p) {
  int32_t q4 = 0;
  if (!rescale(x, p, &q4)) return saturated(x, p);
  const int32_t q0 = fp::tanh(InputQ4::from_raw(q4)).raw;
  // Q0.31 to 1/128 steps.
  const int32_t out = rounding_divide_by_pot(q0, 31 - 7);
  return static_cast<int8_t>(clamp<int32_t>(out, -128, 127));
}

}  // namespace kernels
}  // namespace mote
