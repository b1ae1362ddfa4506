// SVDF: a singular-value-decomposition filter over time. Each of F filters (F = units · rank)
// projects the input onto a feature vector; the projections of the last M invokes are kept in a
// variable state [batch, F · M] that shifts left by one each invoke; each filter's history is
// weighted by its time weights, the rank filters of each unit are summed with the bias, and the
// fused activation applied:
//
//   state[b, f, M-1] = Σ_i weights_feature[f, i] · input[b, i]      (after the shift)
//   output[b, u]     = act(bias[u] + Σ_{r<rank} Σ_m weights_time[u·rank+r, m] · state[b, u·rank+r,
//   m])
//
// float32, and int8 input/output with int8 feature weights, int32 bias and int16 or int8 time
// weights and state (TFLM's integer SVDF; it ignores the fused activation, which the output's
// quantization range already encodes).
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation_float.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/fixed_point_math.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kInput = 0;
constexpr int kWeightsFeature = 1;
constexpr int kWeightsTime = 2;
constexpr int kBias = 3;
constexpr int kState = 4;

struct OpData {
  uint32_t batch;
  uint32_t input_size;
  uint32_t filters;
  uint32_t units;
  uint32_t memory;
  uint32_t rank;
  int32_t activation;  // tflite::ActivationFunctionType, float only
  int32_t input_zero_point;
  int32_t state_zero_point;
  int32_t output_zero_point;
  int32_t feature_multiplier;  // input · feature weights → state
  int32_t feature_shift;
  int32_t time_multiplier;  // state · time weights → output
  int32_t time_shift;
};

bool is_float_activation_supported(Activation a) {
  return is_supported_activation(a) || a == Activation::TANH || a == Activation::SIGN_BIT;
}

// TFLM forms both ratios in float and only then widens them to double.
double feature_scale(const Tensor& input, const Tensor& weights_feature, const Tensor& state) {
  return static_cast<double>(input.scale() * weights_feature.scale() / state.scale());
}
double time_scale(const Tensor& state, const Tensor& weights_time, const Tensor& output) {
  return static_cast<double>(state.scale() * weights_time.scale() / output.scale());
}

