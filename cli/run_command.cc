// mote run MODEL --input FILE... [--output FILE...] [--repeat N] [--profile] [--json]: runs a
// model through the runtime on the host, in an arena of exactly the planned size; with
// --target cortex-m4, as firmware in QEMU instead (cli/device_run.h).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/device_run.h"
#include "cli/input_files.h"
#include "cli/progress.h"
#include "cli/tensor_format.h"
#include "runtime/interpreter/profiler.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"
#include "tools/io/npy.h"

namespace mote::cli {
namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  int repeat = 1;
  bool profile = false;
  bool json = false;
  bool preserve_inputs = false;
  std::string target = "host";
  std::string build_dir;
};

std::uint64_t host_clock_ns(void*) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void run_model(const RunOptions& options) {
  if (options.target != "host") {
    if (!options.outputs.empty() || options.repeat != 1 || options.preserve_inputs) {
      throw std::runtime_error("--target " + options.target +
                               " takes only --input, --json, --profile and --build-dir (one "
                               "invoke, instructions counted)");
    }
    run_on_target({options.model, options.inputs, options.target, options.json, options.build_dir,
                   options.profile});
    return;
  }
  const auto loaded = tools::LoadedModel::from_file(options.model);
  const Model& model = loaded->model();
  if (options.inputs.size() != model.num_inputs()) {
    throw std::runtime_error(
        fmt::format("the model has {} input(s); pass one --input FILE for each "
                    "(got {})",
                    model.num_inputs(), options.inputs.size()));
  }
  if (!options.outputs.empty() && options.outputs.size() != model.num_outputs()) {
    throw std::runtime_error(
        fmt::format("the model has {} output(s); pass one --output FILE for "
                    "each, or none (got {})",
                    model.num_outputs(), options.outputs.size()));
  }
  if (options.repeat < 1) throw std::runtime_error("--repeat must be at least 1");

  InterpreterOptions interpreter_options;
  interpreter_options.preserve_inputs = options.preserve_inputs;
  tools::HostInterpreter host(*loaded, interpreter_options);
  Interpreter& interpreter = host.interpreter();

  std::vector<tools::AlignedBuffer> inputs;
  for (std::uint32_t i = 0; i < model.num_inputs(); ++i) {
    inputs.push_back(load_input(options.inputs[i], interpreter.input(i), i));
  }

  const std::uint32_t num_ops = model.num_ops();
  std::vector<std::uint64_t> op_ticks(num_ops);
  Profiler profiler(host_clock_ns, nullptr, op_ticks.data(), num_ops);
  if (options.profile) interpreter.set_profiler(&profiler);

  std::vector<double> invoke_us;
  std::vector<std::vector<double>> op_us(num_ops);
  ProgressBar progress("invoking", static_cast<std::uint64_t>(options.repeat));
  for (int r = 0; r < options.repeat; ++r) {
    // Inputs are written before every invoke: the planner may reuse their bytes.
    for (std::uint32_t i = 0; i < inputs.size(); ++i) host.set_input(i, inputs[i].bytes());
    const auto start = std::chrono::steady_clock::now();
    host.invoke();
    const auto end = std::chrono::steady_clock::now();
    invoke_us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    if (options.profile) {
      for (std::uint32_t o = 0; o < num_ops; ++o) op_us[o].push_back(op_ticks[o] / 1000.0);
    }
    progress.update(static_cast<std::uint64_t>(r + 1));
  }
  progress.finish();

  for (std::uint32_t o = 0; o < options.outputs.size(); ++o) {
    const Tensor t = interpreter.output(o);
    const auto bytes = host.output_bytes(o);
    if (is_npy(options.outputs[o])) {
      const auto shape = shape_vector(t);
      tools::write_npy(options.outputs[o], t.type, shape, bytes);
    } else {
      tools::write_file(options.outputs[o], bytes);
    }
  }

  const double median_us = median(invoke_us);
  const double min_us = *std::min_element(invoke_us.begin(), invoke_us.end());
  const double max_us = *std::max_element(invoke_us.begin(), invoke_us.end());
  std::vector<double> op_median(num_ops);
  double op_total = 0.0;
  for (std::uint32_t o = 0; o < num_ops && options.profile; ++o) {
    op_median[o] = median(op_us[o]);
    op_total += op_median[o];
  }

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["arena_bytes"] = interpreter.arena_used_bytes();
    out["repeat"] = options.repeat;
    out["invoke_us"] = {{"median", median_us}, {"min", min_us}, {"max", max_us}};
    out["outputs"] = nlohmann::json::array();
    for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
      const Tensor t = interpreter.output(o);
      nlohmann::json j = {{"index", o},
                          {"name", t.name},
                          {"type", tensor_type_name(t.type)},
                          {"shape", shape_vector(t)},
                          {"quantization", quantization_json(t)},
                          {"values", values_json(t, host.output_bytes(o), false, 4096)}};
      if (t.num_scales == 1) j["dequantized"] = values_json(t, host.output_bytes(o), true, 4096);
      if (o < options.outputs.size()) j["file"] = options.outputs[o];
      out["outputs"].push_back(j);
    }
    if (options.profile) {
      out["profile"] = nlohmann::json::array();
      for (std::uint32_t o = 0; o < num_ops; ++o) {
        out["profile"].push_back(
            {{"index", o},
             {"op", interpreter.kernel(o).custom_code ? interpreter.kernel(o).custom_code
                                                      : builtin_op_name(model.op_code(o))},
             {"median_us", op_median[o]}});
      }
    }
    std::puts(out.dump(2).c_str());
    return;
  }

  fmt::print("model        {}\n", options.model);
  fmt::print("arena        {} bytes (exact)\n", interpreter.arena_used_bytes());
  fmt::print("invoke       {:.1f} us median over {} run(s) (min {:.1f}, max {:.1f})\n", median_us,
             options.repeat, min_us, max_us);
  for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
    const Tensor t = interpreter.output(o);
    const auto values = values_json(t, host.output_bytes(o), false, 16);
    fmt::print("output {}     {} {} {}", o, t.name, tensor_type_name(t.type), shape_text(t));
    if (o < options.outputs.size()) fmt::print(" -> {}", options.outputs[o]);
    fmt::print("\n  values     {}{}\n", values.dump(), t.elements > 16 ? " ..." : "");
    if (t.num_scales == 1) {
      fmt::print("  real       {}{}\n", values_json(t, host.output_bytes(o), true, 16).dump(),
                 t.elements > 16 ? " ..." : "");
    }
  }
  if (options.profile) {
    fmt::print("\nprofile (median per op, host clock)\n  {:>4}  {:<28} {:>12} {:>7}\n", "#", "op",
               "us", "%");
    for (std::uint32_t o = 0; o < num_ops; ++o) {
      fmt::print("  {:>4}  {:<28} {:>12.1f} {:>6.1f}%\n", o, builtin_op_name(model.op_code(o)),
                 op_median[o], op_total > 0 ? 100.0 * op_median[o] / op_total : 0.0);
    }
    fmt::print("  {:>4}  {:<28} {:>12.1f}\n", "", "total (ops)", op_total);
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model on the host with the device's kernels");
  cmd->add_option("MODEL", options->model, "TFLite model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--input,-i", options->inputs,
                  "One file per model input, in order: .npy or raw little-endian bytes")
      ->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", options->outputs,
                  "One file per model output, in order: .npy (with shape and dtype) or raw bytes");
  cmd->add_option("--repeat,-n", options->repeat, "Invoke N times and report the median time")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--profile", options->profile,
                "Time every op (host clock; instructions with --target cortex-m4)");
  cmd->add_flag("--json", options->json, "Print one JSON object");
  cmd->add_flag("--preserve-inputs", options->preserve_inputs,
                "Keep input tensors intact through invoke (costs arena bytes)");
  cmd->add_option(
         "--target", options->target,
         "host (default), or cortex-m4: build firmware, run it in QEMU, count instructions")
      ->check(CLI::IsMember({"host", "cortex-m4"}));
  cmd->add_option("--build-dir", options->build_dir,
                  "Folder for the firmware project and build (default: a cache folder)");
  cmd->callback([options] { run_model(*options); });
}

}  // namespace mote::cli
