// int8 logistic and tanh as TFLite's reference integer kernels compute them: the input (minus its
// zero point) is rescaled to a Q4.27 fixed-point number, gemmlowp's fixed-point logistic or tanh
// gives a Q0.31 result, and that is rounded to the output's fixed format (logistic: scale 1/256,
// zero point -128; tanh: scale 1/128, zero point 0). Inputs beyond a radius saturate at once.
#pragma once

#include <cstdint>

namespace mote {
namespace kernels {

// What TFLM's Prepare derives for an int8 LOGISTIC or TANH input.
struct Int8ActivationParams {
  int32_t input_zero_point;
  int32_t input_range_radius;  // |x - zero point| at or beyond which the output saturates
  int32_t input_multiplier;    // Q0.31
  int32_t input_left_shift;
};

// The parameters for an input with `scale` and `zero_point`: the multiplier of scale · 2^27 from
// frexp (rounded half away from zero) and the largest input that cannot overflow Q4.27.
Int8ActivationParams int8_activation_params(float scale, int32_t zero_point);

// logistic of one int8 input; the output is in scale 1/256 with zero point -128.
int8_t logistic_int8(int8_t x, const Int8ActivationParams& p);

// tanh of one int8 input; the output is in scale 1/128 with zero point 0.
int8_t tanh_int8(int8_t x, const Int8ActivationParams& p);

}  // namespace kernels
}  // namespace mote
