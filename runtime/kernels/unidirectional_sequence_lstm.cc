// UNIDIRECTIONAL_SEQUENCE_LSTM: the standard LSTM cell (the Keras layer: no peephole, no
// projection, no layer norm, no CIFG) run over a sequence, as TFLM's rewritten micro kernel:
//
//   forget = σ(W_f·x + R_f·h + b_f)      input  = σ(W_i·x + R_i·h + b_i)
//   cell_g = act(W_c·x + R_c·h + b_c)    output = σ(W_o·x + R_o·h + b_o)
//   c = clip(forget ⊙ c + input ⊙ cell_g)          h = output ⊙ tanh(c)
//
// for every time step, where act is the fused activation (TANH: TFLM knows no other for the cell
// gate, and TFLite's schema cannot express its SIGMOID alternative); h is written to the
// output at each step. The hidden state h (input 18) and the cell state c (input 19) are variable
// tensors that persist between invokes. With time_major the steps run over all batches at once;
// otherwise each batch row runs its whole sequence in turn.
//
// Types, as TFLM: float32 throughout; int8 activations and weights with int32 biases and an int16
// cell state (8x8→16); int16 activations with int8 weights and int64 biases (16x8→16). Integer
// gates are computed in Q3.12 and activated into Q0.15 by TFLite's int16 logistic/tanh tables.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "runtime/interpreter/op_context.h"
#include "runtime/kernels/internal/activation_float.h"
#include "runtime/kernels/internal/activation_int16.h"
#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/internal/fixed_point_math.h"
#include "runtime/kernels/internal/kernel_util.h"
#include "runtime/kernels/internal/quantization.h"
#include "runtime/kernels/kernels.h"