// The shift quantize_multiplier gives `real` (a left shift when positive).
int rescale_shift(double real) {
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(real, &multiplier, &shift);
  return shift;
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 5, 5, 1));
  const auto* options = ctx.options<tflite::SVDFOptions>();
  if (options == nullptr) return ctx.fail(Status::kInvalidModel, "has no SVDFOptions");
  const int32_t rank = options->rank();
  const Tensor input = ctx.input(kInput);
  const Tensor weights_feature = ctx.input(kWeightsFeature);
  const Tensor weights_time = ctx.input(kWeightsTime);
  const Tensor bias = ctx.input(kBias);
  const Tensor state = ctx.input(kState);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, weights_feature, "feature weights"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, weights_time, "time weights"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, state, "state"));

  // Shapes.
  MOTE_RETURN_IF_ERROR(check_rank(ctx, input, 2, "input"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, weights_feature, 2, "feature weights"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, weights_time, 2, "time weights"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, state, 2, "state"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, output, 2, "output"));
  const int32_t batch = input.dim(0);
  const int32_t input_size = input.dim(1);
  const int32_t filters = weights_feature.dim(0);
  if (rank <= 0 || filters % rank != 0) {
    return ctx.fail(Status::kInvalidModel, "rank %d does not divide the %d filters", rank, filters);
  }
  const int32_t units = filters / rank;
  const int32_t memory = weights_time.dim(1);
  if (weights_feature.dim(1) != input_size) {
    return ctx.fail(Status::kInvalidModel,
                    "feature weights tensor %d has %d columns for an input of size %d",
                    weights_feature.index, weights_feature.dim(1), input_size);
  }
  if (weights_time.dim(0) != filters) {
    return ctx.fail(Status::kInvalidModel, "time weights tensor %d has %d rows for %d filters",
                    weights_time.index, weights_time.dim(0), filters);
  }
  if (bias.present() && (bias.rank != 1 || bias.dim(0) != units)) {
    return ctx.fail(Status::kInvalidModel, "bias tensor %d must have shape [%d]", bias.index,
                    units);
  }
  if (state.dim(0) != batch || state.dim(1) != memory * filters) {
    return ctx.fail(Status::kInvalidModel,
                    "state tensor %d must have shape [%d,%d] (batch, memory %d x filters %d)",
                    state.index, batch, memory * filters, memory, filters);
  }
  if (output.dim(0) != batch || output.dim(1) != units) {
    return ctx.fail(Status::kInvalidModel, "output tensor %d must have shape [%d,%d]", output.index,
                    batch, units);
  }
  if (!state.is_variable) {
    return ctx.fail(Status::kInvalidModel, "state tensor %d '%s' must be a variable tensor",
                    state.index, state.name);
  }

  // Types.
  const uint32_t scratch_filters =
      static_cast<uint32_t>(batch) * static_cast<uint32_t>(filters) * 4u;
  int handle = 0;
  if (input.type == TensorType::FLOAT32) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, weights_feature, TensorType::FLOAT32, "feature weights"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, weights_time, TensorType::FLOAT32, "time weights"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, state, TensorType::FLOAT32, "state"));
    if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::FLOAT32, "bias"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::FLOAT32, "output"));
    if (!is_float_activation_supported(options->fused_activation_function())) {
      return ctx.fail(Status::kUnsupported, "fused activation %s is not supported",
                      tflite::EnumNameActivationFunctionType(options->fused_activation_function()));
    }
    MOTE_RETURN_IF_ERROR(ctx.request_scratch(scratch_filters, &handle));
  } else if (input.type == TensorType::INT8) {
    MOTE_RETURN_IF_ERROR(check_type(ctx, weights_feature, TensorType::INT8, "feature weights"));
    if (weights_time.type != TensorType::INT16 && weights_time.type != TensorType::INT8) {
      return ctx.fail(Status::kUnsupported, "time weights tensor %d is %s, expected int16 or int8",
                      weights_time.index, tensor_type_name(weights_time.type));
    }
    // The kernel reads the state with the time weights' type.
    MOTE_RETURN_IF_ERROR(check_type(ctx, state, weights_time.type, "state"));
    if (bias.present()) MOTE_RETURN_IF_ERROR(check_type(ctx, bias, TensorType::INT32, "bias"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, output, TensorType::INT8, "output"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, weights_feature, "feature weights"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, weights_time, "time weights"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, state, "state"));
    // Within its type, so that weights_time × (state − zero point) fits the int32 sums.
    MOTE_RETURN_IF_ERROR(check_zero_point_in_range(ctx, state, "state"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, output, "output"));
    if (bias.present()) {
      MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, bias, "bias"));
      const float product = state.scale() * weights_time.scale();
      const double difference = static_cast<double>(bias.scale()) - static_cast<double>(product);
      if (!(difference < 1e-5 && difference > -1e-5)) {
        return ctx.fail(Status::kInvalidModel,
                        "bias tensor %d has scale %g; it must be state scale x time weights "
                        "scale = %g",
                        bias.index, static_cast<double>(bias.scale()),
                        static_cast<double>(product));
      }
    }
    if (rescale_shift(feature_scale(input, weights_feature, state)) > 30 ||
        rescale_shift(time_scale(state, weights_time, output)) > 30) {
      return ctx.fail(Status::kUnsupported,
                      "quantization scales need a rescaling by 2^31 or more (input %g, feature "
                      "weights %g, state %g, time weights %g, output %g)",
                      static_cast<double>(input.scale()),
                      static_cast<double>(weights_feature.scale()),
                      static_cast<double>(state.scale()), static_cast<double>(weights_time.scale()),
                      static_cast<double>(output.scale()));
    }
    MOTE_RETURN_IF_ERROR(ctx.request_scratch(scratch_filters, &handle));
    MOTE_RETURN_IF_ERROR(ctx.request_scratch(
        static_cast<uint32_t>(batch) * static_cast<uint32_t>(units) * 4u, &handle));
  } else {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                    tensor_type_name(input.type));
  }
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

