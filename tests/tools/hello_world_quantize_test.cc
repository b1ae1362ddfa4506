// hello_world_float.tflite quantized by mote, compared with the float model, with sin(x) and
// with TensorFlow's converter output hello_world_int8.tflite (which the golden set took from
// another training run: see quant_params_test.cc), over a dense grid of x.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "tests/support/golden_cases.h"
#include "tools/graph/tflite_io.h"
#include "tools/io/npy.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/op_check.h"
#include "tools/quantize/quantizer.h"

namespace mote::testing {
namespace {

constexpr double kTwoPi = 6.283185307179586;

struct HelloWorld : ::testing::Test {
  std::filesystem::path models = golden_dir() / "models";
  tools::Graph float_graph = tools::read_tflite_file(models / "hello_world_float.tflite");
  tools::Graph converter = tools::read_tflite_file(models / "hello_world_int8.tflite");

  // Calibration as the TFLM example does: x uniform on [0, 2π], here 1000 values written to and
  // read back from a .npy file.
  tools::SampleSet calibration_samples() {
    std::mt19937 rng(2024);
    std::uniform_real_distribution<float> x(0.0f, static_cast<float>(kTwoPi));
    std::vector<float> values(1000);
    for (float& v : values) v = x(rng);
    const auto path = std::filesystem::temp_directory_path() /
                      ("mote_hello_calib_" + std::to_string(::getpid()) + ".npy");
    const std::vector<std::int64_t> shape = {1000, 1};
    tools::write_npy(path, TensorType::FLOAT32, shape,
                     {reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * 4});
    const std::vector<std::filesystem::path> files{path};
    tools::SampleSet set = tools::read_samples(files, tools::input_specs(float_graph));
    std::filesystem::remove(path);
    return set;
  }

  tools::Graph quantized(tools::RangeMethod method) {
    tools::RangeOptions range;
    range.method = method;
    const tools::Calibration c = tools::calibrate(float_graph, calibration_samples(), range);
    return tools::quantize(float_graph, c, tools::QuantizeOptions{}).graph;
  }
};

// y(x) of a model over the grid, dequantized.
std::vector<float> sweep(const tools::Graph& g, const std::vector<float>& xs) {
  tools::GraphRunner runner(g);
  std::vector<float> ys;
  for (float x : xs) {
    runner.set_input_values(0, std::vector<float>{x});
    runner.invoke();
    ys.push_back(runner.output_values(0)[0]);
  }
  return ys;
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    m = std::max(m, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
  }
  return m;
}

TEST_F(HelloWorld, QuantizedModelTracksTheFloatModelAndTheConverters) {
  const tools::Graph ours = quantized(tools::RangeMethod::kMinMax);
  std::vector<float> xs, sine;
  for (int i = 0; i <= 2000; ++i) {
    xs.push_back(static_cast<float>(kTwoPi * i / 2000.0));
    sine.push_back(std::sin(xs.back()));
  }
  const auto y_ours = sweep(ours, xs);
  const auto y_float = sweep(float_graph, xs);
  const auto y_converter = sweep(converter, xs);

  const double ours_vs_float = max_abs_difference(y_ours, y_float);
  const double ours_vs_converter = max_abs_difference(y_ours, y_converter);
  const double ours_vs_sine = max_abs_difference(y_ours, sine);
  const double float_vs_sine = max_abs_difference(y_float, sine);
  const double converter_vs_sine = max_abs_difference(y_converter, sine);
  std::printf(
      "hello_world over 2001 x in [0, 2pi], largest |difference|:\n"
      "  mote int8 vs float model       %.4f\n"
      "  mote int8 vs converter's int8  %.4f\n"
      "  mote int8 vs sin(x)            %.4f\n"
      "  float model vs sin(x)          %.4f\n"
      "  converter's int8 vs sin(x)     %.4f\n",
      ours_vs_float, ours_vs_converter, ours_vs_sine, float_vs_sine, converter_vs_sine);
  RecordProperty("ours_vs_float", std::to_string(ours_vs_float));
  RecordProperty("ours_vs_converter", std::to_string(ours_vs_converter));

  // A few output steps (scale ~0.008) at most against the float model it was made from.
  EXPECT_LT(ours_vs_float, 0.06);
  // The converter's model is another network fitting the same sine: both stay within the float
  // model's own error of sin(x) plus the quantization error.
  EXPECT_LT(ours_vs_sine, float_vs_sine + 0.05);
  EXPECT_LT(ours_vs_converter, ours_vs_sine + converter_vs_sine);
  EXPECT_LT(ours_vs_converter, 0.2);
}

TEST_F(HelloWorld, SameStructureAsTheConvertersModel) {
  const tools::Graph ours = quantized(tools::RangeMethod::kMinMax);
  ASSERT_EQ(ours.ops.size(), converter.ops.size());
  for (std::size_t o = 0; o < ours.ops.size(); ++o) {
    EXPECT_EQ(ours.ops[o].code, converter.ops[o].code);
    EXPECT_EQ(ours.ops[o].version, converter.ops[o].version) << "op " << o;
  }
  int compared = 0;
  for (const auto& c : converter.tensors) {
    for (const auto& t : ours.tensors) {
      if (t.name != c.name) continue;
      ++compared;
      EXPECT_EQ(t.type, c.type) << t.name;
      EXPECT_EQ(t.shape, c.shape) << t.name;
      EXPECT_EQ(t.quant.scale.size(), c.quant.scale.size()) << t.name;
      if (c.type == TensorType::INT8 && c.quant.zero_point[0] == -128) {
        // The input (x >= 0) and the ReLU outputs: ranges starting at 0.
        EXPECT_EQ(t.quant.zero_point[0], -128) << t.name;
      }
    }
  }
  EXPECT_EQ(compared, 10);
  const auto arena = [](const tools::Graph& g) {
    const auto loaded = tools::LoadedModel::from_bytes(tools::write_tflite(g), "model");
    return tools::measure_arena(loaded->model()).total;
  };
  EXPECT_EQ(arena(ours), arena(converter));
}

TEST_F(HelloWorld, EveryCalibrationMethodGivesAValidModel) {
  std::vector<float> xs;
  for (int i = 0; i <= 500; ++i) xs.push_back(static_cast<float>(kTwoPi * i / 500.0));
  const auto y_float = sweep(float_graph, xs);
  for (auto method :
       {tools::RangeMethod::kMinMax, tools::RangeMethod::kPercentile, tools::RangeMethod::kMse}) {
    const tools::Graph q = quantized(method);
    const double error = max_abs_difference(sweep(q, xs), y_float);
    std::printf("  %-10s max |int8 - float| = %.4f\n", tools::range_method_name(method), error);
    EXPECT_LT(error, 0.1) << tools::range_method_name(method);
    for (const auto& check : tools::check_quantized_ops(q, calibration_samples(), 16)) {
      EXPECT_TRUE(check.ok()) << tools::range_method_name(method) << " op " << check.op;
    }
  }
}

}  // namespace
}  // namespace mote::testing