namespace mote {
namespace kernels {
namespace {

constexpr int kNumInputs = 24;
constexpr int kInput = 0;
// Per gate, in the order of the op's inputs: input, forget, cell, output.
constexpr int kInputWeights[4] = {1, 2, 3, 4};
constexpr int kRecurrentWeights[4] = {5, 6, 7, 8};
constexpr int kPeepholeWeights[3] = {9, 10, 11};
constexpr int kBias[4] = {12, 13, 14, 15};
constexpr int kProjectionWeights = 16;
constexpr int kProjectionBias = 17;
constexpr int kHiddenState = 18;
constexpr int kCellState = 19;
constexpr int kLayerNormWeights[4] = {20, 21, 22, 23};

enum Gate { kInputGate = 0, kForgetGate = 1, kCellGate = 2, kOutputGate = 3 };
constexpr const char* kGateNames[4] = {"input", "forget", "cell", "output"};

// Gate pre-activations are Q3.12 and gate outputs Q0.15, whatever the tensors' scales.
constexpr double kGateInputScale = 1.0 / 4096.0;
constexpr double kGateOutputScale = 1.0 / 32768.0;

// One integer fully connected product into a Q3.12 gate: TFLM's FullyConnectedParams.
struct FcParams {
  int32_t input_offset;
  int32_t weights_offset;
  int32_t multiplier;
  int32_t shift;
};

// One element-wise product of two Q0.15 (or cell-state) vectors: TFLM's ArithmeticParams.
struct MulParams {
  int32_t multiplier;
  int32_t shift;
  int32_t output_offset;
  int32_t act_min;
  int32_t act_max;
};

struct OpData {
  uint32_t batch;
  uint32_t time_steps;
  uint32_t input_dim;
  uint32_t state_dim;
  uint32_t time_major;
  float cell_clip;  // 0: no clipping
  int32_t quantized_cell_clip;
  Int16TableScaling gate_scaling;    // Q3.12 gate input to the int16 tables
  Int16TableScaling hidden_scaling;  // cell state to the int16 tanh table
  FcParams input_fc[4];
  FcParams recurrent_fc[4];
  MulParams forget_times_cell;
  MulParams input_times_cell_gate;
  MulParams output_times_tanh_cell;
};

enum class Variant { kFloat, kInt8, kInt16 };

Variant variant_of(TensorType input_type) {
  return input_type == TensorType::FLOAT32 ? Variant::kFloat
         : input_type == TensorType::INT8  ? Variant::kInt8
                                           : Variant::kInt16;
}

// Batch rows one step processes: all of them in time-major order, one otherwise.
uint32_t rows_per_step(const OpData& d) { return d.time_major != 0 ? d.batch : 1; }

// The real multiplier of a product into a Q3.12 gate, as TFLite's GetQuantizedConvolutionMultipler.
double gate_fc_scale(const Tensor& input, const Tensor& weights) {
  return static_cast<double>(input.scale()) * static_cast<double>(weights.scale()) /
         kGateInputScale;
}

// The shift quantize_multiplier gives `real` (a left shift when positive).
int rescale_shift(double real) {
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(real, &multiplier, &shift);
  return shift;
}

Status check_absent(const PlanContext& ctx, const int* indices, int count, const char* what) {
  for (int k = 0; k < count; ++k) {
    const Tensor t = ctx.input(indices[k]);
    if (t.present()) {
      return ctx.fail(Status::kUnsupported,
                      "has %s tensors (input %d is tensor %d '%s'); TFLM's LSTM implements only "
                      "the standard LSTM without peephole, projection or layer norm",
                      what, indices[k], t.index, t.name);
    }
  }
  return Status::kOk;
}

Status check_matrix(const PlanContext& ctx, const Tensor& t, int32_t rows, int32_t cols,
                    const char* role) {
  if (t.rank != 2 || t.dim(0) != rows || t.dim(1) != cols) {
    return ctx.fail(Status::kInvalidModel, "%s tensor %d '%s' must have shape [%d,%d]", role,
                    t.index, t.name, rows, cols);
  }
  return Status::kOk;
}

// The types of weights, biases and cell state each activation type needs.
struct TypeSet {
  TensorType weights;
  TensorType bias;
  TensorType cell;
};

TypeSet types_for(Variant v) {
  switch (v) {
    case Variant::kFloat:
      return {TensorType::FLOAT32, TensorType::FLOAT32, TensorType::FLOAT32};
    case Variant::kInt8:
      return {TensorType::INT8, TensorType::INT32, TensorType::INT16};
    case Variant::kInt16:
      break;
  }
  return {TensorType::INT8, TensorType::INT64, TensorType::INT16};
}

Status plan(PlanContext& ctx) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, kNumInputs, kNumInputs, 1));
  const auto* options = ctx.options<tflite::UnidirectionalSequenceLSTMOptions>();
  if (options == nullptr) {
    return ctx.fail(Status::kInvalidModel, "has no UnidirectionalSequenceLSTMOptions");
  }
  const Activation activation = options->fused_activation_function();
  if (activation != Activation::TANH) {
    return ctx.fail(Status::kUnsupported,
                    "fused activation %s is not supported for the cell gate (TFLM: TANH only)",
                    tflite::EnumNameActivationFunctionType(activation));
  }
  if (!(options->cell_clip() >= 0.0f)) {
    return ctx.fail(Status::kInvalidModel, "cell_clip is %g; it must be >= 0",
                    static_cast<double>(options->cell_clip()));
  }
  if (options->diagonal_recurrent_tensors()) {
    return ctx.fail(Status::kUnsupported,
                    "diagonal recurrent weights are not supported (TFLM's LSTM needs full "
                    "recurrent matrices)");
  }

  const Tensor input = ctx.input(kInput);
  const Tensor hidden = ctx.input(kHiddenState);
  const Tensor cell = ctx.input(kCellState);
  const Tensor output = ctx.output(0);
  MOTE_RETURN_IF_ERROR(check_present(ctx, input, "input"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, hidden, "hidden state"));
  MOTE_RETURN_IF_ERROR(check_present(ctx, cell, "cell state"));
  for (int g = 0; g < 4; ++g) {
    const Tensor w = ctx.input(kInputWeights[g]);
    const Tensor r = ctx.input(kRecurrentWeights[g]);
    const Tensor b = ctx.input(kBias[g]);
    if (!w.present() || !r.present() || !b.present()) {
      return ctx.fail(Status::kUnsupported,
                      "has no %s gate weights or bias (a CIFG LSTM); TFLM's LSTM needs all "
                      "four gates",
                      kGateNames[g]);
    }
  }
  MOTE_RETURN_IF_ERROR(check_absent(ctx, kPeepholeWeights, 3, "peephole (cell-to-gate) weight"));
  const int projection[2] = {kProjectionWeights, kProjectionBias};
  MOTE_RETURN_IF_ERROR(check_absent(ctx, projection, 2, "projection"));
  MOTE_RETURN_IF_ERROR(check_absent(ctx, kLayerNormWeights, 4, "layer norm coefficient"));
  if (!hidden.is_variable || !cell.is_variable) {
    return ctx.fail(Status::kInvalidModel,
                    "hidden state tensor %d and cell state tensor %d must be variable tensors",
                    hidden.index, cell.index);
  }

