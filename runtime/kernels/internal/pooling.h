// What AVERAGE_POOL_2D and MAX_POOL_2D share: the checks of plan(), the op data init() fills
// (window geometry and the fused activation's range) and the walk over output cells with each
// window clipped to the input, as TFLite's reference pooling does.
#pragma once

#include <cstdint>

#include "runtime/interpreter/op_context.h"

namespace mote {
namespace kernels {

struct PoolOpData {
  int32_t batches;
  int32_t in_height;
  int32_t in_width;
  int32_t depth;
  int32_t out_height;
  int32_t out_width;
  int32_t stride_height;
  int32_t stride_width;
  int32_t filter_height;
  int32_t filter_width;
  int32_t pad_height;
  int32_t pad_width;
  int32_t act_min;  // int8 / int16
  int32_t act_max;
  float float_min;  // float32
  float float_max;
};

// Checks a pooling op (NHWC float32, int8 or int16 input and output of the same type and
// quantization, Pool2DOptions, output shape matching the window geometry) and reserves its op data.
Status plan_pool(PlanContext& ctx);

// Fills the PoolOpData reserved by plan_pool().
Status init_pool(InitContext& ctx);

// The input cells [y_begin, y_end) x [x_begin, x_end) that the window of output cell
// (out_y, out_x) covers; never empty for geometry that plan_pool() accepted.
struct PoolWindow {
  int32_t y_begin;
  int32_t y_end;
  int32_t x_begin;
  int32_t x_end;
};

// The window of output cell (out_y, out_x), clipped to the input.
inline PoolWindow pool_window(const PoolOpData& d, int32_t out_y, int32_t out_x) {
  const int32_t y0 = out_y * d.stride_height - d.pad_height;
  const int32_t x0 = out_x * d.stride_width - d.pad_width;
  PoolWindow w;
  w.y_begin = y0 < 0 ? 0 : y0;
  w.y_end = y0 + d.filter_height < d.in_height ? y0 + d.filter_height : d.in_height;
  w.x_begin = x0 < 0 ? 0 : x0;
  w.x_end = x0 + d.filter_width < d.in_width ? x0 + d.filter_width : d.in_width;
  return w;
}

// Offset of element (b, y, x, c) in an NHWC tensor of height x width x depth.
inline uint32_t nhwc_offset(int32_t b, int32_t y, int32_t x, int32_t c, int32_t height,
                            int32_t width, int32_t depth) {
  return ((static_cast<uint32_t>(b) * height + y) * width + x) * depth + c;
}

}  // namespace kernels
}  // namespace mote
