// SVDF against a plain double-precision reference that keeps the last `memory` feature
// projections per filter: float and int8 (int16 and int8 state) with rank > 1 and batch > 1 over
// several invokes, reset_variables(), a hand-worked int8 saturation case, and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <deque>
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

struct Random {
  std::uint32_t state;
  double next(double range) {
    state = state * 1664525u + 1013904223u;
    return range * (2.0 * (state >> 8) / double(1u << 24) - 1.0);
  }
};

enum class Kind { kFloat, kInt8State16, kInt8State8 };

struct Spec {
  Kind kind = Kind::kFloat;
  int batch = 2;
  int input = 3;
  int units = 2;
  int rank = 2;
  int memory = 3;
  Activation activation = Activation::NONE;
  int filters() const { return units * rank; }
};

// Quantization of the integer variants; state and output scales are fitted to the data.
struct Scales {
  float input = 0.03f;
  std::int64_t input_zp = -7;
  float feature = 0.004f;
  float time = 0.003f;
  float state = 1.0f;
  std::int64_t state_zp = 0;
  float output = 1.0f;
  std::int64_t output_zp = 4;
  float bias() const { return state * time; }
};

struct Params {
  std::vector<double> feature;  // [filters, input]
  std::vector<double> time;     // [filters, memory]
  std::vector<double> bias;     // [units]
};

template <typename T>
T saturate(double v) {
  return static_cast<T>(
      std::max<double>(std::numeric_limits<T>::min(),
                       std::min<double>(std::numeric_limits<T>::max(), std::round(v))));
}

template <typename T>
std::vector<T> quantized(const std::vector<double>& v, double scale, std::int64_t zp = 0) {
  std::vector<T> out;
  for (double x : v) out.push_back(saturate<T>(x / scale + double(zp)));
  return out;
}

double snap(double v, double scale) { return std::round(v / scale) * scale; }

Params make_params(const Spec& s, const Scales& q) {
  Random rng{11};
  Params p;
  const bool integer = s.kind != Kind::kFloat;
  for (int i = 0; i < s.filters() * s.input; ++i) {
    const double v = rng.next(0.4);
    p.feature.push_back(integer ? snap(v, q.feature) : v);
  }
  for (int i = 0; i < s.filters() * s.memory; ++i) {
    const double range = s.kind == Kind::kInt8State8 ? 0.35 : 0.8;
    const double v = rng.next(range);
    p.time.push_back(integer ? snap(v, q.time) : v);
  }
  for (int i = 0; i < s.units; ++i) {
    const double v = rng.next(0.02);
    p.bias.push_back(integer ? snap(v, q.bias()) : v);
  }
  return p;
}

// The reference keeps, per batch row and filter, the feature projections of the last `memory`
// invokes (oldest first), starting from zeros. For the integer variants it stores them rounded to
// the state's quantization, as the op must (everything else stays in double).
struct Reference {
  Spec s;
  Params p;
  Scales q;
  std::vector<std::deque<double>> history;

  Reference(const Spec& spec, const Params& params, const Scales& scales)
      : s(spec), p(params), q(scales) {
    reset();
  }
  void reset() {
    history.assign(static_cast<std::size_t>(s.batch * s.filters()),
                   std::deque<double>(static_cast<std::size_t>(s.memory), 0.0));
  }
  double stored(double projection) const {
    if (s.kind == Kind::kFloat) return projection;
    const double lo = s.kind == Kind::kInt8State8 ? -128.0 : -32768.0;
    const double hi = s.kind == Kind::kInt8State8 ? 127.0 : 32767.0;
    const double steps = std::round(projection / q.state) + double(q.state_zp);
    return (std::max(lo, std::min(hi, steps)) - double(q.state_zp)) * q.state;
  }
  std::vector<double> step(const std::vector<double>& x) {
    std::vector<double> out;
    for (int b = 0; b < s.batch; ++b) {
      for (int f = 0; f < s.filters(); ++f) {
        double projection = 0.0;
        for (int i = 0; i < s.input; ++i) {
          projection += p.feature[f * s.input + i] * x[b * s.input + i];
        }
        auto& h = history[b * s.filters() + f];
        h.pop_front();
        h.push_back(stored(projection));
      }
      for (int u = 0; u < s.units; ++u) {
        double total = p.bias[u];
        for (int r = 0; r < s.rank; ++r) {
          const int f = u * s.rank + r;
          for (int m = 0; m < s.memory; ++m) {
            total += p.time[f * s.memory + m] * history[b * s.filters() + f][m];
          }
        }
        if (s.activation == Activation::RELU) total = std::max(0.0, total);
        out.push_back(total);
      }
    }
    return out;
  }
};