  // Types.
  if (input.type != TensorType::FLOAT32 && input.type != TensorType::INT8 &&
      input.type != TensorType::INT16) {
    return ctx.fail(Status::kUnsupported, "input type %s is not supported",
                    tensor_type_name(input.type));
  }
  const Variant variant = variant_of(input.type);
  const TypeSet types = types_for(variant);
  const Tensor first_weights = ctx.input(kInputWeights[kForgetGate]);
  if (variant == Variant::kFloat && first_weights.type != TensorType::FLOAT32) {
    return ctx.fail(Status::kUnsupported,
                    "hybrid LSTM (float activations with %s weights) is not supported by TFLM",
                    tensor_type_name(first_weights.type));
  }
  MOTE_RETURN_IF_ERROR(check_type(ctx, hidden, input.type, "hidden state"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, output, input.type, "output"));
  MOTE_RETURN_IF_ERROR(check_type(ctx, cell, types.cell, "cell state"));
  for (int g = 0; g < 4; ++g) {
    MOTE_RETURN_IF_ERROR(
        check_type(ctx, ctx.input(kInputWeights[g]), types.weights, "input weights"));
    MOTE_RETURN_IF_ERROR(
        check_type(ctx, ctx.input(kRecurrentWeights[g]), types.weights, "recurrent weights"));
    MOTE_RETURN_IF_ERROR(check_type(ctx, ctx.input(kBias[g]), types.bias, "bias"));
  }

  // Shapes.
  MOTE_RETURN_IF_ERROR(check_rank(ctx, input, 3, "input"));
  MOTE_RETURN_IF_ERROR(check_rank(ctx, hidden, 2, "hidden state"));
  const bool time_major = options->time_major();
  const int32_t batch = time_major ? input.dim(1) : input.dim(0);
  const int32_t input_dim = input.dim(2);
  const int32_t state_dim = hidden.dim(1);
  for (int g = 0; g < 4; ++g) {
    MOTE_RETURN_IF_ERROR(
        check_matrix(ctx, ctx.input(kInputWeights[g]), state_dim, input_dim, "input weights"));
    MOTE_RETURN_IF_ERROR(check_matrix(ctx, ctx.input(kRecurrentWeights[g]), state_dim, state_dim,
                                      "recurrent weights"));
    const Tensor b = ctx.input(kBias[g]);
    if (b.rank != 1 || b.dim(0) != state_dim) {
      return ctx.fail(Status::kInvalidModel, "bias tensor %d '%s' must have shape [%d]", b.index,
                      b.name, state_dim);
    }
  }
  const uint32_t state_elements = static_cast<uint32_t>(batch) * static_cast<uint32_t>(state_dim);
  if (hidden.elements != state_elements || cell.elements != state_elements) {
    return ctx.fail(Status::kInvalidModel,
                    "hidden state (%u elements) and cell state (%u) must hold batch %d x state "
                    "%d",
                    hidden.elements, cell.elements, batch, state_dim);
  }
  if (output.rank != 3 || output.dim(0) != input.dim(0) || output.dim(1) != input.dim(1) ||
      output.dim(2) != state_dim) {
    return ctx.fail(Status::kInvalidModel, "output tensor %d must have shape [%d,%d,%d]",
                    output.index, input.dim(0), input.dim(1), state_dim);
  }

