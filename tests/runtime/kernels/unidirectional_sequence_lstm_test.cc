// UNIDIRECTIONAL_SEQUENCE_LSTM against a plain double-precision LSTM: float (batch > 1, several
// steps, both time_major settings, cell clip), int8 (8x8→16) and 16x8 within a few output steps,
// state carried across invokes and cleared by reset_variables(), and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "runtime/interpreter/interpreter.h"
#include "tests/support/model_builder.h"
#include "tests/support/op_runner.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::testing {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;
using Activation = tflite::ActivationFunctionType;

// Deterministic values in [-range, range].
struct Random {
  std::uint32_t state;
  double next(double range) {
    state = state * 1664525u + 1013904223u;
    return range * (2.0 * (state >> 8) / double(1u << 24) - 1.0);
  }
};

enum class Kind { kFloat, kInt8, kInt16 };

struct Spec {
  Kind kind = Kind::kFloat;
  int batch = 2;
  int steps = 3;
  int input = 3;
  int state = 4;
  bool time_major = false;
  float cell_clip = 0.0f;
};

// The real-valued LSTM: weights per gate (input, forget, cell, output), row-major [state, input]
// and [state, state].
struct Params {
  std::vector<double> w[4], r[4], b[4];
};

// Scales of the integer variants.
struct Scales {
  float input = 0.02f;
  std::int64_t input_zp = 5;
  float weights[4] = {0.004f, 0.0035f, 0.005f, 0.0045f};
  float recurrent[4] = {0.0042f, 0.0038f, 0.0051f, 0.0033f};
  float hidden = 1.0f / 128;
  std::int64_t hidden_zp = -3;
  float cell = 1.0f / 2048;  // 2^-11
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Runs the reference over `x` (laid out as the op's input) from state (h, c); returns the outputs
// in the op's layout and leaves the final state in h, c.
std::vector<double> reference(const Spec& s, const Params& p, const std::vector<double>& x,
                              std::vector<double>& h, std::vector<double>& c) {
  std::vector<double> out(static_cast<std::size_t>(s.batch * s.steps * s.state));
  for (int t = 0; t < s.steps; ++t) {
    for (int bt = 0; bt < s.batch; ++bt) {
      const int row = s.time_major ? t * s.batch + bt : bt * s.steps + t;
      double gate[4][16];
      for (int g = 0; g < 4; ++g) {
        for (int o = 0; o < s.state; ++o) {
          double z = p.b[g][o];
          for (int k = 0; k < s.input; ++k) z += p.w[g][o * s.input + k] * x[row * s.input + k];
          for (int k = 0; k < s.state; ++k) z += p.r[g][o * s.state + k] * h[bt * s.state + k];
          gate[g][o] = g == 2 ? std::tanh(z) : sigmoid(z);
        }
      }
      for (int o = 0; o < s.state; ++o) {
        double& cell = c[bt * s.state + o];
        cell = gate[1][o] * cell + gate[0][o] * gate[2][o];
        if (s.cell_clip > 0)
          cell = std::max(-double(s.cell_clip), std::min(double(s.cell_clip), cell));
      }
      for (int o = 0; o < s.state; ++o) {
        h[bt * s.state + o] = gate[3][o] * std::tanh(c[bt * s.state + o]);
        out[row * s.state + o] = h[bt * s.state + o];
      }
    }
  }
  return out;
}

template <typename T>
T saturate(double v) {
  // The test's int64 biases are small; narrower types saturate.
  if constexpr (sizeof(T) == 8) {
    return static_cast<T>(std::llround(v));
  } else {
    const double lo = static_cast<double>(std::numeric_limits<T>::min());
    const double hi = static_cast<double>(std::numeric_limits<T>::max());
    return static_cast<T>(std::max(lo, std::min(hi, std::round(v))));
  }
}

// Random parameters, exactly representable in the integer variant's quantization (so the
// reference sees the values the kernel sees).
Params make_params(const Spec& s, const Scales& q, std::uint32_t seed) {
  Random rng{seed};
  Params p;
  for (int g = 0; g < 4; ++g) {
    for (int i = 0; i < s.state * s.input; ++i) {
      double v = rng.next(0.5);
      if (s.kind != Kind::kFloat) v = std::round(v / q.weights[g]) * q.weights[g];
      p.w[g].push_back(v);
    }
    for (int i = 0; i < s.state * s.state; ++i) {
      double v = rng.next(0.5);
      if (s.kind != Kind::kFloat) v = std::round(v / q.recurrent[g]) * q.recurrent[g];
      p.r[g].push_back(v);
    }
    for (int i = 0; i < s.state; ++i) {
      double v = rng.next(0.3);
      const double bias_scale = double(q.input) * double(q.weights[g]);
      if (s.kind != Kind::kFloat) v = std::round(v / bias_scale) * bias_scale;
      p.b[g].push_back(v);
    }
  }
  return p;
}

template <typename T>
std::vector<T> quantized(const std::vector<double>& v, double scale, std::int64_t zp = 0) {
  std::vector<T> out;
  for (double x : v) out.push_back(saturate<T>(x / scale + double(zp)));
  return out;
}

// Extra tensors a refusal test puts into the op: input index → tensor.
struct Extra {
  int index;
  int tensor;
};

// Adds the op for `s` with its 24 inputs; `extras` replace entries before the op is added.
void build(ModelBuilder& b, const Spec& s, const Params& p, const Scales& q,
           Activation activation = Activation::TANH, std::vector<Extra> extras = {},
           bool variable_states = true) {
  const std::vector<std::int32_t> in_shape =
      s.time_major ? std::vector<std::int32_t>{s.steps, s.batch, s.input}
                   : std::vector<std::int32_t>{s.batch, s.steps, s.input};
  const std::vector<std::int32_t> out_shape =
      s.time_major ? std::vector<std::int32_t>{s.steps, s.batch, s.state}
                   : std::vector<std::int32_t>{s.batch, s.steps, s.state};
  std::vector<std::int32_t> inputs(24, -1);
  int x = -1, h = -1, c = -1, y = -1;
  if (s.kind == Kind::kFloat) {
    x = b.tensor(TensorType::FLOAT32, in_shape);
    for (int g = 0; g < 4; ++g) {
      std::vector<float> w(p.w[g].begin(), p.w[g].end());
      std::vector<float> r(p.r[g].begin(), p.r[g].end());
      std::vector<float> bias(p.b[g].begin(), p.b[g].end());
      inputs[1 + g] = b.constant<float>(TensorType::FLOAT32, {s.state, s.input}, w);
      inputs[5 + g] = b.constant<float>(TensorType::FLOAT32, {s.state, s.state}, r);
      inputs[12 + g] = b.constant<float>(TensorType::FLOAT32, {s.state}, bias);
    }
    h = variable_states ? b.variable(TensorType::FLOAT32, {s.batch, s.state})
                        : b.tensor(TensorType::FLOAT32, {s.batch, s.state});
    c = b.variable(TensorType::FLOAT32, {s.batch, s.state});
    y = b.tensor(TensorType::FLOAT32, out_shape);
  } else {
    const bool is16 = s.kind == Kind::kInt16;
    const TensorType act = is16 ? TensorType::INT16 : TensorType::INT8;
    const std::int64_t input_zp = is16 ? 0 : q.input_zp;
    const std::int64_t hidden_zp = is16 ? 0 : q.hidden_zp;
    x = b.tensor(act, in_shape, quant(q.input, input_zp));
    for (int g = 0; g < 4; ++g) {
      inputs[1 + g] = b.constant<std::int8_t>(TensorType::INT8, {s.state, s.input},
                                              quantized<std::int8_t>(p.w[g], q.weights[g]),
                                              quant(q.weights[g], 0));
      inputs[5 + g] = b.constant<std::int8_t>(TensorType::INT8, {s.state, s.state},
                                              quantized<std::int8_t>(p.r[g], q.recurrent[g]),
                                              quant(q.recurrent[g], 0));
      const double bias_scale = double(q.input) * double(q.weights[g]);
      if (is16) {
        inputs[12 + g] = b.constant<std::int64_t>(TensorType::INT64, {s.state},
                                                  quantized<std::int64_t>(p.b[g], bias_scale),
                                                  quant(static_cast<float>(bias_scale), 0));
      } else {
        inputs[12 + g] = b.constant<std::int32_t>(TensorType::INT32, {s.state},
                                                  quantized<std::int32_t>(p.b[g], bias_scale),
                                                  quant(static_cast<float>(bias_scale), 0));
      }
    }
    h = variable_states ? b.variable(act, {s.batch, s.state}, quant(q.hidden, hidden_zp))
                        : b.tensor(act, {s.batch, s.state}, quant(q.hidden, hidden_zp));
    c = b.variable(TensorType::INT16, {s.batch, s.state}, quant(q.cell, 0));
    y = b.tensor(act, out_shape, quant(q.hidden, hidden_zp));
  }
  inputs[0] = x;
  inputs[18] = h;
  inputs[19] = c;
  for (const Extra& e : extras) inputs[static_cast<std::size_t>(e.index)] = e.tensor;
  const auto options = tflite::CreateUnidirectionalSequenceLSTMOptions(
      b.fbb(), activation, s.cell_clip, 0.0f, s.time_major);
  b.op(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, {y},
       tflite::BuiltinOptions::UnidirectionalSequenceLSTMOptions, options.Union());
  // A non-variable state must come from somewhere: the application, as a model input.
  if (variable_states) {
    b.inputs({x});
  } else {
    b.inputs({x, h});
  }
  b.outputs({y});
}

std::vector<double> make_input(const Spec& s, const Scales& q, std::uint32_t seed) {
  Random rng{seed};
  std::vector<double> x;
  for (int i = 0; i < s.batch * s.steps * s.input; ++i) {
    double v = rng.next(2.0);
    if (s.kind != Kind::kFloat) {
      const std::int64_t zp = s.kind == Kind::kInt16 ? 0 : q.input_zp;
      v = (std::max(-128.0, std::min(127.0, std::round(v / q.input) + zp)) - zp) * q.input;
    }
    x.push_back(v);
  }
  return x;
}

// Bytes of the op's input for real values `x`.
Bytes input_bytes(const Spec& s, const Scales& q, const std::vector<double>& x) {
  if (s.kind == Kind::kFloat) return to_bytes(std::vector<float>(x.begin(), x.end()));
  if (s.kind == Kind::kInt16) return to_bytes(quantized<std::int16_t>(x, q.input));
  return to_bytes(quantized<std::int8_t>(x, q.input, q.input_zp));
}

// Real values of the op's output bytes.
std::vector<double> output_values(const Spec& s, const Scales& q, const Bytes& bytes) {
  std::vector<double> v;
  if (s.kind == Kind::kFloat) {
    for (float f : from_bytes<float>(bytes)) v.push_back(f);
  } else if (s.kind == Kind::kInt16) {
    for (std::int16_t k : from_bytes<std::int16_t>(bytes)) v.push_back(k * double(q.hidden));
  } else {
    for (std::int8_t k : from_bytes<std::int8_t>(bytes)) {
      v.push_back((k - q.hidden_zp) * double(q.hidden));
    }
  }
  return v;
}

// Runs `invokes` sequences through one interpreter (state carried over) and compares each with
// the reference continuing from its own state; the tolerance is in output units.
void check_against_reference(const Spec& s, double tolerance, int invokes = 2) {
  const Scales q;
  const Params p = make_params(s, q, 7);
  ModelBuilder b;
  build(b, s, p, q);
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "lstm test");
  tools::HostInterpreter host(*model);
  std::vector<double> h(static_cast<std::size_t>(s.batch * s.state), 0.0);
  std::vector<double> c(h.size(), 0.0);
  std::vector<double> first;
  for (int k = 0; k < invokes; ++k) {
    const auto x = make_input(s, q, 100 + k);
    const auto expected = reference(s, p, x, h, c);
    host.set_input(0, input_bytes(s, q, x));
    host.invoke();
    const auto out = host.output_bytes(0);
    const auto actual = output_values(s, q, Bytes(out.begin(), out.end()));
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      EXPECT_NEAR(actual[i], expected[i], tolerance) << "invoke " << k << " element " << i;
    }
    if (k == 0) first = actual;
  }
  // reset_variables() starts the sequence again from zero state.
  ASSERT_EQ(host.interpreter().reset_variables(), Status::kOk);
  host.set_input(0, input_bytes(s, q, make_input(s, q, 100)));
  host.invoke();
  const auto out = host.output_bytes(0);
  EXPECT_EQ(output_values(s, q, Bytes(out.begin(), out.end())), first);
}