void build(ModelBuilder& b, const Spec& s, const Params& p, const Scales& q,
           bool variable_state = true) {
  const int rank_filters = s.filters();
  int x, wf, wt, bias, state, y;
  if (s.kind == Kind::kFloat) {
    x = b.tensor(TensorType::FLOAT32, {s.batch, s.input});
    wf = b.constant<float>(TensorType::FLOAT32, {rank_filters, s.input},
                           std::vector<float>(p.feature.begin(), p.feature.end()));
    wt = b.constant<float>(TensorType::FLOAT32, {rank_filters, s.memory},
                           std::vector<float>(p.time.begin(), p.time.end()));
    bias = b.constant<float>(TensorType::FLOAT32, {s.units},
                             std::vector<float>(p.bias.begin(), p.bias.end()));
    state = variable_state ? b.variable(TensorType::FLOAT32, {s.batch, s.memory * rank_filters})
                           : b.tensor(TensorType::FLOAT32, {s.batch, s.memory * rank_filters});
    y = b.tensor(TensorType::FLOAT32, {s.batch, s.units});
  } else {
    const bool state8 = s.kind == Kind::kInt8State8;
    const TensorType state_type = state8 ? TensorType::INT8 : TensorType::INT16;
    const Quant state_quant = quant(q.state, q.state_zp);
    x = b.tensor(TensorType::INT8, {s.batch, s.input}, quant(q.input, q.input_zp));
    wf = b.constant<std::int8_t>(TensorType::INT8, {rank_filters, s.input},
                                 quantized<std::int8_t>(p.feature, q.feature), quant(q.feature, 0));
    if (state8) {
      wt = b.constant<std::int8_t>(TensorType::INT8, {rank_filters, s.memory},
                                   quantized<std::int8_t>(p.time, q.time), quant(q.time, 0));
    } else {
      wt = b.constant<std::int16_t>(TensorType::INT16, {rank_filters, s.memory},
                                    quantized<std::int16_t>(p.time, q.time), quant(q.time, 0));
    }
    bias = b.constant<std::int32_t>(TensorType::INT32, {s.units},
                                    quantized<std::int32_t>(p.bias, q.bias()), quant(q.bias(), 0));
    state = variable_state ? b.variable(state_type, {s.batch, s.memory * rank_filters}, state_quant)
                           : b.tensor(state_type, {s.batch, s.memory * rank_filters}, state_quant);
    y = b.tensor(TensorType::INT8, {s.batch, s.units}, quant(q.output, q.output_zp));
  }
  const auto options = tflite::CreateSVDFOptions(b.fbb(), s.rank, s.activation);
  b.op(BuiltinOperator::SVDF, {x, wf, wt, bias, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       options.Union(), 3);
  if (variable_state) {
    b.inputs({x});
  } else {
    b.inputs({x, state});
  }
  b.outputs({y});
}

std::vector<double> make_input(const Spec& s, const Scales& q, std::uint32_t seed) {
  Random rng{seed};
  std::vector<double> x;
  for (int i = 0; i < s.batch * s.input; ++i) {
    const double v = rng.next(3.0);
    x.push_back(s.kind == Kind::kFloat ? v : snap(v, q.input));
  }
  return x;
}

// Runs memory + 2 invokes (so old projections leave the window) against the reference, then
// checks that reset_variables() starts over; the tolerance is in output steps (1e-6 for float).
void check_against_reference(const Spec& s, double tolerance_steps) {
  Scales q;
  const int invokes = s.memory + 2;
  if (s.kind != Kind::kFloat) {
    // Fit the state and output scales to the real-valued run.
    Spec real = s;
    real.kind = Kind::kFloat;
    const Params rough = make_params(real, q);
    Reference r(real, rough, q);
    double projection = 0.0, output = 0.0;
    for (int k = 0; k < invokes; ++k) {
      const auto x = make_input(s, q, 50 + k);
      for (double v : r.step(x)) output = std::max(output, std::fabs(v));
      for (const auto& h : r.history) projection = std::max(projection, std::fabs(h.back()));
    }
    const bool state8 = s.kind == Kind::kInt8State8;
    q.state = static_cast<float>(1.2 * projection / (state8 ? 100.0 : 30000.0));
    q.state_zp = state8 ? 9 : 0;
    q.output = static_cast<float>(1.2 * output / 120.0);
  }
  const Params p = make_params(s, q);
  ModelBuilder b;
  build(b, s, p, q);
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "svdf test");
  tools::HostInterpreter host(*model);
  Reference ref(s, p, q);
  auto run = [&](const std::vector<double>& x) {
    if (s.kind == Kind::kFloat) {
      host.set_input(0, to_bytes(std::vector<float>(x.begin(), x.end())));
    } else {
      host.set_input(0, to_bytes(quantized<std::int8_t>(x, q.input, q.input_zp)));
    }
    host.invoke();
    const auto out = host.output_bytes(0);
    std::vector<double> v;
    if (s.kind == Kind::kFloat) {
      for (float f : from_bytes<float>(Bytes(out.begin(), out.end()))) v.push_back(f);
    } else {
      for (std::int8_t k : from_bytes<std::int8_t>(Bytes(out.begin(), out.end()))) {
        v.push_back((k - q.output_zp) * double(q.output));
      }
    }
    return v;
  };
  std::vector<double> first;
  for (int k = 0; k < invokes; ++k) {
    const auto x = make_input(s, q, 50 + k);
    const auto expected = ref.step(x);
    const auto actual = run(x);
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      const double tolerance = s.kind == Kind::kFloat ? 1e-6 : tolerance_steps * q.output;
      EXPECT_NEAR(actual[i], expected[i], tolerance) << "invoke " << k << " element " << i;
    }
    if (k == 0) first = actual;
  }
  ASSERT_EQ(host.interpreter().reset_variables(), Status::kOk);
  EXPECT_EQ(run(make_input(s, q, 50)), first);
}

