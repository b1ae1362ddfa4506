// The general-scale quantized arithmetic of ADD and SUB (int8 and int16), as TFLite's reference
// kernels compute it: each input, offset by its zero point, is shifted left by `left_shift` bits
// (20 for int8, 15 for int16) and rescaled to half the larger input scale, the two are added or
// subtracted in 32 bits, and the result is rescaled to the output scale. All three rescalings
// use multipliers below one (double rounding: a rounding high multiply, then a rounding shift).
#pragma once

#include <cstdint>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/quantization.h"

namespace mote {
namespace kernels {

struct AddSubParams {
  int32_t input1_offset;  // minus the zero point
  int32_t input2_offset;
  int32_t output_offset;  // the zero point
  int32_t left_shift;
  int32_t input1_multiplier;
  int32_t input1_shift;  // <= 0
  int32_t input2_multiplier;
  int32_t input2_shift;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;
  int32_t act_max;
};

// The three real rescaling factors of one op.
struct AddSubScales {
  double input1;
  double input2;
  double output;
};

// Bits each input is shifted left by before rescaling: 20 for int8, 15 for int16.
int add_sub_left_shift(TensorType type);

// ADD's factors: TFLM computes them in double precision.
AddSubScales add_scales(const Tensor& input1, const Tensor& input2, const Tensor& output);

// SUB's factors: TFLM computes the ratios in single precision and widens the results, which can
// differ from ADD's in the last bit of a multiplier.
AddSubScales sub_scales(const Tensor& input1, const Tensor& input2, const Tensor& output);

// Refuses the op unless every factor becomes a Q0.31 multiplier below one with a shift <= 0 (TFLM
// aborts on anything else: an output scale too small for the inputs' scales).
Status check_add_sub_scales(const OpContext& ctx, const AddSubScales& scales);

// The parameters for scales that passed check_add_sub_scales.
AddSubParams make_add_sub_params(const AddSubScales& scales, const Tensor& input1,
                                 const Tensor& input2, const Tensor& output, Activation activation);

// One output element: input1 + input2 (or input1 − input2 when kSubtract), requantized and
// clamped to the activation range.
template <bool kSubtract>
inline int32_t add_sub_element(const AddSubParams& p, int32_t x1, int32_t x2) {
  // At most 65535 · 2^15 or 255 · 2^20 in magnitude: the products stay inside 32 bits.
  const int32_t shifted1 = (p.input1_offset + x1) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + x2) * (1 << p.left_shift);
  const int32_t scaled1 = multiply_by_quantized_multiplier_smaller_than_one(
      shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 = multiply_by_quantized_multiplier_smaller_than_one(
      shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw = kSubtract ? scaled1 - scaled2 : scaled1 + scaled2;
  const int32_t out =
      multiply_by_quantized_multiplier_smaller_than_one(raw, p.output_multiplier, p.output_shift) +
      p.output_offset;
  return clamp(out, p.act_min, p.act_max);
}

}  // namespace kernels
}  // namespace mote