Status init(InitContext& ctx) {
  const auto* options = ctx.options<tflite::SVDFOptions>();
  const Tensor input = ctx.input(kInput);
  const Tensor weights_feature = ctx.input(kWeightsFeature);
  const Tensor weights_time = ctx.input(kWeightsTime);
  const Tensor state = ctx.input(kState);
  const Tensor output = ctx.output(0);
  auto* d = ctx.op_data<OpData>();
  *d = OpData{};
  d->rank = static_cast<uint32_t>(options->rank());
  d->batch = static_cast<uint32_t>(input.dim(0));
  d->input_size = static_cast<uint32_t>(input.dim(1));
  d->filters = static_cast<uint32_t>(weights_feature.dim(0));
  d->units = d->filters / d->rank;
  d->memory = static_cast<uint32_t>(weights_time.dim(1));
  d->activation = static_cast<int32_t>(options->fused_activation_function());
  if (input.type == TensorType::FLOAT32) return Status::kOk;

  d->input_zero_point = input.zero_point();
  d->state_zero_point = state.zero_point();
  d->output_zero_point = output.zero_point();
  int shift = 0;
  quantize_multiplier(feature_scale(input, weights_feature, state), &d->feature_multiplier, &shift);
  d->feature_shift = shift;
  quantize_multiplier(time_scale(state, weights_time, output), &d->time_multiplier, &shift);
  d->time_shift = shift;
  return Status::kOk;
}

// Moves every state value one place left over the whole buffer (the oldest drops out; each
// filter's newest slot is overwritten next).
template <typename T>
void shift_state(T* state, uint32_t count) {
  for (uint32_t i = 0; i + 1 < count; ++i) state[i] = state[i + 1];
}

float activate(Activation a, float x) {
  switch (a) {
    case Activation::RELU:
      return x < 0.0f ? 0.0f : x;
    case Activation::RELU_N1_TO_1:
      return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
    case Activation::RELU6:
      return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case Activation::TANH:
      return tanh_float(x);
    case Activation::SIGN_BIT:
      return std::signbit(x) ? 1.0f : 0.0f;
    default:
      return x;
  }
}

void eval_float(const OpData& d, const float* input, const float* weights_feature,
                const float* weights_time, const float* bias, float* state, float* scratch,
                float* output) {
  const uint32_t per_batch = d.filters * d.memory;
  shift_state(state, d.batch * per_batch);
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t f = 0; f < d.filters; ++f) {
      float dot = 0.0f;
      for (uint32_t i = 0; i < d.input_size; ++i) {
        dot += weights_feature[f * d.input_size + i] * input[b * d.input_size + i];
      }
      state[b * per_batch + f * d.memory + d.memory - 1] = dot;
    }
  }
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t f = 0; f < d.filters; ++f) {
      float sum = 0.0f;
      for (uint32_t m = 0; m < d.memory; ++m) {
        sum += weights_time[f * d.memory + m] * state[b * per_batch + f * d.memory + m];
      }
      scratch[b * d.filters + f] = sum;
    }
  }
  const auto activation = static_cast<Activation>(d.activation);
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t u = 0; u < d.units; ++u) {
      float total = bias != nullptr ? bias[u] : 0.0f;
      for (uint32_t r = 0; r < d.rank; ++r) total += scratch[b * d.filters + u * d.rank + r];
      output[b * d.units + u] = activate(activation, total);
    }
  }
}