  // Quantization.
  if (variant != Variant::kFloat) {
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, input, "input"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, hidden, "hidden state"));
    MOTE_RETURN_IF_ERROR(check_per_tensor_quantized(ctx, cell, "cell state"));
    for (int g = 0; g < 4; ++g) {
      // TFLM would apply the first channel's scale to every row of per-channel weights.
      MOTE_RETURN_IF_ERROR(
          check_per_tensor_quantized(ctx, ctx.input(kInputWeights[g]), "input weights"));
      MOTE_RETURN_IF_ERROR(
          check_per_tensor_quantized(ctx, ctx.input(kRecurrentWeights[g]), "recurrent weights"));
    }
    int power = 0;
    checked_log2(cell.scale(), &power);
    if (power > 0 || power < -30) {
      return ctx.fail(Status::kUnsupported,
                      "cell state tensor %d '%s' has scale %g; the integer LSTM needs a scale "
                      "between 2^-30 and 1 (a power of two such as 2^-11)",
                      cell.index, cell.name, static_cast<double>(cell.scale()));
    }
    // Every rescaling must fit its fixed-point multiply: a left shift of at most 30 bits (7 for
    // the 64-bit accumulators of 16x8).
    const int max_shift = variant == Variant::kInt16 ? 7 : 30;
    for (int g = 0; g < 4; ++g) {
      const Tensor w = ctx.input(kInputWeights[g]);
      const Tensor r = ctx.input(kRecurrentWeights[g]);
      if (rescale_shift(gate_fc_scale(input, w)) > max_shift ||
          rescale_shift(gate_fc_scale(hidden, r)) > max_shift) {
        return ctx.fail(Status::kUnsupported,
                        "%s gate: input x weight scales are too large for a Q3.12 gate (weights "
                        "tensors %d and %d)",
                        kGateNames[g], w.index, r.index);
      }
    }
    if (rescale_shift(kGateOutputScale * kGateOutputScale / static_cast<double>(hidden.scale())) >
        30) {
      return ctx.fail(Status::kUnsupported, "hidden state tensor %d has scale %g, too small",
                      hidden.index, static_cast<double>(hidden.scale()));
    }
  }

  const uint32_t rows = time_major ? static_cast<uint32_t>(batch) : 1u;
  const uint32_t cell_bytes = variant == Variant::kFloat ? 4u : 2u;
  // Four gate-sized buffers: forget, input (then input ⊙ cell gate, then output), cell gate, and
  // the recurrent product of the gate being computed.
  int scratch = 0;
  MOTE_RETURN_IF_ERROR(
      ctx.request_scratch(4u * rows * static_cast<uint32_t>(state_dim) * cell_bytes, &scratch));
  ctx.set_op_data_bytes(sizeof(OpData));
  return Status::kOk;
}

FcParams fc_params(const Tensor& input, const Tensor& weights) {
  FcParams p{};
  p.input_offset = -input.zero_point();
  p.weights_offset = -weights.zero_point();
  int shift = 0;
  quantize_multiplier(gate_fc_scale(input, weights), &p.multiplier, &shift);
  p.shift = shift;
  return p;
}

MulParams mul_params(double scale1, double scale2, double output_scale, TensorType output_type,
                     int32_t output_zero_point) {
  MulParams p{};
  int shift = 0;
  quantize_multiplier(scale1 * scale2 / output_scale, &p.multiplier, &shift);
  p.shift = shift;
  p.output_offset = output_zero_point;
  integer_type_range(output_type, &p.act_min, &p.act_max);
  return p;
}

