// The optimized int8 kernels (runtime/kernels/optimized/) against the reference kernels, their
// oracle: random CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED ops (shapes, strides, paddings,
// dilations, zero points, odd channel counts, per-channel scales, multipliers above and below
// one, activations) must give the same bytes in the same arena. On the host this runs the
// portable C of simd.h; on the Cortex-M4 (device tests) the same source runs the DSP
// instructions.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "runtime/interpreter/interpreter.h"
#include "runtime/kernels/kernels.h"
#include "runtime/kernels/optimized/optimized_kernels.h"
#include "runtime/model/model.h"
#include "tests/runtime/kernels/conv_test_util.h"
#include "tests/support/model_builder.h"

namespace mote::testing {
namespace {

using conv::Act;
using conv::Dims;
using conv::Window;
using tflite::BuiltinOperator;
using tflite::Padding;
using tflite::TensorType;

struct Result {
  std::vector<int8_t> output;
  std::size_t arena = 0;
  bool ok = false;
};

// Runs the one-input, one-output int8 model in `bytes` with the `set` kernels.
Result run_with(KernelSet set, const tools::AlignedBuffer& bytes,
                const std::vector<int8_t>& input) {
  Result r;
  Model model;
  if (Model::load(bytes.data(), bytes.size(), nullptr, &model) != Status::kOk) return r;
  AllOpsResolver resolver(set);
  tools::AlignedBuffer arena(48 * 1024);  // 16-byte aligned, so that arena sizes compare
  Interpreter interpreter(model, resolver, arena.data(), arena.size());
  if (interpreter.allocate() != Status::kOk) return r;
  const Tensor in = interpreter.input(0);
  if (in.bytes != input.size()) return r;
  std::memcpy(in.data, input.data(), input.size());
  if (interpreter.invoke() != Status::kOk) return r;
  const Tensor out = interpreter.output(0);
  r.output.resize(out.bytes);
  std::memcpy(r.output.data(), out.data, r.output.size());
  r.arena = interpreter.arena_used_bytes();
  r.ok = true;
  return r;
}

// Both kernel sets on the same model and input: same bytes, same arena.
void expect_same(ModelBuilder& b, const std::vector<int8_t>& input, const char* what) {
  const tools::AlignedBuffer bytes = b.build();
  const Result reference = run_with(KernelSet::kReference, bytes, input);
  const Result optimized = run_with(KernelSet::kOptimized, bytes, input);
  ASSERT_TRUE(reference.ok) << what;
  ASSERT_TRUE(optimized.ok) << what;
  EXPECT_EQ(reference.arena, optimized.arena) << what;
  ASSERT_EQ(reference.output.size(), optimized.output.size()) << what;
  for (std::size_t i = 0; i < reference.output.size(); ++i) {
    if (reference.output[i] != optimized.output[i]) {
      ADD_FAILURE() << what << ": element " << i << " reference "
                    << static_cast<int>(reference.output[i]) << " optimized "
                    << static_cast<int>(optimized.output[i]);
      return;
    }
  }
}

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  int32_t uniform(int32_t lo, int32_t hi) {
    return std::uniform_int_distribution<int32_t>(lo, hi)(engine_);
  }
  float log_uniform(float lo, float hi) {
    return lo * std::pow(hi / lo, std::uniform_real_distribution<float>(0.0f, 1.0f)(engine_));
  }
  std::vector<int8_t> bytes(int32_t n, int32_t lo = -128, int32_t hi = 127) {
    std::vector<int8_t> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = static_cast<int8_t>(uniform(lo, hi));
    return v;
  }
  std::vector<int32_t> ints(int32_t n, int32_t lo, int32_t hi) {
    std::vector<int32_t> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = uniform(lo, hi);
    return v;
  }