// T is the type of the state and the time weights (int16 or int8).
template <typename T>
void eval_integer(const OpData& d, const int8_t* input, const int8_t* weights_feature,
                  const T* weights_time, const int32_t* bias, T* state, int32_t* scratch,
                  int32_t* totals, int8_t* output) {
  const uint32_t per_batch = d.filters * d.memory;
  shift_state(state, d.batch * per_batch);
  constexpr int32_t kStateMin = std::numeric_limits<T>::min();
  constexpr int32_t kStateMax = std::numeric_limits<T>::max();
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t f = 0; f < d.filters; ++f) {
      int32_t dot = 0;
      for (uint32_t i = 0; i < d.input_size; ++i) {
        dot = fp::wrapping_add(
            dot, static_cast<int32_t>(weights_feature[f * d.input_size + i]) *
                     (static_cast<int32_t>(input[b * d.input_size + i]) - d.input_zero_point));
      }
      dot = multiply_by_quantized_multiplier(dot, d.feature_multiplier, d.feature_shift);
      // The state's zero point is added before saturating, so an int8 state cannot wrap (the
      // fix of TFLM issue #2721; earlier TFLM clamped first and let the sum wrap around).
      dot = clamp(dot + d.state_zero_point, kStateMin, kStateMax);
      state[b * per_batch + f * d.memory + d.memory - 1] = static_cast<T>(dot);
    }
  }
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t f = 0; f < d.filters; ++f) {
      // int16 products of a long memory can exceed int32: the sums wrap around as TFLM's do
      // on its targets (its C++ leaves that undefined; mote makes the wrap explicit).
      int32_t sum = 0;
      for (uint32_t m = 0; m < d.memory; ++m) {
        sum = fp::wrapping_add(sum,
                               static_cast<int32_t>(weights_time[f * d.memory + m]) *
                                   (static_cast<int32_t>(state[b * per_batch + f * d.memory + m]) -
                                    d.state_zero_point));
      }
      scratch[b * d.filters + f] = sum;
    }
  }
  for (uint32_t b = 0; b < d.batch; ++b) {
    for (uint32_t u = 0; u < d.units; ++u) {
      int32_t total = bias != nullptr ? bias[u] : 0;
      for (uint32_t r = 0; r < d.rank; ++r) {
        total = fp::wrapping_add(total, scratch[b * d.filters + u * d.rank + r]);
      }
      totals[b * d.units + u] = total;
    }
  }
  for (uint32_t k = 0; k < d.batch * d.units; ++k) {
    const int32_t scaled =
        multiply_by_quantized_multiplier(totals[k], d.time_multiplier, d.time_shift) +
        d.output_zero_point;
    output[k] = static_cast<int8_t>(clamp<int32_t>(scaled, -128, 127));
  }
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor weights_time = ctx.input(kWeightsTime);
  switch (ctx.input(kInput).type) {
    case TensorType::FLOAT32:
      eval_float(d, ctx.input_data<float>(kInput), ctx.input_data<float>(kWeightsFeature),
                 ctx.input_data<float>(kWeightsTime), ctx.input_data<float>(kBias),
                 ctx.variable_data<float>(kState), static_cast<float*>(ctx.scratch(0)),
                 ctx.output_data<float>(0));
      break;
    case TensorType::INT8:
      if (weights_time.type == TensorType::INT16) {
        eval_integer<int16_t>(
            d, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kWeightsFeature),
            ctx.input_data<int16_t>(kWeightsTime), ctx.input_data<int32_t>(kBias),
            ctx.variable_data<int16_t>(kState), static_cast<int32_t*>(ctx.scratch(0)),
            static_cast<int32_t*>(ctx.scratch(1)), ctx.output_data<int8_t>(0));
      } else {
        eval_integer<int8_t>(
            d, ctx.input_data<int8_t>(kInput), ctx.input_data<int8_t>(kWeightsFeature),
            ctx.input_data<int8_t>(kWeightsTime), ctx.input_data<int32_t>(kBias),
            ctx.variable_data<int8_t>(kState), static_cast<int32_t*>(ctx.scratch(0)),
            static_cast<int32_t*>(ctx.scratch(1)), ctx.output_data<int8_t>(0));
      }
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& svdf() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::SVDF, nullptr, 4, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
