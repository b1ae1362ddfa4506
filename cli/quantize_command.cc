// mote quantize FLOAT.{tflite,onnx} --calib X.npy [--method minmax|percentile|mse] [--int16]
// [--float-io] -o OUT.tflite [--json]: post-training quantization with the runtime's own kernels
// as the calibration executor.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/progress.h"
#include "tools/graph/tflite_io.h"
#include "tools/quantize/calibrator.h"
#include "tools/onnx/model_file.h"
#include "tools/quantize/op_check.h"
#include "tools/quantize/quantizer.h"
#include "tools/quantize/representative_data.h"

namespace mote::cli {
namespace {

struct QuantizeCommandOptions {
  std::string model;
  std::vector<std::string> calib;
  std::string method = "minmax";
  double percentile = 99.99;
  std::size_t bins = 2048;
  std::size_t samples = 0;
  bool int16 = false;
  bool float_io = false;
  bool per_channel_dense = false;
  std::string output;
  bool json = false;
  bool verbose = false;
  std::size_t check = 0;
};

nlohmann::json params_json(const tools::QuantParams& q) {
  if (q.scale.size() == 1) return {{"scale", q.scale[0]}, {"zero_point", q.zero_point[0]}};
  return {{"scales", q.scale.size()}, {"axis", q.axis}};
}

std::string params_text(const tools::QuantParams& q) {
  if (q.scale.size() == 1) return fmt::format("scale {:.6g} zp {}", q.scale[0], q.zero_point[0]);
  return fmt::format("{} scales (axis {})", q.scale.size(), q.axis);
}

void run_quantize(const QuantizeCommandOptions& options) {
  const tools::Graph graph = tools::load_float_model(options.model);
  tools::QuantizeOptions quantize_options;
  quantize_options.activations = options.int16 ? TensorType::INT16 : TensorType::INT8;
  quantize_options.float_interface = options.float_io;
  quantize_options.rules.per_channel_dense = options.per_channel_dense;

  // Unsupported ops first: no point calibrating a model that cannot be quantized.
  const auto unsupported = tools::unsupported_ops(graph, quantize_options);
  if (!unsupported.empty()) throw tools::UnsupportedOpsError(unsupported);

  tools::RangeOptions range;
  range.method = tools::parse_range_method(options.method);
  range.percentile = options.percentile;
  range.bins = options.bins;
  if (range.method == tools::RangeMethod::kPercentile &&
      !(range.percentile > 50.0 && range.percentile <= 100.0)) {
    throw std::runtime_error(
        fmt::format("--percentile must be in (50, 100], got {}", range.percentile));
  }

  const std::vector<std::filesystem::path> files(options.calib.begin(), options.calib.end());
  const auto specs = tools::input_specs(graph);
  const tools::SampleSet data = tools::read_samples(files, specs, options.samples);

  std::optional<ProgressBar> bar;
  std::string current;
  const tools::Calibration calibration = tools::calibrate(
      graph, data, range, [&](const std::string& stage, std::size_t done, std::size_t total) {
        if (stage != current) {
          bar.reset();
          bar.emplace(stage, total);
          current = stage;
        }
        bar->update(done);
      });
  bar.reset();

  const tools::QuantizedModel result = tools::quantize(graph, calibration, quantize_options);
  tools::write_tflite_file(result.graph, options.output);
  const auto bytes = std::filesystem::file_size(options.output);

  std::vector<tools::OpCheck> checks;
  bool checks_ok = true;
  if (options.check > 0) {
    std::optional<ProgressBar> check_bar;
    checks = tools::check_quantized_ops(
        result.graph, data, options.check,
        [&](const std::string& stage, std::size_t done, std::size_t total) {
          if (!check_bar) check_bar.emplace(stage, total);
          check_bar->update(done);
        });
    for (const auto& c : checks) checks_ok = checks_ok && c.ok();
  }

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["output"] = options.output;
    out["output_bytes"] = bytes;
    out["method"] = options.method;
    if (range.method == tools::RangeMethod::kPercentile) out["percentile"] = range.percentile;
    out["samples"] = data.count;
    out["activations"] = tensor_type_name(quantize_options.activations);
    out["interface"] =
        options.float_io ? "float32" : tensor_type_name(quantize_options.activations);
    out["arena_bytes"] = result.report.arena_bytes;
    out["warnings"] = result.report.warnings;
    if (options.check > 0) {
      out["check"] = nlohmann::json::array();
      for (const auto& c : checks) {
        out["check"].push_back({{"op", c.op},
                                {"name", c.name},
                                {"output", c.output},
                                {"isolated_identical", c.isolated_identical},
                                {"checked_against_float", c.checked_against_float},
                                {"max_error_steps", c.max_error_steps},
                                {"tolerance_steps", c.tolerance_steps},
                                {"ok", c.ok()}});
      }
    }
    out["tensors"] = nlohmann::json::array();
    for (const auto& t : result.report.tensors) {
      nlohmann::json j = {{"index", t.tensor}, {"name", t.name},
                          {"role", t.role},    {"type", tensor_type_name(t.type)},
                          {"rule", t.rule},    {"quantization", params_json(t.params)}};
      if (t.has_range) {
        j["observed"] = {t.observed.min, t.observed.max};
        j["chosen"] = {t.chosen.min, t.chosen.max};
      }
      out["tensors"].push_back(j);
    }
    std::puts(out.dump(2).c_str());
    if (!checks_ok) throw std::runtime_error("the per-op check failed (see \"check\")");
    return;
  }