 private:
  std::mt19937 engine_;
};

// Scales for which output = input · weight · multiplier with multipliers mostly below one and
// sometimes above (the rescale's left-shift path).
struct Scales {
  float input, output;
  std::vector<float> weights;
};
Scales random_scales(Random& rng, int32_t channels, bool per_channel) {
  Scales s;
  const bool large = rng.uniform(0, 4) == 0;
  s.input = rng.log_uniform(0.005f, large ? 1.0f : 0.1f);
  s.output = rng.log_uniform(large ? 0.002f : 0.02f, 0.5f);
  s.weights.resize(per_channel ? static_cast<std::size_t>(channels) : 1);
  for (auto& w : s.weights) w = rng.log_uniform(0.0005f, large ? 0.5f : 0.05f);
  return s;
}

Act random_act(Random& rng) {
  switch (rng.uniform(0, 3)) {
    case 0:
      return Act::RELU;
    case 1:
      return Act::RELU6;
    default:
      return Act::NONE;
  }
}

// A window over in_h × in_w for a kh × kw filter; SAME whenever VALID would leave no output.
Window random_window(Random& rng, int32_t in_h, int32_t in_w, int32_t kh, int32_t kw, Dims* od) {
  Window w;
  w.stride_h = rng.uniform(1, 3);
  w.stride_w = rng.uniform(1, 3);
  w.dilation_h = kh > 1 ? rng.uniform(1, 2) : 1;
  w.dilation_w = kw > 1 ? rng.uniform(1, 2) : 1;
  w.padding = rng.uniform(0, 1) == 0 ? Padding::SAME : Padding::VALID;
  if (conv::out_size(w.padding, in_h, kh, w.stride_h, w.dilation_h) < 1 ||
      conv::out_size(w.padding, in_w, kw, w.stride_w, w.dilation_w) < 1) {
    w.padding = Padding::SAME;
  }
  od->h = conv::out_size(w.padding, in_h, kh, w.stride_h, w.dilation_h);
  od->w = conv::out_size(w.padding, in_w, kw, w.stride_w, w.dilation_w);
  return w;
}

Quant weight_quant(const Scales& s, int32_t dimension) {
  return Quant{s.weights, std::vector<int64_t>(s.weights.size(), 0), dimension};
}

// deep_pointwise: a 1x1 convolution deeper than the 256 input channels whose weights the
// optimized kernel expands on the stack (its other inner loop). signal: a 1-D convolution over
// a long row of few channels (a 1 x 3..6 filter, as the seismic phase model's), whose window
// rows run as one dot product each.
void random_conv(unsigned seed, bool deep_pointwise = false, bool signal = false) {
  Random rng(seed);
  const bool pointwise = !signal && (deep_pointwise || rng.uniform(0, 1) == 0);
  const int32_t kh = pointwise || signal ? 1 : rng.uniform(1, 4);
  const int32_t kw = pointwise ? 1 : signal ? rng.uniform(3, 6) : rng.uniform(1, 4);
  const int32_t depths[] = {1, 2, 3, 4, 5, 8, 12, 16, 17, 32};
  const Dims id = deep_pointwise
                      ? Dims{1, rng.uniform(1, 5), rng.uniform(1, 5), 4 * rng.uniform(65, 80)}
                  : signal ? Dims{1, 1, rng.uniform(20, 120), depths[rng.uniform(0, 6)]}
                           : Dims{rng.uniform(1, 2), rng.uniform(1, 9), rng.uniform(1, 9),
                                  depths[rng.uniform(0, 9)]};
  Dims od{id.n, 0, 0, rng.uniform(1, 9)};
  Window win = random_window(rng, id.h, id.w, kh, kw, &od);
  if (pointwise && (deep_pointwise || rng.uniform(0, 1) == 0)) {
    win = Window{};  // the dense stride-1 pointwise path
    od.h = id.h;
    od.w = id.w;
  }
  const Dims wd{od.c, kh, kw, id.c};
  const bool per_channel = rng.uniform(0, 3) != 0;
  const Scales s = random_scales(rng, od.c, per_channel);
  const bool with_bias = rng.uniform(0, 3) != 0;
  const Act act = random_act(rng);

  ModelBuilder b;
  const int in =
      b.tensor(TensorType::INT8, {id.n, id.h, id.w, id.c}, quant(s.input, rng.uniform(-128, 127)));
  const int filter = b.constant<int8_t>(TensorType::INT8, {wd.n, wd.h, wd.w, wd.c},
                                        rng.bytes(wd.size(), -127, 127), weight_quant(s, 0));
  std::vector<float> bias_scales;
  for (const float w : s.weights) bias_scales.push_back(s.input * w);
  const int bias = with_bias ? b.constant<int32_t>(
                                   TensorType::INT32, {od.c}, rng.ints(od.c, -3000, 3000),
                                   Quant{bias_scales, std::vector<int64_t>(bias_scales.size()), 0})
                             : -1;
  const int out =
      b.tensor(TensorType::INT8, {od.n, od.h, od.w, od.c}, quant(s.output, rng.uniform(-128, 127)));
  const auto options = tflite::CreateConv2DOptions(b.fbb(), win.padding, win.stride_w, win.stride_h,
                                                   act, win.dilation_w, win.dilation_h)
                           .Union();
  b.op(BuiltinOperator::CONV_2D, {in, filter, bias}, {out}, tflite::BuiltinOptions::Conv2DOptions,
       options);
  b.inputs({in});
  b.outputs({out});
  char what[256];
  std::snprintf(what, sizeof(what),
                "CONV_2D seed %u: in %ldx%ldx%ldx%ld filter %ldx%ld out_c %ld stride %d,%d "
                "dilation %d,%d %s",
                seed, static_cast<long>(id.n), static_cast<long>(id.h), static_cast<long>(id.w),
                static_cast<long>(id.c), static_cast<long>(kh), static_cast<long>(kw),
                static_cast<long>(od.c), win.stride_h, win.stride_w, win.dilation_h, win.dilation_w,
                win.padding == Padding::SAME ? "SAME" : "VALID");
  expect_same(b, rng.bytes(id.size()), what);
}

// tall: windows three wide and more than ten high, whose weights the optimized kernel does not
// expand per op (its other straight-line loops).
void random_depthwise(unsigned seed, bool tall = false) {
  Random rng(seed);
  // A one-channel input with any multiplier (micro_speech, person_detect's first layer), or
  // multiplier 1 (MobileNet), or another multiplier (the reference path).
  const int32_t kind = rng.uniform(0, 3);
  const int32_t in_c = kind == 0 ? 1 : rng.uniform(1, 19);
  const int32_t multiplier = kind == 0 ? rng.uniform(1, 9) : (kind == 3 ? 2 : 1);
  const int32_t kh = tall ? rng.uniform(11, 13) : rng.uniform(1, 4);
  const int32_t kw = tall ? 3 : rng.uniform(1, 4);
  const Dims id{rng.uniform(1, 2), rng.uniform(tall ? 8 : 1, tall ? 16 : 10), rng.uniform(1, 10),
                in_c};
  Dims od{id.n, 0, 0, in_c * multiplier};
  const Window win = random_window(rng, id.h, id.w, kh, kw, &od);
  const bool per_channel = rng.uniform(0, 3) != 0;
  const Scales s = random_scales(rng, od.c, per_channel);
  const bool with_bias = rng.uniform(0, 3) != 0;
  const Act act = random_act(rng);

  ModelBuilder b;
  const int in =
      b.tensor(TensorType::INT8, {id.n, id.h, id.w, id.c}, quant(s.input, rng.uniform(-128, 127)));
  const int filter = b.constant<int8_t>(TensorType::INT8, {1, kh, kw, od.c},
                                        rng.bytes(kh * kw * od.c, -127, 127), weight_quant(s, 3));
  std::vector<float> bias_scales;
  for (const float w : s.weights) bias_scales.push_back(s.input * w);
  const int bias = with_bias ? b.constant<int32_t>(
                                   TensorType::INT32, {od.c}, rng.ints(od.c, -3000, 3000),
                                   Quant{bias_scales, std::vector<int64_t>(bias_scales.size()), 0})
                             : -1;
  const int out =
      b.tensor(TensorType::INT8, {od.n, od.h, od.w, od.c}, quant(s.output, rng.uniform(-128, 127)));
  const auto options =
      tflite::CreateDepthwiseConv2DOptions(b.fbb(), win.padding, win.stride_w, win.stride_h,
                                           multiplier, act, win.dilation_w, win.dilation_h)
          .Union();
  b.op(BuiltinOperator::DEPTHWISE_CONV_2D, {in, filter, bias}, {out},
       tflite::BuiltinOptions::DepthwiseConv2DOptions, options);
  b.inputs({in});
  b.outputs({out});
  char what[256];
  std::snprintf(what, sizeof(what),
                "DEPTHWISE_CONV_2D seed %u: in %ldx%ldx%ldx%ld filter %ldx%ld multiplier %ld "
                "stride %d,%d dilation %d,%d %s",
                seed, static_cast<long>(id.n), static_cast<long>(id.h), static_cast<long>(id.w),
                static_cast<long>(id.c), static_cast<long>(kh), static_cast<long>(kw),
                static_cast<long>(multiplier), win.stride_h, win.stride_w, win.dilation_h,
                win.dilation_w, win.padding == Padding::SAME ? "SAME" : "VALID");
  expect_same(b, rng.bytes(id.size()), what);
}

void random_fully_connected(unsigned seed) {
  Random rng(seed);
  const int32_t batches = rng.uniform(1, 3);
  const int32_t depth = rng.uniform(1, 70);
  const int32_t units = rng.uniform(1, 9);
  const bool per_channel = rng.uniform(0, 2) == 0;
  const Scales s = random_scales(rng, units, per_channel);
  const bool with_bias = rng.uniform(0, 3) != 0;
  const Act act = random_act(rng);

  ModelBuilder b;
  const int in =
      b.tensor(TensorType::INT8, {batches, depth}, quant(s.input, rng.uniform(-128, 127)));
  const int weights = b.constant<int8_t>(TensorType::INT8, {units, depth},
                                         rng.bytes(units * depth, -127, 127), weight_quant(s, 0));
  std::vector<float> bias_scales;
  for (const float w : s.weights) bias_scales.push_back(s.input * w);
  const int bias = with_bias ? b.constant<int32_t>(
                                   TensorType::INT32, {units}, rng.ints(units, -3000, 3000),
                                   Quant{bias_scales, std::vector<int64_t>(bias_scales.size()), 0})
                             : -1;
  const int out =
      b.tensor(TensorType::INT8, {batches, units}, quant(s.output, rng.uniform(-128, 127)));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, weights, bias}, {out},
       tflite::BuiltinOptions::FullyConnectedOptions,
       tflite::CreateFullyConnectedOptions(b.fbb(), act).Union());
  b.inputs({in});
  b.outputs({out});
  char what[256];
  std::snprintf(what, sizeof(what), "FULLY_CONNECTED seed %u: %ld x %ld -> %ld", seed,
                static_cast<long>(batches), static_cast<long>(depth), static_cast<long>(units));
  expect_same(b, rng.bytes(batches * depth), what);
}

