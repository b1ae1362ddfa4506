// MAX_POOL_2D: each output cell is the largest input cell its window covers (SAME padding cells
// are not candidates), then the fused activation's clamp. float32, int8 and int16 (input and
// output sharing one quantization), as TFLite's reference kernels.
#include <cstdint>
#include <limits>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/pooling.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

// T is float (clamped to the float range) or int8_t / int16_t (clamped to the integer range).
template <typename T, typename Bound>
void eval_max(const PoolOpData& d, const T* input, T* output, Bound low, Bound high) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_height; ++oy) {
      for (int32_t ox = 0; ox < d.out_width; ++ox) {
        const PoolWindow w = pool_window(d, oy, ox);
        for (int32_t c = 0; c < d.depth; ++c) {
          T largest = std::numeric_limits<T>::lowest();
          for (int32_t y = w.y_begin; y < w.y_end; ++y) {
            for (int32_t x = w.x_begin; x < w.x_end; ++x) {
              const T v = input[nhwc_offset(b, y, x, c, d.in_height, d.in_width, d.depth)];
              // std::max's comparison, so that a NaN input behaves as in TFLite.
              largest = largest < v ? v : largest;
            }
          }
          output[nhwc_offset(b, oy, ox, c, d.out_height, d.out_width, d.depth)] =
              static_cast<T>(clamp<Bound>(largest, low, high));
        }
      }
    }
  }
}

Status eval(EvalContext& ctx) {
  const PoolOpData& d = *ctx.op_data<PoolOpData>();
  switch (ctx.input(0).type) {
    case TensorType::FLOAT32:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_max(d, ctx.input_data<float>(0), ctx.output_data<float>(0), d.float_min, d.float_max);
      break;
    case TensorType::INT8:
      eval_max(d, ctx.input_data<int8_t>(0), ctx.output_data<int8_t>(0), d.act_min, d.act_max);
      break;
    case TensorType::INT16:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_max(d, ctx.input_data<int16_t>(0), ctx.output_data<int16_t>(0), d.act_min, d.act_max);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& max_pool_2d() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::MAX_POOL_2D, nullptr, 3, plan_pool, init_pool, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
