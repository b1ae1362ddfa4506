// AVERAGE_POOL_2D: each output cell is the mean of the input cells its window covers; cells of
// SAME padding are not counted (the divisor is the number of real cells). float32, int8 and
// int16 (input and output sharing one quantization), as TFLite's reference kernels.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/pooling.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

void eval_float(const PoolOpData& d, const float* input, float* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_height; ++oy) {
      for (int32_t ox = 0; ox < d.out_width; ++ox) {
        const PoolWindow w = pool_window(d, oy, ox);
        for (int32_t c = 0; c < d.depth; ++c) {
          float total = 0.0f;
          float count = 0.0f;  // counted in float, as TFLite does
          for (int32_t y = w.y_begin; y < w.y_end; ++y) {
            for (int32_t x = w.x_begin; x < w.x_end; ++x) {
              total += input[nhwc_offset(b, y, x, c, d.in_height, d.in_width, d.depth)];
              count += 1.0f;
            }
          }
          const float average = total / count;
          output[nhwc_offset(b, oy, ox, c, d.out_height, d.out_width, d.depth)] =
              clamp(average, d.float_min, d.float_max);
        }
      }
    }
  }
}

template <typename T>
void eval_quantized(const PoolOpData& d, const T* input, T* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_height; ++oy) {
      for (int32_t ox = 0; ox < d.out_width; ++ox) {
        const PoolWindow w = pool_window(d, oy, ox);
        const int32_t count = (w.y_end - w.y_begin) * (w.x_end - w.x_begin);
        for (int32_t c = 0; c < d.depth; ++c) {
          int32_t sum = 0;
          for (int32_t y = w.y_begin; y < w.y_end; ++y) {
            for (int32_t x = w.x_begin; x < w.x_end; ++x) {
              sum += input[nhwc_offset(b, y, x, c, d.in_height, d.in_width, d.depth)];
            }
          }
          // Rounds half away from zero; integer division itself truncates towards zero.
          const int32_t average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
          output[nhwc_offset(b, oy, ox, c, d.out_height, d.out_width, d.depth)] =
              static_cast<T>(clamp(average, d.act_min, d.act_max));
        }
      }
    }
  }
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(plan_pool(ctx));
  // The integer sum of one window must stay inside int32_t.
  const Tensor input = ctx.input(0);
  const auto* options = ctx.options<tflite::Pool2DOptions>();
  const int64_t cells = int64_t{options->filter_height()} * options->filter_width();
  const int64_t largest = input.type == TensorType::INT16 ? 32768 : 128;
  if (input.type != TensorType::FLOAT32 && cells * largest > INT32_MAX) {
    return ctx.fail(Status::kUnsupported, "a %dx%d window can overflow the 32-bit sum",
                    options->filter_height(), options->filter_width());
  }
  return Status::kOk;
}

Status eval(EvalContext& ctx) {
  const PoolOpData& d = *ctx.op_data<PoolOpData>();
  switch (ctx.input(0).type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_float(d, ctx.input_data<float>(0), ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      eval_quantized(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0));
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_quantized(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0));
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& average_pool_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::AVERAGE_POOL_2D, nullptr, 3, plan, init_pool, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
