#include "cli/device_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>

#include "cli/input_files.h"
#include "cli/tensor_format.h"
#include "tools/firmware/firmware_build.h"
#include "tools/firmware/firmware_output.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::cli {
namespace {

struct OutputMatch {
  bool identical = false;
  bool matches = false;
  double max_abs_diff = 0.0;  // float32 outputs
};

OutputMatch compare_output(TensorType type, std::span<const std::uint8_t> actual,
                           std::span<const std::uint8_t> expected) {
  OutputMatch match;
  if (actual.size() != expected.size()) return match;
  match.identical = std::equal(actual.begin(), actual.end(), expected.begin());
  match.matches = match.identical;
  if (type != TensorType::FLOAT32 || match.identical) return match;
  match.matches = true;
  for (std::size_t i = 0; i + 4 <= actual.size(); i += 4) {
    float a = 0.0f;
    float e = 0.0f;
    std::memcpy(&a, actual.data() + i, 4);
    std::memcpy(&e, expected.data() + i, 4);
    const double diff = std::fabs(static_cast<double>(a) - e);
    match.max_abs_diff = std::max(match.max_abs_diff, diff);
    if (!(diff <= 1e-5 * std::max(1.0, std::fabs(static_cast<double>(e))))) match.matches = false;
  }
  return match;
}

std::string match_text(const OutputMatch& match) {
  if (match.identical) return "equal to the host's";
  if (match.matches) return fmt::format("within {:.2g} of the host's", match.max_abs_diff);
  return "DIFFERENT from the host's";
}

}  // namespace

void run_on_target(const DeviceRunOptions& options) {
  const auto loaded = tools::LoadedModel::from_file(options.model);
  const Model& model = loaded->model();
  tools::FirmwareOptions firmware_options;
  firmware_options.target = tools::parse_firmware_target(options.target);
  firmware_options.inputs = load_model_inputs(model, options.inputs);

  if (!options.json) {
    std::fprintf(stderr, "building the %s firmware (the first build compiles the runtime)...\n",
                 options.target.c_str());
  }
  const tools::CachedFirmware firmware =
      tools::build_cached_firmware(*loaded, options.model, firmware_options, options.build_dir);
  const tools::FirmwareRun run =
      tools::run_firmware(firmware.image, firmware_options.target, firmware.mote_source_dir);
  const tools::FirmwareReport report = tools::parse_firmware_output(run.output);
  if (run.exit_code != 0 || !report.done) {
    throw std::runtime_error(
        fmt::format("the firmware failed (exit code {}):\n{}", run.exit_code, run.output));
  }
  if (report.outputs.size() != model.num_outputs()) {
    throw std::runtime_error(fmt::format("the firmware printed {} outputs; the model has {}",
                                         report.outputs.size(), model.num_outputs()));
  }

  // The same model and inputs through the host runtime: the target must compute the same bytes.
  tools::HostInterpreter host(*loaded);
  for (std::uint32_t i = 0; i < model.num_inputs(); ++i) {
    host.set_input(i, firmware_options.inputs[i]);
  }
  host.invoke();
  // Integer outputs must be the host's bytes. Float outputs may differ in the last bits (the
  // Cortex-M4 build lets GCC fuse multiply-adds; TFLM's own x86 and M4 floats differ by up to
  // 1.8e-7): they match within 1e-5 relative, the golden tests' float criterion.
  std::vector<OutputMatch> matches;
  bool all_match = true;
  for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
    matches.push_back(compare_output(host.interpreter().output(o).type, report.outputs[o].bytes,
                                     host.output_bytes(o)));
    all_match = all_match && matches.back().matches;
  }

  auto figure = [&](const char* key) -> nlohmann::json {
    const auto it = report.figures.find(key);
    return it == report.figures.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
  };
  Interpreter& interpreter = host.interpreter();
  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["target"] = options.target;
    out["board"] = report.board;
    for (const char* key : {"instructions", "allocate_instructions", "arena_bytes", "stack_bytes",
                            "invoke_stack_bytes", "allocate_stack_bytes", "stack_reserved_bytes"}) {
      out[key] = figure(key);
    }
    out["kernels"] = firmware.project.kernels;
    out["matches_host"] = all_match;
    out["profile"] = nlohmann::json::array();
    for (const auto& op : report.ops) {
      out["profile"].push_back(
          {{"index", op.index}, {"op", op.op}, {"instructions", op.instructions}});
    }
    out["outputs"] = nlohmann::json::array();
    for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
      const Tensor t = interpreter.output(o);
      const auto& bytes = report.outputs[o].bytes;
      nlohmann::json j = {{"index", o},
                          {"name", t.name},
                          {"type", tensor_type_name(t.type)},
                          {"shape", shape_vector(t)},
                          {"quantization", quantization_json(t)},
                          {"values", values_json(t, bytes, false, 4096)},
                          {"matches_host", matches[o].matches},
                          {"identical_to_host", matches[o].identical}};
      if (t.type == TensorType::FLOAT32) j["max_abs_diff_from_host"] = matches[o].max_abs_diff;
      if (t.num_scales == 1) j["dequantized"] = values_json(t, bytes, true, 4096);
      out["outputs"].push_back(j);
    }
    std::puts(out.dump(2).c_str());
  } else {
    fmt::print("model        {}\n", options.model);
    fmt::print("target       {} ({})\n", options.target, report.board);
    fmt::print("kernels      {}\n", fmt::join(firmware.project.kernels, " "));
    fmt::print("arena        {} bytes (exact)\n", figure("arena_bytes").dump());
    fmt::print("instructions {} per invoke ({} for allocate)\n", figure("instructions").dump(),
               figure("allocate_instructions").dump());
    fmt::print("stack        {} bytes high-water of {} reserved (invoke {}, allocate {})\n",
               figure("stack_bytes").dump(), figure("stack_reserved_bytes").dump(),
               figure("invoke_stack_bytes").dump(), figure("allocate_stack_bytes").dump());
    for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
      const Tensor t = interpreter.output(o);
      const auto& bytes = report.outputs[o].bytes;
      fmt::print("output {}     {} {} {} ({})\n", o, t.name, tensor_type_name(t.type),
                 shape_text(t), match_text(matches[o]));
      fmt::print("  values     {}{}\n", values_json(t, bytes, false, 16).dump(),
                 t.elements > 16 ? " ..." : "");
      if (t.num_scales == 1) {
        fmt::print("  real       {}{}\n", values_json(t, bytes, true, 16).dump(),
                   t.elements > 16 ? " ..." : "");
      }
    }
    if (options.profile) {
      std::uint64_t total = 0;
      for (const auto& op : report.ops) total += op.instructions;
      fmt::print("\nprofile (instructions per op, a second invoke)\n  {:>4}  {:<28} {:>14} {:>7}\n",
                 "#", "op", "instructions", "%");
      for (const auto& op : report.ops) {
        fmt::print("  {:>4}  {:<28} {:>14} {:>6.1f}%\n", op.index, op.op, op.instructions,
                   total > 0 ? 100.0 * static_cast<double>(op.instructions) / total : 0.0);
      }
      fmt::print("  {:>4}  {:<28} {:>14}\n", "", "total (ops)", total);
    }
  }
  if (!all_match) throw std::runtime_error("the target's outputs differ from the host runtime's");
}

}  // namespace mote::cli
