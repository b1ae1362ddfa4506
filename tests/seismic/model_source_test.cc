// The trained-model source on tiny hand-built models: the window it feeds the model is the
// ring's newest W samples normalised (and quantized for an int8 input), and the scores it returns
// are the model's outputs (dequantized for an int8 output).
#include "apps/seismic/model_source.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/window_normalize.h"
#include "tests/support/model_builder.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::seismic {
namespace {

using testing::ModelBuilder;
using testing::quant;
using tflite::BuiltinOperator;

constexpr int kWindow = 20;
constexpr uint32_t kHop = 10;

// Logit weights: noise 0; P = +3 * newest Z + 1 * oldest E; S = -3 * newest Z.
std::vector<float> weights() {
  std::vector<float> w(3 * kWindow * 3, 0.0f);
  const int newest_z = (kWindow - 1) * 3 + 2;
  w[1 * kWindow * 3 + newest_z] = 3.0f;
  w[1 * kWindow * 3 + 0] = 1.0f;
  w[2 * kWindow * 3 + newest_z] = -3.0f;
  return w;
}

// [1,1,W,3] (float32, or int8 through DEQUANTIZE) -> FULLY_CONNECTED -> SOFTMAX -> [1,3] (float32,
// or int8 through QUANTIZE).
tools::AlignedBuffer build(bool int8_input, bool int8_output) {
  ModelBuilder b;
  int in = b.tensor(int8_input ? tflite::TensorType::INT8 : tflite::TensorType::FLOAT32,
                    {1, 1, kWindow, 3}, int8_input ? quant(0.05f, 3) : testing::Quant{});
  const int model_input = in;
  if (int8_input) {
    const int f = b.tensor(tflite::TensorType::FLOAT32, {1, 1, kWindow, 3});
    b.op(BuiltinOperator::DEQUANTIZE, {in}, {f});
    in = f;
  }
  const int w = b.constant<float>(tflite::TensorType::FLOAT32, {3, kWindow * 3}, weights());
  const int logits = b.tensor(tflite::TensorType::FLOAT32, {1, 3});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {logits},
       tflite::BuiltinOptions::FullyConnectedOptions,
       tflite::CreateFullyConnectedOptions(b.fbb()).Union());
  int out = b.tensor(tflite::TensorType::FLOAT32, {1, 3});
  b.op(BuiltinOperator::SOFTMAX, {logits}, {out}, tflite::BuiltinOptions::SoftmaxOptions,
       tflite::CreateSoftmaxOptions(b.fbb(), 1.0f).Union());
  if (int8_output) {
    const int q = b.tensor(tflite::TensorType::INT8, {1, 3}, quant(1.0f / 256.0f, -128));
    b.op(BuiltinOperator::QUANTIZE, {out}, {q});
    out = q;
  }
  b.inputs({model_input});
  b.outputs({out});
  return b.build();
}

// The scores the model should give for the ring's newest window, computed here in double.
std::vector<double> expected_scores(const dsp::SampleRing& ring, bool int8_input) {
  std::vector<float> window(kWindow * 3);
  EXPECT_EQ(ring.copy_latest(kWindow, window.data(), nullptr), Status::kOk);
  EXPECT_EQ(
      dsp::normalize_window(window.data(), kWindow, dsp::kNormalizeEpsilon, window.data(), nullptr),
      Status::kOk);
  if (int8_input) {
    for (float& x : window) {
      const double q = std::clamp(std::round(x / 0.05) + 3.0, -128.0, 127.0);
      x = static_cast<float>((q - 3.0) * 0.05);
    }
  }
  const std::vector<float> w = weights();
  double logits[3] = {};
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < kWindow * 3; ++i) logits[k] += double(w[k * kWindow * 3 + i]) * window[i];
  }
  const double m = std::max({logits[0], logits[1], logits[2]});
  double sum = 0.0;
  for (double& l : logits) sum += (l = std::exp(l - m));
  return {logits[0] / sum, logits[1] / sum, logits[2] / sum};
}

