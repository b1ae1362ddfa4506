// Quantization parameters kernels derive once, in init(): fixed-point multipliers from real
// scales and the integer range a fused activation leaves.
#pragma once

#include <cstdint>

#include "runtime/core/status.h"
#include "runtime/interpreter/tensor.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {
namespace kernels {

using Activation = tflite::ActivationFunctionType;

// Splits `real` into a Q0.31 multiplier and a power-of-two shift, as TFLite's QuantizeMultiplier
// (round half away from zero; values below 2^-31 flush to zero).
void quantize_multiplier(double real, int32_t* multiplier, int* shift);

// The integer output range of a fused activation for an output with `scale` and `zero_point`,
// clipped to [qmin, qmax].
void quantized_activation_range(Activation activation, float scale, int32_t zero_point,
                                int32_t qmin, int32_t qmax, int32_t* low, int32_t* high);

// The float output range of a fused activation.
void float_activation_range(Activation activation, float* low, float* high);

// The output range of a fused activation on unquantized int32 values (as TFLite's
// CalculateActivationRange<int32_t>: ReLU6 clips at the integer 6).
void int32_activation_range(Activation activation, int32_t* low, int32_t* high);

// True for the fused activations kernels implement (none, ReLU, ReLU6, ReLU_N1_TO_1).
bool is_supported_activation(Activation activation);

// Smallest and largest value of an integer tensor type (int8, int16, int32, uint8).
void integer_type_range(TensorType type, int32_t* low, int32_t* high);

// Real multiplier of a convolution-like op for output channel `channel`:
// input_scale · filter_scale[channel] / output_scale, computed in double as TFLite does.
double effective_output_scale(const Tensor& input, const Tensor& filter, const Tensor& output,
                              uint32_t channel);

}  // namespace kernels
}  // namespace mote