TEST(UnidirectionalSequenceLstm, FloatBatchMajorMatchesReference) {
  Spec s;
  check_against_reference(s, 1e-6);
}

TEST(UnidirectionalSequenceLstm, FloatTimeMajorMatchesReference) {
  Spec s;
  s.time_major = true;
  s.batch = 3;
  check_against_reference(s, 1e-6);
}

TEST(UnidirectionalSequenceLstm, FloatCellClipMatchesReference) {
  Spec s;
  s.cell_clip = 0.25f;
  s.steps = 5;
  // The clip must actually bind for this test to mean anything.
  const Scales q;
  const Params p = make_params(s, q, 7);
  std::vector<double> h(8, 0.0), c(8, 0.0);
  Spec unclipped = s;
  unclipped.cell_clip = 0.0f;
  reference(unclipped, p, make_input(s, q, 100), h, c);
  double largest = 0.0;
  for (double v : c) largest = std::max(largest, std::fabs(v));
  ASSERT_GT(largest, 0.25);
  check_against_reference(s, 1e-6);
  s.time_major = true;
  check_against_reference(s, 1e-6);
}

// Integer variants: gates pass through Q3.12 and Q0.15 and the hidden state is re-quantized each
// step, so the outputs differ from the real-valued LSTM by rounding: within 1.5 output steps
// (1/128) here.
TEST(UnidirectionalSequenceLstm, Int8MatchesReference) {
  Spec s;
  s.kind = Kind::kInt8;
  check_against_reference(s, 1.5 / 128);
  s.time_major = true;
  s.cell_clip = 0.25f;
  check_against_reference(s, 1.5 / 128);
}