void fill(dsp::SampleRing& ring, int samples) {
  for (int t = 0; t < samples; ++t) {
    const float s[3] = {std::sin(0.3f * t) * 40.0f, std::cos(0.11f * t) * 5.0f,
                        static_cast<float>((t * 37) % 23) - 11.0f};
    ring.push(s);
  }
}

struct Case {
  bool int8_input;
  bool int8_output;
};

class ModelSourceTest : public ::testing::TestWithParam<Case> {};

TEST_P(ModelSourceTest, FeedsTheNormalisedWindowAndReturnsTheModelsProbabilities) {
  const Case c = GetParam();
  const auto bytes = build(c.int8_input, c.int8_output);
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "tiny phase model");
  tools::HostInterpreter host(*model);
  std::vector<float> window(kWindow * 3);
  ModelSource source;
  ASSERT_EQ(source.init(&host.interpreter(), window.data(), kWindow, nullptr, 30), Status::kOk);
  EXPECT_EQ(source.window_samples(), static_cast<uint32_t>(kWindow));
  EXPECT_EQ(source.frames_per_hop(), 1u);
  const FrameTiming timing = source.timing(kHop);
  EXPECT_EQ(timing.frames_per_hop, 1u);
  EXPECT_FLOAT_EQ(timing.first_offset, 4.5f);  // the hop's centre
  EXPECT_FLOAT_EQ(timing.step, 10.0f);
  EXPECT_EQ(source.warmup_samples(), static_cast<uint32_t>(kWindow + 30));

  dsp::SampleRingWithStorage<64> ring;
  float scores[3];
  fill(ring, 50);  // the first frame of this hop (45.5 - 1) lies before the warm-up (50)
  ASSERT_EQ(source.score_hop(ring, kHop, scores, nullptr), Status::kOk);
  EXPECT_EQ(scores[0], 0.0f);
  EXPECT_EQ(scores[1], 0.0f);
  for (int hop = 0; hop < 5; ++hop) {
    fill(ring, kHop);
    ASSERT_EQ(source.score_hop(ring, kHop, scores, nullptr), Status::kOk);
    const std::vector<double> expected = expected_scores(ring, c.int8_input);
    const double tolerance = c.int8_output ? 1.0 / 256.0 : 1e-5;
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(scores[k], expected[k], tolerance) << hop << " " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Types, ModelSourceTest,
                         ::testing::Values(Case{false, false}, Case{true, false},
                                           Case{true, true}));

TEST(ModelSource, RefusesModelsOutsideTheContract) {
  // Output of 4 classes.
  ModelBuilder b;
  const int in = b.tensor(tflite::TensorType::FLOAT32, {1, 1, kWindow, 3});
  const int w = b.constant<float>(tflite::TensorType::FLOAT32, {4, kWindow * 3},
                                  std::vector<float>(4 * kWindow * 3, 0.0f));
  const int out = b.tensor(tflite::TensorType::FLOAT32, {1, 4});
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out},
       tflite::BuiltinOptions::FullyConnectedOptions,
       tflite::CreateFullyConnectedOptions(b.fbb()).Union());
  b.inputs({in});
  b.outputs({out});
  const auto bytes = b.build();
  const auto model = tools::LoadedModel::from_bytes(bytes.bytes(), "four classes");
  tools::HostInterpreter host(*model);
  std::vector<float> window(kWindow * 3);
  ModelSource source;
  std::string message;
  ErrorReporter reporter{[](void* u, const char* m) { *static_cast<std::string*>(u) = m; },
                         &message};
  EXPECT_EQ(source.init(&host.interpreter(), window.data(), kWindow, &reporter),
            Status::kInvalidModel);
  EXPECT_NE(message.find("noise, P, S"), std::string::npos) << message;
  // A window buffer too small for the model.
  const auto good = build(false, false);
  const auto good_model = tools::LoadedModel::from_bytes(good.bytes(), "tiny");
  tools::HostInterpreter good_host(*good_model);
  EXPECT_EQ(source.init(&good_host.interpreter(), window.data(), kWindow - 1, &reporter),
            Status::kInvalidArgument);
}

}  // namespace
}  // namespace mote::seismic