Status init(InitContext& ctx) {
  const auto* options = ctx.options<tflite::UnidirectionalSequenceLSTMOptions>();
  const Tensor input = ctx.input(kInput);
  const Tensor hidden = ctx.input(kHiddenState);
  const Tensor cell = ctx.input(kCellState);
  auto* d = ctx.op_data<OpData>();
  *d = OpData{};
  d->time_major = options->time_major() ? 1u : 0u;
  d->batch = static_cast<uint32_t>(d->time_major != 0 ? input.dim(1) : input.dim(0));
  d->time_steps = static_cast<uint32_t>(d->time_major != 0 ? input.dim(0) : input.dim(1));
  d->input_dim = static_cast<uint32_t>(input.dim(2));
  d->state_dim = static_cast<uint32_t>(hidden.dim(1));
  d->cell_clip = options->cell_clip();
  if (input.type == TensorType::FLOAT32) return Status::kOk;

  // Integer gates: each product is rescaled into Q3.12 by its own multiplier.
  for (int g = 0; g < 4; ++g) {
    d->input_fc[g] = fc_params(input, ctx.input(kInputWeights[g]));
    d->recurrent_fc[g] = fc_params(hidden, ctx.input(kRecurrentWeights[g]));
  }
  const double cell_scale = static_cast<double>(cell.scale());
  d->forget_times_cell =
      mul_params(kGateOutputScale, cell_scale, cell_scale, TensorType::INT16, /*zero point=*/0);
  d->input_times_cell_gate =
      mul_params(kGateOutputScale, kGateOutputScale, cell_scale, TensorType::INT16, 0);
  d->output_times_tanh_cell =
      mul_params(kGateOutputScale, kGateOutputScale, static_cast<double>(hidden.scale()),
                 hidden.type, hidden.zero_point());

  // The clip in cell-state steps, truncated towards zero as TFLM's cast does.
  const double clip = static_cast<double>(d->cell_clip) / cell_scale;
  d->quantized_cell_clip =
      static_cast<int16_t>(clip < -32768.0 ? -32768.0 : (clip > 32767.0 ? 32767.0 : clip));

  // Gates reach the tables as Q3.12; the cell state as 2^power steps, so tanh(c) needs
  // 12 + power more bits of shift (a right shift by the multiplier-3 path when negative).
  d->gate_scaling = int16_table_scaling(0, 0);
  int power = 0;
  checked_log2(cell.scale(), &power);
  int32_t tanh_shift = 15 + power - 3;
  int32_t tanh_multiplier = 0;
  if (tanh_shift < 0) {
    tanh_shift = -tanh_shift;
    tanh_multiplier = 3;
  }
  d->hidden_scaling = int16_table_scaling(tanh_multiplier, tanh_shift);
  return Status::kOk;
}

// ---- float --------------------------------------------------------------------------------

// out[r, o] = Σ_k in[r, k] · w[o, k] (+ bias[o]), summed in float in TFLite's order.
void fc_float(const float* in, uint32_t rows, uint32_t depth, const float* w, const float* bias,
              uint32_t outputs, float* out) {
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t o = 0; o < outputs; ++o) {
      float total = 0.0f;
      for (uint32_t k = 0; k < depth; ++k) total += in[r * depth + k] * w[o * depth + k];
      out[r * outputs + o] = total + (bias != nullptr ? bias[o] : 0.0f);
    }
  }
}

struct FloatTensors {
  const float* input_weights[4];
  const float* recurrent_weights[4];
  const float* bias[4];
};

void gate_float(const OpData& d, const FloatTensors& t, int gate, const float* x, const float* h,
                uint32_t rows, float* out, float* scratch) {
  const uint32_t n = rows * d.state_dim;
  fc_float(x, rows, d.input_dim, t.input_weights[gate], t.bias[gate], d.state_dim, out);
  fc_float(h, rows, d.state_dim, t.recurrent_weights[gate], nullptr, d.state_dim, scratch);
  for (uint32_t i = 0; i < n; ++i) out[i] = out[i] + scratch[i];
  const bool sigmoid = gate != kCellGate;
  for (uint32_t i = 0; i < n; ++i) out[i] = sigmoid ? logistic_float(out[i]) : tanh_float(out[i]);
}

void step_float(const OpData& d, const FloatTensors& t, const float* x, uint32_t rows, float* h,
                float* c, float* out, float* buffers) {
  const uint32_t n = rows * d.state_dim;
  float* forget = buffers;
  float* input_gate = buffers + n;
  float* cell_gate = buffers + 2 * n;
  float* scratch = buffers + 3 * n;
  gate_float(d, t, kForgetGate, x, h, rows, forget, scratch);
  gate_float(d, t, kInputGate, x, h, rows, input_gate, scratch);
  gate_float(d, t, kCellGate, x, h, rows, cell_gate, scratch);
  for (uint32_t i = 0; i < n; ++i) c[i] = forget[i] * c[i];
  for (uint32_t i = 0; i < n; ++i) input_gate[i] = input_gate[i] * cell_gate[i];
  for (uint32_t i = 0; i < n; ++i) c[i] = c[i] + input_gate[i];
  if (d.cell_clip > 0.0f) {
    // max(min(clip, c), -clip) in this order, as TFLM (a NaN cell becomes +clip).
    for (uint32_t i = 0; i < n; ++i) {
      const float upper = c[i] < d.cell_clip ? c[i] : d.cell_clip;
      c[i] = upper < -d.cell_clip ? -d.cell_clip : upper;
    }
  }
  float* output_gate = input_gate;  // free again
  gate_float(d, t, kOutputGate, x, h, rows, output_gate, scratch);
  float* tanh_cell = forget;
  for (uint32_t i = 0; i < n; ++i) tanh_cell[i] = tanh_float(c[i]);
  for (uint32_t i = 0; i < n; ++i) h[i] = tanh_cell[i] * output_gate[i];
  std::memcpy(out, h, n * sizeof(float));
}

