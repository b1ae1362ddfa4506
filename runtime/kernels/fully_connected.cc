// FULLY_CONNECTED: output[b, o] = act(sum_d input[b, d] · weights[o, d] + bias[o]).
// float32; int8 (per-tensor or per-channel weights, int32 bias); 16x8 (int16 activations, int8
// weights, int64 or int32 bias or none). Integer arithmetic follows TFLite's reference kernels,
// whose accumulator has the bias's type: a 16x8 layer without an int64 bias sums and rescales in
// 32 bits. Sparse int8 weights (TFLite sparsity in row form) run a path that skips the zeros and
// gives the dense path's bytes.
#include <cstdint>

#include "runtime/core/build_options.h"
#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/conv_params.h"
#include "runtime/kernels/internal/element_access.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/fully_connected_data.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/internal/sparse_weights.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

using fully_connected_data::multipliers;
using fully_connected_data::OpData;
using fully_connected_data::Path;
using fully_connected_data::shifts;

constexpr int kInput = 0;
constexpr int kWeights = 1;
constexpr int kBias = 2;

Activation activation_of(const OpContext& ctx) {
  const auto* options = ctx.options<tflite::FullyConnectedOptions>();
  return options != nullptr ? options->fused_activation_function() : Activation::NONE;
}

uint32_t num_multipliers(const Tensor& input, const Tensor& weights) {
  if (input.type == TensorType::FLOAT32) return 0;
  return weights.num_scales > 1 ? weights.num_scales : 1;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 3, 1));
  const Tensor input = ctx.input(kInput);
  const Tensor weights = ctx.input(kWeights);
  const Tensor bias = ctx.input(kBias);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, weights, "weights"));
  const auto* options = ctx.options<tflite::FullyConnectedOptions>();
  if (options != nullptr) {
    MOTE_RETURN_IF_ERROR(check_activation(ctx, options->fused_activation_function()));
    if (options->weights_format() != tflite::FullyConnectedOptionsWeightsFormat::DEFAULT) {
      return ctx.fail(Status::kUnsupported, "shuffled weights format is not supported");
    }
  }
  MOTE_RETURN_IF_ERROR(check_rank(ctx, weights, 2, "weights"));
  const uint32_t output_depth = static_cast<uint32_t>(weights.dim(0));
  const uint32_t accum_depth = static_cast<uint32_t>(weights.dim(1));
  if (output.rank < 1 || static_cast<uint32_t>(output.dim(-1)) != output_depth) {
    return ctx.fail(Status::kInvalidModel, "output's last dimension is not the %u weight rows",
                    output_depth);
  }
  const uint32_t batches = output_depth == 0 ? 0 : output.elements / output_depth;
  if (static_cast<uint64_t>(batches) * accum_depth != input.elements) {
    return ctx.fail(Status::kInvalidModel, "input has %u elements; %u batches of depth %u need %u",
                    input.elements, batches, accum_depth, batches * accum_depth);
  }
  if (bias.present() && bias.elements != output_depth) {
    return ctx.fail(Status::kInvalidModel, "bias has %u elements for %u outputs", bias.elements,
                    output_depth);
  }

  switch (input.type) {
    case TensorType::FLOAT32:
      MOTE_RETURN_IF_ERROR(check_type(ctx, weights, TensorType::FLOAT32, "weights"));
      if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::FLOAT32, "bias"));
      MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::FLOAT32, "output"));
      break;
    case TensorType::INT8:
    case TensorType::INT16: {
      const bool is_16x8 = input.type == TensorType::INT16;
      MOTE_RETURN_IF_ERROR(check_type(ctx, weights, TensorType::INT8, "weights"));
      // 16x8 layers take an int64 bias (64-bit accumulator) or an int32 one (32-bit).
      if (bias.present() && !(is_16x8 && bias.type == TensorType::INT64)) {
        MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT32, "bias"));
      }
      MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
      // Per-tensor activations, symmetric weights per tensor or per row, and multipliers the
      // rescale can apply (shift up to 30 with 32-bit accumulators, 7 with 64-bit ones).
      const bool wide = is_16x8 && bias.present() && bias.type == TensorType::INT64;
      MOTE_RETURN_IF_ERROR(check_conv_quantization(ctx, input, weights, output, output_depth,
                                                   /*channel_dim=*/0, activation_of(ctx),
                                                   wide ? 7 : 30));
      if (wide) MOTE_RETURN_IF_ERROR(check_conv_bias(ctx, bias, output_depth));
      break;
    }
    default:
      return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                      tensor_type_name(input.type));
  }
  if (is_sparse_input(ctx, kWeights)) {
    if (input.type != TensorType::INT8) {
      return ctx.fail(Status::kUnsupported, "sparse weights run with int8 inputs only, not %s",
                      tensor_type_name(input.type));
    }
    MOTE_RETURN_IF_ERROR(plan_sparse_rows(ctx, kWeights, "weights"));
  }
  const uint32_t n = num_multipliers(input, weights);
  ctx.set_op_data_bytes(static_cast<uint32_t>(sizeof(OpData)) + 5 * n);
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const Tensor input = ctx.input(kInput);
  const Tensor weights = ctx.input(kWeights);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  const Activation activation = activation_of(ctx);
  d->output_depth = static_cast<uint32_t>(weights.dim(0));
  d->accum_depth = static_cast<uint32_t>(weights.dim(1));
  d->batches = d->output_depth == 0 ? 0 : output.elements / d->output_depth;
  d->num_multipliers = num_multipliers(input, weights);
  const Tensor bias = ctx.input(kBias);
  switch (input.type) {
    case TensorType::FLOAT32:
      d->path = Path::kFloat;
      break;
    case TensorType::INT8:
      d->path = is_sparse_input(ctx, kWeights) ? Path::kInt8Sparse : Path::kInt8;
      break;
    default:
      d->path =
          bias.present() && bias.type == TensorType::INT64 ? Path::kInt16Acc64 : Path::kInt16Acc32;
      break;
  }
  if (input.type == TensorType::FLOAT32) {
    float_activation_range(activation, &d->float_min, &d->float_max);
    return Status::kOk;
  }
  d->input_offset = -input.zero_point();
  d->weights_offset = -weights.zero_point();
  d->output_offset = output.zero_point();
  int32_t qmin, qmax;
  integer_type_range(output.type, &qmin, &qmax);
  quantized_activation_range(activation, output.scale(), output.zero_point(), qmin, qmax,
                             &d->act_min, &d->act_max);
  for (uint32_t c = 0; c < d->num_multipliers; ++c) {
    int shift;
    quantize_multiplier(effective_output_scale(input, weights, output, c), &multipliers(d)[c],
                        &shift);
    shifts(d)[c] = static_cast<int8_t>(shift);
  }
  return Status::kOk;
}