TEST(Svdf, FloatRank2MatchesReference) {
  Spec s;
  check_against_reference(s, 0.0);
  s.activation = Activation::RELU;
  s.batch = 1;
  s.rank = 3;
  check_against_reference(s, 0.0);
}

// Integer: with the state's rounding modelled, only the output's rounding (and the op's
// fixed-point multipliers) remain: within 1 output step.
TEST(Svdf, Int8WithInt16StateMatchesReference) {
  Spec s;
  s.kind = Kind::kInt8State16;
  check_against_reference(s, 1.0);
}

TEST(Svdf, Int8WithInt8StateMatchesReference) {
  Spec s;
  s.kind = Kind::kInt8State8;
  s.rank = 3;
  check_against_reference(s, 1.0);
}

TEST(Svdf, Int8StateSaturatesAfterAddingItsZeroPoint) {
  // One filter, memory 1, all scales 1: the state is clamp(x + 20) and the output is
  // state - 20. For x = 120 the state saturates at 127 (output 107) instead of wrapping to -116.
  ModelBuilder b;
  const int x = b.tensor(TensorType::INT8, {1, 1}, quant(1.0f, 0));
  const int wf = b.constant<std::int8_t>(TensorType::INT8, {1, 1}, {1}, quant(1.0f, 0));
  const int wt = b.constant<std::int8_t>(TensorType::INT8, {1, 1}, {1}, quant(1.0f, 0));
  const int bias = b.constant<std::int32_t>(TensorType::INT32, {1}, {0}, quant(1.0f, 0));
  const int state = b.variable(TensorType::INT8, {1, 1}, quant(1.0f, 20));
  const int y = b.tensor(TensorType::INT8, {1, 1}, quant(1.0f, 0));
  b.op(BuiltinOperator::SVDF, {x, wf, wt, bias, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(b.fbb(), 1, Activation::NONE).Union(), 3);
  b.inputs({x});
  b.outputs({y});
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{120}),
            (std::vector<std::int8_t>{107}));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-100}),
            (std::vector<std::int8_t>{-100}));
  EXPECT_EQ(run_single<std::int8_t>(b, std::vector<std::int8_t>{-128}),
            (std::vector<std::int8_t>{-128}));
}

std::string refusal_for(Spec s, void (*edit)(Spec&, Scales&) = nullptr, bool variable = true) {
  Scales q;
  if (edit != nullptr) edit(s, q);
  ModelBuilder b;
  build(b, s, make_params(s, q), q, variable);
  return refusal(b);
}