// ---- integer ------------------------------------------------------------------------------

inline int32_t rescale(int32_t acc, const FcParams& p) {
  return multiply_by_quantized_multiplier(acc, p.multiplier, p.shift);
}
inline int32_t rescale(int64_t acc, const FcParams& p) {
  return multiply_by_quantized_multiplier(acc, p.multiplier, p.shift);
}

// Q3.12 out[r, o] = Σ_k (w[o, k] + w_off) · (in[r, k] + in_off) (+ bias[o]), rescaled and
// saturated to int16. Act/Bias = int8/int32 or int16/int64 (the accumulator is the bias type).
template <typename Act, typename Bias>
void fc_integer(const Act* in, uint32_t rows, uint32_t depth, const int8_t* w, const Bias* bias,
                uint32_t outputs, const FcParams& p, int16_t* out) {
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t o = 0; o < outputs; ++o) {
      // Sums wrap around on overflow, as TFLM's do on its targets (explicitly here).
      Bias acc = 0;
      for (uint32_t k = 0; k < depth; ++k) {
        acc = fp::wrapping_add(
            acc, static_cast<Bias>((static_cast<int32_t>(w[o * depth + k]) + p.weights_offset) *
                                   (static_cast<int32_t>(in[r * depth + k]) + p.input_offset)));
      }
      if (bias != nullptr) acc = fp::wrapping_add(acc, bias[o]);
      const int32_t scaled = rescale(acc, p);
      out[r * outputs + o] = static_cast<int16_t>(clamp<int32_t>(scaled, -32768, 32767));
    }
  }
}

// out = saturate(a · b rescaled + offset); a and b are int16, out int16 or the activation type.
template <typename Out>
void mul_integer(const int16_t* a, const int16_t* b, uint32_t n, const MulParams& p, Out* out) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t product = static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
    const int32_t scaled =
        multiply_by_quantized_multiplier(product, p.multiplier, p.shift) + p.output_offset;
    out[i] = static_cast<Out>(clamp(scaled, p.act_min, p.act_max));
  }
}

void add_saturating(const int16_t* a, const int16_t* b, uint32_t n, int16_t* out) {
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t sum = static_cast<int32_t>(a[i]) + static_cast<int32_t>(b[i]);
    out[i] = static_cast<int16_t>(clamp<int32_t>(sum, -32768, 32767));
  }
}

template <typename Act, typename Bias>
struct IntegerTensors {
  const int8_t* input_weights[4];
  const int8_t* recurrent_weights[4];
  const Bias* bias[4];
};

template <typename Act, typename Bias>
void gate_integer(const OpData& d, const IntegerTensors<Act, Bias>& t, int gate, const Act* x,
                  const Act* h, uint32_t rows, int16_t* out, int16_t* scratch) {
  const uint32_t n = rows * d.state_dim;
  fc_integer<Act, Bias>(x, rows, d.input_dim, t.input_weights[gate], t.bias[gate], d.state_dim,
                        d.input_fc[gate], out);
  fc_integer<Act, Bias>(h, rows, d.state_dim, t.recurrent_weights[gate], nullptr, d.state_dim,
                        d.recurrent_fc[gate], scratch);
  add_saturating(out, scratch, n, out);
  const bool sigmoid = gate != kCellGate;
  for (uint32_t i = 0; i < n; ++i) {
    out[i] = sigmoid ? logistic_int16(out[i], d.gate_scaling) : tanh_int16(out[i], d.gate_scaling);
  }
}