void eval_float(const OpData& d, const float* input, const float* weights, const float* bias,
                float* output) {
  for (uint32_t b = 0; b < d.batches; ++b) {
    for (uint32_t o = 0; o < d.output_depth; ++o) {
      float total = 0.0f;
      const float* in = input + b * d.accum_depth;
      const float* w = weights + o * d.accum_depth;
      for (uint32_t i = 0; i < d.accum_depth; ++i) total += in[i] * w[i];
      const float value = total + (bias != nullptr ? bias[o] : 0.0f);
      output[b * d.output_depth + o] = clamp(value, d.float_min, d.float_max);
    }
  }
}

// Bias, rescale and activation of output `o`'s accumulator: one output stage for the dense and
// sparse paths. Biases are read unaligned: real models place int64 biases at 4 mod 8.
template <typename In, typename Acc>
In output_value(const OpData& d, Acc acc, const void* bias, uint32_t o) {
  if (bias != nullptr) acc = accumulate(acc, load_unaligned<Acc>(bias, static_cast<int32_t>(o)));
  const uint32_t c = d.num_multipliers > 1 ? o : 0;
  int32_t scaled = multiply_by_quantized_multiplier(acc, multipliers(&d)[c], shifts(&d)[c]);
  scaled += d.output_offset;
  return static_cast<In>(clamp(scaled, d.act_min, d.act_max));
}

// Acc is the bias type: int32 for int8 layers and 16x8 layers without an int64 bias, int64
// otherwise.
template <typename In, typename Acc>
void eval_quantized(const OpData& d, const In* input, const int8_t* weights, const void* bias,
                    In* output) {
  for (uint32_t b = 0; b < d.batches; ++b) {
    for (uint32_t o = 0; o < d.output_depth; ++o) {
      Acc acc = 0;
      const In* in = input + b * d.accum_depth;
      const int8_t* w = weights + o * d.accum_depth;
      for (uint32_t i = 0; i < d.accum_depth; ++i) {
        acc =
            accumulate(acc, static_cast<Acc>((w[i] + d.weights_offset) * (in[i] + d.input_offset)));
      }
      output[b * d.output_depth + o] = output_value<In, Acc>(d, acc, bias, o);
    }
  }
}

// The int8 path over sparse weights: only stored (non-zero) weights are multiplied. Weights are
// symmetric (plan() checks), so a skipped weight adds exactly 0 to the dense path's sum.
void eval_int8_sparse(const OpData& d, const int8_t* input, const SparseRows& w, const void* bias,
                      int8_t* output) {
  for (uint32_t b = 0; b < d.batches; ++b) {
    const int8_t* in = input + b * d.accum_depth;
    for (uint32_t o = 0; o < d.output_depth; ++o) {
      int32_t acc = 0;
      const uint32_t end = w.segments.get(o + 1);
      for (uint32_t k = w.segments.get(o); k < end; ++k) {
        acc = accumulate(acc, w.values[k] * (in[w.indices.get(k)] + d.input_offset));
      }
      output[b * d.output_depth + o] = output_value<int8_t, int32_t>(d, acc, bias, o);
    }
  }
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const void* bias = ctx.input_data<void>(kBias);
  switch (d.path) {
    case Path::kFloat:
      if (!kFloatKernels) break;  // allocate() refused it
      eval_float(d, ctx.input_data<float>(kInput), ctx.input_data<float>(kWeights),
                 static_cast<const float*>(bias), ctx.output_data<float>(0));
      break;
    case Path::kInt8:
      eval_quantized<int8_t, int32_t>(d, ctx.input_data<int8_t>(kInput),
                                      ctx.input_data<int8_t>(kWeights), bias,
                                      ctx.output_data<int8_t>(0));
      break;
    case Path::kInt8Sparse:
      if (!kSparseWeights) break;  // allocate() refused it
      eval_int8_sparse(d, ctx.input_data<int8_t>(kInput), sparse_rows(ctx, kWeights), bias,
                       ctx.output_data<int8_t>(0));
      break;
    case Path::kInt16Acc32:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_quantized<int16_t, int32_t>(d, ctx.input_data<int16_t>(kInput),
                                       ctx.input_data<int8_t>(kWeights), bias,
                                       ctx.output_data<int16_t>(0));
      break;
    case Path::kInt16Acc64:
      if (!kInt16Kernels) break;  // allocate() refused it
      eval_quantized<int16_t, int64_t>(d, ctx.input_data<int16_t>(kInput),
                                       ctx.input_data<int8_t>(kWeights), bias,
                                       ctx.output_data<int16_t>(0));
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& fully_connected() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::FULLY_CONNECTED, nullptr, 12, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