  fmt::print("quantized    {} -> {} ({} bytes)\n", options.model, options.output, bytes);
  fmt::print("activations  {}, weights int8, interface {}\n",
             tensor_type_name(quantize_options.activations),
             options.float_io ? "float32 (QUANTIZE/DEQUANTIZE at the edges)"
                              : tensor_type_name(quantize_options.activations));
  fmt::print("calibration  {} on {} sample(s)\n",
             range.method == tools::RangeMethod::kPercentile
                 ? fmt::format("percentile {}", range.percentile)
                 : options.method,
             data.count);
  fmt::print("arena        {} bytes (exact, mote runtime)\n", result.report.arena_bytes);
  if (options.verbose) {
    fmt::print("\n  {:>4}  {:<40} {:<10} {:<6} {:<26} {}\n", "#", "tensor", "role", "type",
               "quantization", "range (observed -> chosen) / rule");
    for (const auto& t : result.report.tensors) {
      std::string name = t.name.size() > 40 ? "~" + t.name.substr(t.name.size() - 39) : t.name;
      fmt::print("  {:>4}  {:<40} {:<10} {:<6} {:<26} ", t.tensor, name, t.role,
                 tensor_type_name(t.type), params_text(t.params));
      if (t.has_range) {
        fmt::print("[{:.4g}, {:.4g}] -> [{:.4g}, {:.4g}]; ", t.observed.min, t.observed.max,
                   t.chosen.min, t.chosen.max);
      }
      fmt::print("{}\n", t.rule);
    }
  }
  if (options.check > 0) {
    fmt::print(
        "\ncheck on {} sample(s): each op inside the model vs alone (bytes) and vs its float "
        "twin on dequantized operands (output steps)\n",
        std::min(options.check, data.count));
    fmt::print("  {:>4}  {:<28} {:<32} {:>9} {:>12} {:>6}\n", "#", "op", "output", "alone",
               "float twin", "limit");
    for (const auto& c : checks) {
      const std::string output =
          c.output.size() > 32 ? "~" + c.output.substr(c.output.size() - 31) : c.output;
      fmt::print("  {:>4}  {:<28} {:<32} {:>9} {:>12} {:>6}{}\n", c.op, c.name, output,
                 c.isolated_identical ? "same" : "DIFFERS",
                 c.checked_against_float ? fmt::format("{:.3f}", c.max_error_steps) : "-",
                 c.checked_against_float ? fmt::format("{:.3g}", c.tolerance_steps) : "-",
                 c.ok() ? "" : "  FAILED");
    }
  }
  for (const auto& w : result.report.warnings) fmt::print(stderr, "warning: {}\n", w);
  if (!checks_ok) throw std::runtime_error("the per-op check failed: see the table above");
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto options = std::make_shared<QuantizeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "quantize", "Post-training quantization of a float model to int8 (or 16x8) .tflite");
  cmd->add_option("MODEL", options->model, "Float model (.tflite; .onnx with the ONNX importer)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--calib,-c", options->calib,
                  "Representative data, one file per model input: .npy [N, input shape...] or "
                  ".csv (header row, one sample per row)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--method,-m", options->method,
                  "Activation ranges: minmax (TFLite's converter), percentile or mse")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}));
  cmd->add_option("--percentile", options->percentile,
                  "With --method percentile: ranges end at the P-th and (100-P)-th percentiles");
  cmd->add_option("--bins", options->bins, "Histogram bins for percentile and mse")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  cmd->add_option("--samples,-n", options->samples, "Use only the first N samples")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--int16", options->int16,
                "16x8: int16 activations (symmetric), int8 weights, int64 biases");
  cmd->add_flag("--float-io", options->float_io,
                "Keep float inputs and outputs (QUANTIZE/DEQUANTIZE ops at the edges)");
  cmd->add_flag("--per-channel-dense", options->per_channel_dense,
                "FULLY_CONNECTED weights per output channel (the converter: per tensor)");
  cmd->add_option("-o,--output", options->output, "The quantized .tflite")->required();
  cmd->add_flag("--json", options->json, "Print one JSON object with every tensor's parameters");
  cmd->add_flag("-v,--verbose", options->verbose, "Print every tensor's parameters");
  cmd->add_option("--check", options->check,
                  "Check every op of the result on the first N calibration samples: inside the "
                  "model vs alone, and vs its float twin on dequantized operands");
  cmd->callback([options] { run_quantize(*options); });
}

}  // namespace mote::cli