template <typename Act, typename Bias>
void step_integer(const OpData& d, const IntegerTensors<Act, Bias>& t, const Act* x, uint32_t rows,
                  Act* h, int16_t* c, Act* out, int16_t* buffers) {
  const uint32_t n = rows * d.state_dim;
  int16_t* forget = buffers;
  int16_t* input_gate = buffers + n;
  int16_t* cell_gate = buffers + 2 * n;
  int16_t* scratch = buffers + 3 * n;
  gate_integer(d, t, kForgetGate, x, h, rows, forget, scratch);
  gate_integer(d, t, kInputGate, x, h, rows, input_gate, scratch);
  gate_integer(d, t, kCellGate, x, h, rows, cell_gate, scratch);
  mul_integer(forget, c, n, d.forget_times_cell, c);
  mul_integer(input_gate, cell_gate, n, d.input_times_cell_gate, input_gate);
  add_saturating(c, input_gate, n, c);
  if (d.cell_clip > 0.0f) {
    const auto limit = static_cast<int16_t>(d.quantized_cell_clip);
    for (uint32_t i = 0; i < n; ++i)
      c[i] = clamp<int16_t>(c[i], static_cast<int16_t>(-limit), limit);
  }
  int16_t* output_gate = input_gate;  // free again
  gate_integer(d, t, kOutputGate, x, h, rows, output_gate, scratch);
  int16_t* tanh_cell = forget;
  for (uint32_t i = 0; i < n; ++i) tanh_cell[i] = tanh_int16(c[i], d.hidden_scaling);
  mul_integer(tanh_cell, output_gate, n, d.output_times_tanh_cell, h);
  std::memcpy(out, h, n * sizeof(Act));
}

// Runs every step: time-major steps cover all batch rows; batch-major rows run one after another,
// each on its own rows of the hidden and cell state.
template <typename Act, typename Cell, typename Tensors, typename Step>
void run_sequence(const OpData& d, const Tensors& t, const Act* input, Act* h, Cell* c, Act* output,
                  Cell* buffers, Step step) {
  const uint32_t rows = rows_per_step(d);
  const uint32_t sequences = d.time_major != 0 ? 1 : d.batch;
  for (uint32_t s = 0; s < sequences; ++s) {
    Act* h_rows = h + s * d.state_dim;
    Cell* c_rows = c + s * d.state_dim;
    for (uint32_t k = 0; k < d.time_steps; ++k) {
      const uint32_t position = s * d.time_steps + k;  // in steps of `rows` rows
      step(d, t, input + position * rows * d.input_dim, rows, h_rows, c_rows,
           output + position * rows * d.state_dim, buffers);
    }
  }
}

template <typename Act, typename Bias>
void eval_integer(EvalContext& ctx, const OpData& d) {
  IntegerTensors<Act, Bias> t{};
  for (int g = 0; g < 4; ++g) {
    t.input_weights[g] = ctx.input_data<int8_t>(kInputWeights[g]);
    t.recurrent_weights[g] = ctx.input_data<int8_t>(kRecurrentWeights[g]);
    t.bias[g] = ctx.input_data<Bias>(kBias[g]);
  }
  run_sequence<Act, int16_t>(d, t, ctx.input_data<Act>(kInput),
                             ctx.variable_data<Act>(kHiddenState),
                             ctx.variable_data<int16_t>(kCellState), ctx.output_data<Act>(0),
                             static_cast<int16_t*>(ctx.scratch(0)), step_integer<Act, Bias>);
}

Status eval(EvalContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  switch (ctx.input(kInput).type) {
    case TensorType::FLOAT32: {
      FloatTensors t{};
      for (int g = 0; g < 4; ++g) {
        t.input_weights[g] = ctx.input_data<float>(kInputWeights[g]);
        t.recurrent_weights[g] = ctx.input_data<float>(kRecurrentWeights[g]);
        t.bias[g] = ctx.input_data<float>(kBias[g]);
      }
      run_sequence<float, float>(d, t, ctx.input_data<float>(kInput),
                                 ctx.variable_data<float>(kHiddenState),
                                 ctx.variable_data<float>(kCellState), ctx.output_data<float>(0),
                                 static_cast<float*>(ctx.scratch(0)), step_float);
      break;
    }
    case TensorType::INT8:
      eval_integer<int8_t, int32_t>(ctx, d);
      break;
    case TensorType::INT16:
      eval_integer<int16_t, int64_t>(ctx, d);
      break;
    default:
      return ctx.fail(Status::kKernelError, "unexpected input type");
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& unidirectional_sequence_lstm() {
  static constexpr KernelRegistration kRegistration{
      tflite::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, nullptr, 5, plan, init, eval};
  return kRegistration;
}

}  // namespace kernels
}  // namespace mote