TEST(Svdf, RefusesRankThatDoesNotDivideTheFilters) {
  ModelBuilder b;
  const int x = b.tensor(TensorType::FLOAT32, {1, 2});
  const int wf = b.constant<float>(TensorType::FLOAT32, {4, 2}, std::vector<float>(8, 1.0f));
  const int wt = b.constant<float>(TensorType::FLOAT32, {4, 2}, std::vector<float>(8, 1.0f));
  const int state = b.variable(TensorType::FLOAT32, {1, 8});
  const int y = b.tensor(TensorType::FLOAT32, {1, 1});
  b.op(BuiltinOperator::SVDF, {x, wf, wt, -1, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(b.fbb(), 3, Activation::NONE).Union(), 1);
  b.inputs({x});
  b.outputs({y});
  EXPECT_NE(refusal(b).find("op 0 (SVDF): rank 3 does not divide the 4 filters"), std::string::npos)
      << refusal(b);
}

TEST(Svdf, RefusesStateThatIsNotAVariable) {
  const std::string r = refusal_for(Spec{}, nullptr, /*variable=*/false);
  EXPECT_NE(r.find("state tensor 4 't4' must be a variable tensor"), std::string::npos) << r;
}

TEST(Svdf, RefusesBiasScaleMismatch) {
  ModelBuilder c;
  const int x = c.tensor(TensorType::INT8, {1, 2}, quant(0.1f, 0));
  const int wf = c.constant<std::int8_t>(TensorType::INT8, {1, 2}, {1, 1}, quant(0.01f, 0));
  const int wt = c.constant<std::int16_t>(TensorType::INT16, {1, 2}, {1, 1}, quant(0.5f, 0));
  const int bias = c.constant<std::int32_t>(TensorType::INT32, {1}, {0}, quant(0.01f, 0));
  const int state = c.variable(TensorType::INT16, {1, 2}, quant(0.001f, 0));
  const int y = c.tensor(TensorType::INT8, {1, 1}, quant(0.1f, 0));
  c.op(BuiltinOperator::SVDF, {x, wf, wt, bias, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(c.fbb(), 1, Activation::NONE).Union(), 3);
  c.inputs({x});
  c.outputs({y});
  EXPECT_NE(refusal(c).find("bias tensor 3 has scale 0.010000; it must be state scale x time "
                            "weights scale = 5.000000e-4"),
            std::string::npos)
      << refusal(c);
}

TEST(Svdf, RefusesStateOfAnotherTypeThanTheTimeWeights) {
  ModelBuilder b;
  const int x = b.tensor(TensorType::INT8, {1, 2}, quant(0.1f, 0));
  const int wf = b.constant<std::int8_t>(TensorType::INT8, {1, 2}, {1, 1}, quant(0.01f, 0));
  const int wt = b.constant<std::int16_t>(TensorType::INT16, {1, 2}, {1, 1}, quant(0.5f, 0));
  const int state = b.variable(TensorType::INT8, {1, 2}, quant(0.001f, 0));
  const int y = b.tensor(TensorType::INT8, {1, 1}, quant(0.1f, 0));
  b.op(BuiltinOperator::SVDF, {x, wf, wt, -1, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(b.fbb(), 1, Activation::NONE).Union(), 3);
  b.inputs({x});
  b.outputs({y});
  EXPECT_NE(refusal(b).find("state tensor 3 't3' is int8, expected int16"), std::string::npos)
      << refusal(b);
}

TEST(Svdf, RefusesMismatchedStateShape) {
  ModelBuilder b;
  const int x = b.tensor(TensorType::FLOAT32, {1, 2});
  const int wf = b.constant<float>(TensorType::FLOAT32, {2, 2}, {1, 1, 1, 1});
  const int wt = b.constant<float>(TensorType::FLOAT32, {2, 3}, {1, 1, 1, 1, 1, 1});
  const int state = b.variable(TensorType::FLOAT32, {1, 5});
  const int y = b.tensor(TensorType::FLOAT32, {1, 2});
  b.op(BuiltinOperator::SVDF, {x, wf, wt, -1, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(b.fbb(), 1, Activation::NONE).Union(), 1);
  b.inputs({x});
  b.outputs({y});
  EXPECT_NE(refusal(b).find("state tensor 3 must have shape [1,6] (batch, memory 3 x filters 2)"),
            std::string::npos)
      << refusal(b);
}

TEST(Svdf, FloatWithoutBiasAndTanh) {
  // Two filters, rank 1, memory 2, no bias: after two invokes with inputs 1 then 2 the state of
  // filter f holds [w_f · 1, w_f · 2].
  ModelBuilder b;
  const int x = b.tensor(TensorType::FLOAT32, {1, 1});
  const int wf = b.constant<float>(TensorType::FLOAT32, {2, 1}, {0.5f, -1.0f});
  const int wt = b.constant<float>(TensorType::FLOAT32, {2, 2}, {0.25f, 1.0f, 2.0f, -0.5f});
  const int state = b.variable(TensorType::FLOAT32, {1, 4});
  const int y = b.tensor(TensorType::FLOAT32, {1, 2});
  b.op(BuiltinOperator::SVDF, {x, wf, wt, -1, state}, {y}, tflite::BuiltinOptions::SVDFOptions,
       tflite::CreateSVDFOptions(b.fbb(), 1, Activation::TANH).Union(), 1);
  b.inputs({x});
  b.outputs({y});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "svdf");
  tools::HostInterpreter host(*model);
  host.set_input(0, to_bytes(std::vector<float>{1.0f}));
  host.invoke();
  host.set_input(0, to_bytes(std::vector<float>{2.0f}));
  host.invoke();
  const auto y2 =
      from_bytes<float>(Bytes(host.output_bytes(0).begin(), host.output_bytes(0).end()));
  // Filter 0: state [0.5, 1.0] · [0.25, 1] = 1.125; filter 1: [-1, -2] · [2, -0.5] = -1.
  EXPECT_FLOAT_EQ(y2[0], std::tanh(1.125f));
  EXPECT_FLOAT_EQ(y2[1], std::tanh(-1.0f));
}

}  // namespace
}  // namespace mote::testing
