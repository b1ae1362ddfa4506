// Figures for issue 4's "int8 loses <= 1 % accuracy against float": every float model of the
// golden set quantized by mote with each calibration method, measured against its float model
// with the runtime's kernels.
//
//   hello_world_float / sine_float: calibration x uniform on [0, 2π] (1000 values), evaluation on
//     2001 evenly spaced x: largest |int8 - float| and |int8 - sin x|, output SQNR.
//   trained_lstm (MNIST rows): the golden set holds ten digits (case k is digit k). Shifted copies
//     (dx, dy in [-2, 2]) make 250 images: calibration on the 130 with dx + dy even, evaluation on
//     the 120 with dx + dy odd; accuracy against the digit, agreement with float, output SQNR.
//     TensorFlow's converter output trained_lstm_int8.tflite is measured on the same images.
//
// Usage: quantization_accuracy   (reads ../shared/golden as the tests do)
#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include "runtime/interpreter/all_ops_resolver.h"
#include "tests/support/golden_cases.h"
#include "tools/eval/evaluation.h"
#include "tools/eval/metrics.h"
#include "tools/graph/tflite_io.h"
#include "tools/io/file_io.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/quantizer.h"

namespace {

using namespace mote;
constexpr double kTwoPi = 6.283185307179586;
constexpr tools::RangeMethod kMethods[] = {
    tools::RangeMethod::kMinMax, tools::RangeMethod::kPercentile, tools::RangeMethod::kMse};

tools::Graph quantize(const tools::Graph& g, const tools::SampleSet& calibration,
                      tools::RangeMethod method) {
  tools::RangeOptions range;
  range.method = method;
  return tools::quantize(g, tools::calibrate(g, calibration, range), tools::QuantizeOptions{})
      .graph;
}

void sine(const std::string& file) {
  const tools::Graph f = tools::read_tflite_file(testing::golden_dir() / "models" / file);
  std::mt19937 rng(2024);
  std::uniform_real_distribution<float> x(0.0f, static_cast<float>(kTwoPi));
  tools::SampleSet calibration;
  calibration.count = 1000;
  calibration.inputs.resize(1);
  for (std::size_t i = 0; i < calibration.count; ++i) calibration.inputs[0].push_back(x(rng));
  tools::SampleSet grid;
  grid.count = 2001;
  grid.inputs.resize(1);
  for (std::size_t i = 0; i < grid.count; ++i) {
    grid.inputs[0].push_back(static_cast<float>(kTwoPi * static_cast<double>(i) / 2000.0));
  }
  tools::GraphRunner float_runner(f);
  std::vector<float> y_float;
  double float_vs_sine = 0.0;
  for (std::size_t i = 0; i < grid.count; ++i) {
    float_runner.set_input_values(0, grid.sample(0, i));
    float_runner.invoke();
    y_float.push_back(float_runner.output_values(0)[0]);
    float_vs_sine = std::max(
        float_vs_sine, static_cast<double>(std::abs(y_float.back() - std::sin(grid.inputs[0][i]))));
  }
  std::printf("%s: float model max |y - sin x| = %.4f\n", file.c_str(), float_vs_sine);
  std::printf("  %-10s %16s %16s %12s %12s\n", "method", "max|int8-float|", "mean|int8-float|",
              "max|int8-sin|", "SQNR dB");
  for (auto method : kMethods) {
    tools::GraphRunner q(quantize(f, calibration, method));
    tools::SqnrAccumulator sqnr;
    double vs_sine = 0.0;
    for (std::size_t i = 0; i < grid.count; ++i) {
      q.set_input_values(0, grid.sample(0, i));
      q.invoke();
      const float y = q.output_values(0)[0];
      sqnr.add(y_float[i], y);
      vs_sine = std::max(vs_sine, static_cast<double>(std::abs(y - std::sin(grid.inputs[0][i]))));
    }
    std::printf("  %-10s %16.4f %16.4f %12.4f %12.1f\n", tools::range_method_name(method),
                sqnr.max_abs_error(), sqnr.mean_abs_error(), vs_sine, sqnr.sqnr_db());
  }
}

// The digit image of golden case `k`, shifted by (dx, dy) with zeros filling in.
std::vector<float> shifted_digit(const std::vector<float>& image, int dx, int dy) {
  std::vector<float> out(28 * 28, 0.0f);
  for (int y = 0; y < 28; ++y) {
    for (int x = 0; x < 28; ++x) {
      const int sx = x - dx, sy = y - dy;
      if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = image[sy * 28 + sx];
    }
  }
  return out;
}

void lstm() {
  const auto models = testing::golden_dir() / "models";
  const tools::Graph f = tools::read_tflite_file(models / "trained_lstm.tflite");
  AllOpsResolver resolver;
  if (resolver.find(tflite::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, nullptr) < 0) {
    std::printf(
        "trained_lstm: pending: this build's runtime has no UNIDIRECTIONAL_SEQUENCE_LSTM kernel\n");
    return;
  }
  std::vector<std::vector<float>> digits;
  for (int k = 0; k < 10; ++k) {
    const auto bytes =
        tools::read_file(testing::golden_dir() / "cases" /
                         ("trained_lstm_sample" + std::to_string(k)) / "input_0.bin");
    const auto* p = reinterpret_cast<const float*>(bytes.data());
    digits.emplace_back(p, p + bytes.size() / sizeof(float));
  }
  tools::SampleSet calibration, test;
  calibration.inputs.resize(1);
  test.inputs.resize(1);
  tools::Labels labels;
  labels.column = "digit";
  for (int k = 0; k < 10; ++k) {
    for (int dy = -2; dy <= 2; ++dy) {
      for (int dx = -2; dx <= 2; ++dx) {
        const auto image = shifted_digit(digits[static_cast<std::size_t>(k)], dx, dy);
        tools::SampleSet& set = (dx + dy) % 2 == 0 ? calibration : test;
        set.inputs[0].insert(set.inputs[0].end(), image.begin(), image.end());
        ++set.count;
        if (&set == &test) labels.values.push_back(k);
      }
    }
  }
  std::printf("trained_lstm: calibration %zu shifted digits, evaluation %zu others\n",
              calibration.count, test.count);
  std::printf("  %-22s %10s %10s %10s %10s %12s\n", "candidate", "float acc", "int8 acc",
              "loss pts", "agreement", "output SQNR");
  auto row = [&](const std::string& name, const tools::Graph& candidate) {
    tools::EvalOptions options;
    options.per_layer = false;
    const tools::EvalResult r = tools::evaluate(f, candidate, test, labels, options);
    std::printf("  %-22s %9.1f%% %9.1f%% %10.2f %9.1f%% %9.1f dB\n", name.c_str(),
                100.0 * r.reference_accuracy, 100.0 * r.candidate_accuracy,
                100.0 * (r.reference_accuracy - r.candidate_accuracy), 100.0 * r.agreement,
                r.error.sqnr_db);
  };
  for (auto method : kMethods) {
    row(std::string("mote ") + tools::range_method_name(method), quantize(f, calibration, method));
  }
  row("converter int8", tools::read_tflite_file(models / "trained_lstm_int8.tflite"));
}

}  // namespace

int main() {
  try {
    sine("hello_world_float.tflite");
    sine("sine_float.tflite");
    lstm();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "quantization_accuracy: %s\n", e.what());
    return 1;
  }
  return 0;
}
