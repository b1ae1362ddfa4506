// What CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV share: the window geometry (strides,
// dilations, padding), the quantization checks plan() runs, and the op data init() fills with
// per-channel multipliers. Optimized kernels read the same op data, so the checks and the
// multipliers are derived in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "runtime/core/status.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/interpreter/tensor.h"
#include "runtime/kernels/internal/element_access.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/schema/tflite_subset_generated.h"

namespace mote {
namespace kernels {

// Strides, dilations and padding (elements before the first row / column) of a window.
struct ConvWindow {
  int32_t stride_height;
  int32_t stride_width;
  int32_t dilation_height;
  int32_t dilation_width;
  int32_t pad_height;
  int32_t pad_width;
};

// Op data of the convolution kernels, followed by int32_t multipliers[num_channels] and
// int8_t shifts[num_channels] (per-tensor filters repeat their one multiplier per channel, as
// TFLM does, so that eval never branches on it).
struct ConvOpData {
  ConvWindow window;
  int32_t depth_multiplier;  // DEPTHWISE_CONV_2D only
  int32_t input_offset;      // minus the input zero point
  int32_t output_offset;     // the output zero point
  int32_t act_min;           // quantized activation range
  int32_t act_max;
  float float_min;  // float activation range
  float float_max;
  uint32_t num_channels;  // multipliers that follow; 0 for float ops
};

// Bytes of op data for an op with `num_channels` output multipliers: the struct, one int32
// multiplier and one int8 shift (TFLite's shifts lie in [-31, 30]) per channel. Per-channel data
// is most of a CNN's arena head, so the shifts do not take 32 bits each.
inline uint32_t conv_op_data_bytes(uint32_t num_channels) {
  return static_cast<uint32_t>(sizeof(ConvOpData) + num_channels * (sizeof(int32_t) + 1));
}
inline int32_t* conv_multipliers(ConvOpData* d) { return reinterpret_cast<int32_t*>(d + 1); }
inline const int32_t* conv_multipliers(const ConvOpData* d) {
  return reinterpret_cast<const int32_t*>(d + 1);
}
inline int8_t* conv_shifts(ConvOpData* d) {
  return reinterpret_cast<int8_t*>(conv_multipliers(d) + d->num_channels);
}
inline const int8_t* conv_shifts(const ConvOpData* d) {
  return reinterpret_cast<const int8_t*>(conv_multipliers(d) + d->num_channels);
}

// A window as the op's options describe it.
struct WindowSpec {
  tflite::Padding padding;
  int32_t stride_height;
  int32_t stride_width;
  int32_t dilation_height;
  int32_t dilation_width;
};

// Refuses the op unless strides and dilations are positive and a filter of filter_h × filter_w
// taps slid over an in_h × in_w plane gives exactly out_h × out_w positions, with every index the
// kernels compute fitting in 32 bits; then fills `window` with the padding. The role names
// ("input", "output") let transposed convolutions, which slide the window over their output,
// report in their own terms.
Status plan_window(const OpContext& ctx, const WindowSpec& spec, int32_t in_h, int32_t in_w,
                   const char* in_role, int32_t filter_h, int32_t filter_w, int32_t out_h,
                   int32_t out_w, const char* out_role, ConvWindow* window);

// Refuses the op unless every dimension of `t` is at least 1.
Status check_no_empty_dims(const OpContext& ctx, const Tensor& t, const char* role);

// Refuses a quantized convolution whose tensors TFLM's per-channel kernels cannot run as the
// quantization specification means them: input and output must be quantized per tensor with
// zero points in their type's range (0 for int16), the filter symmetric (zero points 0) with one
// scale or one per output channel along `channel_dim`, every channel's multiplier representable
// with a shift of at most `max_shift` (30 for 32-bit accumulators, 7 for 64-bit ones), and the
// fused activation's bounds representable.
Status check_conv_quantization(const OpContext& ctx, const Tensor& input, const Tensor& filter,
                               const Tensor& output, uint32_t channels, int32_t channel_dim,
                               Activation activation, int max_shift);

// Refuses a bias that does not hold one value per output channel, and a 64-bit constant bias
// with values beyond ±2^40 (the 64-bit rescaling needs accumulators below 2^47).
Status check_conv_bias(const OpContext& ctx, const Tensor& bias, uint32_t channels);

// Refuses a 64-bit accumulation of more than 2^24 products per output: with int16 inputs, int8
// weights and a bias within 2^40, the sum then stays below the 2^47 the 64-bit rescale needs.
Status check_wide_accumulation(const OpContext& ctx, uint64_t products);

// Fills the float activation range of `d` (init() of float ops).
void init_conv_float(Activation activation, ConvOpData* d);

// Fills offsets, activation range and one multiplier and shift per channel of `d`, whose
// num_channels must be set (init() of quantized ops; the tensors passed plan()).
void init_conv_quantized(const Tensor& input, const Tensor& filter, const Tensor& output,
                         Activation activation, ConvOpData* d);

}  // namespace kernels
}  // namespace mote