TEST(UnidirectionalSequenceLstm, Int16ActivationsMatchReference) {
  Spec s;
  s.kind = Kind::kInt16;
  s.steps = 4;
  check_against_reference(s, 1.5 / 128);
  s.time_major = true;
  check_against_reference(s, 1.5 / 128);
}

TEST(UnidirectionalSequenceLstm, Int8SingleStepHandWorked) {
  // One batch, one step, one input and one cell, zero state, all weights zero except the biases:
  // the gates are σ/tanh of the biases alone. Input scale 1/4096 and bias 1 step: every
  // pre-activation is bias · (input scale · weight scale) / 2^-12 = bias · weight scale.
  ModelBuilder b;
  std::vector<std::int32_t> inputs(24, -1);
  const int x = b.tensor(TensorType::INT8, {1, 1, 1}, quant(1.0f / 4096, 0));
  for (int g = 0; g < 4; ++g) {
    inputs[1 + g] = b.constant<std::int8_t>(TensorType::INT8, {1, 1}, {0}, quant(1.0f, 0));
    inputs[5 + g] = b.constant<std::int8_t>(TensorType::INT8, {1, 1}, {0}, quant(1.0f, 0));
  }
  // Pre-activations in Q3.12: input gate 1.0, forget 0 (σ = 0.5), cell 0.5, output 2.0.
  const std::int32_t bias[4] = {4096, 0, 2048, 8192};
  for (int g = 0; g < 4; ++g) {
    inputs[12 + g] =
        b.constant<std::int32_t>(TensorType::INT32, {1}, {bias[g]}, quant(1.0f / 4096, 0));
  }
  inputs[0] = x;
  inputs[18] = b.variable(TensorType::INT8, {1, 1}, quant(1.0f / 128, 0));
  inputs[19] = b.variable(TensorType::INT16, {1, 1}, quant(1.0f / 2048, 0));
  const int y = b.tensor(TensorType::INT8, {1, 1, 1}, quant(1.0f / 128, 0));
  const auto options =
      tflite::CreateUnidirectionalSequenceLSTMOptions(b.fbb(), Activation::TANH, 0.0f, 0.0f, false);
  b.op(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, {y},
       tflite::BuiltinOptions::UnidirectionalSequenceLSTMOptions, options.Union());
  b.inputs({x});
  b.outputs({y});
  const auto out = run_single<std::int8_t>(b, std::vector<std::int8_t>{0});
  // c = σ(1)·tanh(0.5) = 0.7311·0.4621 = 0.3378; h = σ(2)·tanh(0.3378) = 0.8808·0.3256 = 0.2868,
  // which is 36.7 steps of 1/128.
  EXPECT_NEAR(out[0], 37, 1);
}