// The comparisons below mean something only if the two sets hold different kernels.
TEST(OptimizedKernels, ResolverSetsDiffer) {
  const AllOpsResolver reference(KernelSet::kReference);
  const AllOpsResolver optimized(KernelSet::kOptimized);
  for (const auto op : {BuiltinOperator::CONV_2D, BuiltinOperator::DEPTHWISE_CONV_2D,
                        BuiltinOperator::FULLY_CONNECTED}) {
    const int r = reference.find(op, nullptr);
    const int o = optimized.find(op, nullptr);
    ASSERT_GE(r, 0);
    ASSERT_GE(o, 0);
    EXPECT_TRUE(reference.kernel(static_cast<uint32_t>(r)).eval !=
                optimized.kernel(static_cast<uint32_t>(o)).eval);
  }
  const int conv = optimized.find(BuiltinOperator::CONV_2D, nullptr);
  EXPECT_TRUE(&kernels::optimized::conv_2d() == &optimized.kernel(static_cast<uint32_t>(conv)));
}

TEST(OptimizedKernels, Conv2DMatchesReference) {
  for (unsigned seed = 1; seed <= 120; ++seed) random_conv(seed);
}

TEST(OptimizedKernels, DeepPointwiseConv2DMatchesReference) {
  for (unsigned seed = 501; seed <= 510; ++seed) random_conv(seed, true);
}

TEST(OptimizedKernels, SignalConv2DMatchesReference) {
  for (unsigned seed = 601; seed <= 640; ++seed) random_conv(seed, false, true);
}

TEST(OptimizedKernels, DepthwiseConv2DMatchesReference) {
  for (unsigned seed = 1001; seed <= 1120; ++seed) random_depthwise(seed);
}

TEST(OptimizedKernels, TallDepthwiseConv2DMatchesReference) {
  for (unsigned seed = 1501; seed <= 1530; ++seed) random_depthwise(seed, true);
}

TEST(OptimizedKernels, FullyConnectedMatchesReference) {
  for (unsigned seed = 2001; seed <= 2080; ++seed) random_fully_connected(seed);
}

}  // namespace
}  // namespace mote::testing
