#include "runtime/kernels/internal/pooling.h"

#include <cmath>
#include <limits>

#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/padding.h"
#include "runtime/kernels/internal/quantization.h"

namespace mote {
namespace kernels {
namespace {

// Window geometry of both axes from the op's options and the input; false when invalid.
bool pool_geometry(const tflite::Pool2DOptions& o, const Tensor& input, PoolAxis* rows,
                   PoolAxis* cols) {
  return pool_axis_geometry(o.padding(), input.dim(1), o.filter_height(), o.stride_h(), rows) &&
         pool_axis_geometry(o.padding(), input.dim(2), o.filter_width(), o.stride_w(), cols);
}

}  // namespace

Status plan_pool(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1, 1));
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  const auto* options = ctx.options<tflite::Pool2DOptions>();
  if (options == nullptr) return ctx.fail(Status::kInvalidModel, "has no Pool2DOptions");
  MOTE_RETURN_IF_ERROR(check_activation(ctx, options->fused_activation_function()));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, input, 4, "input"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, output, 4, "output"));
  switch (input.type) {
    case TensorType::FLOAT32:
    case TensorType::INT8:
    case TensorType::INT16:
      break;
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported (float32, int8, int16)",
                      tensor_type_name(input.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));

  if (options->filter_height() < 1 || options->filter_width() < 1 || options->stride_h() < 1 ||
      options->stride_w() < 1) {
    return ctx.fail(Status::kInvalidModel, "filter %dx%d and stride %dx%d must be at least 1",
                    options->filter_height(), options->filter_width(), options->stride_h(),
                    options->stride_w());
  }
  // Keeps window arithmetic (origin + filter, index · stride) inside int32_t.
  constexpr int64_t kMaxExtent = std::numeric_limits<int32_t>::max();
  if (int64_t{input.dim(1)} + options->filter_height() + options->stride_h() > kMaxExtent ||
      int64_t{input.dim(2)} + options->filter_width() + options->stride_w() > kMaxExtent) {
    return ctx.fail(Status::kUnsupported, "window geometry exceeds 32-bit arithmetic");
  }
  PoolAxis rows, cols;
  if (!pool_geometry(*options, input, &rows, &cols)) {
    return ctx.fail(Status::kInvalidModel,
                    "a %dx%d window with %s padding does not fit input tensor %d '%s' (%dx%d)",
                    options->filter_height(), options->filter_width(),
                    tflite::EnumNamePadding(options->padding()), input.index, input.name,
                    input.dim(1), input.dim(2));
  }
  if (output.dim(0) != input.dim(0) || output.dim(1) != rows.out_size ||
      output.dim(2) != cols.out_size || output.dim(3) != input.dim(3)) {
    return ctx.fail(Status::kInvalidModel,
                    "output tensor %d '%s' is [%d,%d,%d,%d]; the windows give [%d,%d,%d,%d]",
                    output.index, output.name, output.dim(0), output.dim(1), output.dim(2),
                    output.dim(3), input.dim(0), rows.out_size, cols.out_size, input.dim(3));
  }

  if (input.type != TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
    // TFLM's tolerance: pooling never rescales, so both sides must share one quantization.
    const double scale_difference =
        std::fabs(static_cast<double>(input.scale()) - static_cast<double>(output.scale()));
    if (!(scale_difference <= 1.0e-6) || input.zero_point() != output.zero_point()) {
      return ctx.fail(Status::kUnsupported,
                      "input (scale %g, zero point %d) and output (scale %g, zero point %d) "
                      "must share their quantization",
                      static_cast<double>(input.scale()), input.zero_point(),
                      static_cast<double>(output.scale()), output.zero_point());
    }
  }
  ctx.set_op_data_bytes(sizeof(PoolOpData));
  return Status::kOk;
}

Status init_pool(InitContext& ctx) {
  const Tensor input = ctx.input(0);
  const Tensor output = ctx.output(0);
  const auto& options = *ctx.options<tflite::Pool2DOptions>();
  auto* d = ctx.op_data<PoolOpData>();
  PoolAxis rows, cols;
  if (!pool_geometry(options, input, &rows, &cols)) {
    return ctx.fail(Status::kKernelError, "window geometry changed after planning");
  }
  d->batches = input.dim(0);
  d->in_height = input.dim(1);
  d->in_width = input.dim(2);
  d->depth = input.dim(3);
  d->out_height = rows.out_size;
  d->out_width = cols.out_size;
  d->stride_height = options.stride_h();
  d->stride_width = options.stride_w();
  d->filter_height = options.filter_height();
  d->filter_width = options.filter_width();
  d->pad_height = rows.padding;
  d->pad_width = cols.padding;
  const Activation activation = options.fused_activation_function();
  float_activation_range(activation, &d->float_min, &d->float_max);
  if (input.type != TensorType::FLOAT32) {
    int32_t qmin, qmax;
    integer_type_range(output.type, &qmin, &qmax);
    quantized_activation_range(activation, output.scale(), output.zero_point(), qmin, qmax,
                               &d->act_min, &d->act_max);
  }
  return Status::kOk;
}

}  // namespace kernels
}  // namespace mote