// ---- refusals -----------------------------------------------------------------------------

std::string refusal_with(Spec s, std::vector<Extra> (*extras)(ModelBuilder&, const Spec&),
                         Activation activation = Activation::TANH, bool variable = true) {
  const Scales q;
  ModelBuilder b;
  const auto more = extras != nullptr ? extras(b, s) : std::vector<Extra>{};
  build(b, s, make_params(s, q, 7), q, activation, more, variable);
  return refusal(b);
}

TEST(UnidirectionalSequenceLstm, RefusesPeephole) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder& b, const Spec& s) {
    return std::vector<Extra>{
        {10, b.constant<float>(TensorType::FLOAT32, {s.state}, std::vector<float>(4, 0.1f))}};
  });
  EXPECT_NE(r.find("has peephole (cell-to-gate) weight tensors (input 10"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesProjection) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder& b, const Spec& s) {
    return std::vector<Extra>{{16, b.constant<float>(TensorType::FLOAT32, {s.state, s.state},
                                                     std::vector<float>(16, 0.1f))}};
  });
  EXPECT_NE(r.find("has projection tensors (input 16"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesLayerNorm) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder& b, const Spec& s) {
    return std::vector<Extra>{
        {21, b.constant<float>(TensorType::FLOAT32, {s.state}, std::vector<float>(4, 1.0f))}};
  });
  EXPECT_NE(r.find("has layer norm coefficient tensors (input 21"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesCifg) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder&, const Spec&) {
    return std::vector<Extra>{{1, -1}, {5, -1}, {12, -1}};
  });
  EXPECT_NE(r.find("has no input gate weights or bias (a CIFG LSTM)"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesMismatchedRecurrentWeights) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder& b, const Spec& s) {
    return std::vector<Extra>{{6, b.constant<float>(TensorType::FLOAT32, {s.state, s.input},
                                                    std::vector<float>(12, 0.1f))}};
  });
  EXPECT_NE(r.find("recurrent weights tensor"), std::string::npos) << r;
  EXPECT_NE(r.find("must have shape [4,4]"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesOtherCellActivations) {
  const std::string r = refusal_with(Spec{}, nullptr, Activation::RELU);
  EXPECT_NE(r.find("fused activation RELU is not supported for the cell gate"), std::string::npos)
      << r;
}

TEST(UnidirectionalSequenceLstm, RefusesStatesThatAreNotVariables) {
  const std::string r = refusal_with(Spec{}, nullptr, Activation::TANH, /*variable=*/false);
  EXPECT_NE(r.find("must be variable tensors"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesHybridWeights) {
  const std::string r = refusal_with(Spec{}, [](ModelBuilder& b, const Spec& s) {
    std::vector<Extra> e;
    for (int g = 0; g < 4; ++g) {
      e.push_back(
          {1 + g, b.constant<std::int8_t>(TensorType::INT8, {s.state, s.input},
                                          std::vector<std::int8_t>(12, 1), quant(0.01f, 0))});
    }
    return e;
  });
  EXPECT_NE(r.find("hybrid LSTM (float activations with int8 weights) is not supported"),
            std::string::npos)
      << r;
}

TEST(UnidirectionalSequenceLstm, RefusesPerChannelWeights) {
  Spec s;
  s.kind = Kind::kInt8;
  const std::string r = refusal_with(s, [](ModelBuilder& b, const Spec& sp) {
    return std::vector<Extra>{
        {2, b.constant<std::int8_t>(TensorType::INT8, {sp.state, sp.input},
                                    std::vector<std::int8_t>(12, 1),
                                    Quant{{0.01f, 0.02f, 0.01f, 0.02f}, {0, 0, 0, 0}, 0})}};
  });
  EXPECT_NE(r.find("input weights tensor"), std::string::npos) << r;
  EXPECT_NE(r.find("has 4 quantization scales, expected one (per tensor)"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesWrongCellStateType) {
  Spec s;
  s.kind = Kind::kInt8;
  const std::string r = refusal_with(s, [](ModelBuilder& b, const Spec& sp) {
    return std::vector<Extra>{
        {19, b.variable(TensorType::INT8, {sp.batch, sp.state}, quant(1.0f / 128, 0))}};
  });
  EXPECT_NE(r.find("cell state tensor"), std::string::npos) << r;
  EXPECT_NE(r.find("is int8, expected int16"), std::string::npos) << r;
}

TEST(UnidirectionalSequenceLstm, RefusesCellStateScaleAboveOne) {
  Spec s;
  s.kind = Kind::kInt8;
  const std::string r = refusal_with(s, [](ModelBuilder& b, const Spec& sp) {
    return std::vector<Extra>{
        {19, b.variable(TensorType::INT16, {sp.batch, sp.state}, quant(2.0f, 0))}};
  });
  EXPECT_NE(r.find("has scale 2.000000; the integer LSTM needs a scale between 2^-30 and 1"),
            std::string::npos)
      << r;
}

}  // namespace
}  // namespace mote::testing
