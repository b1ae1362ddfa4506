#include "cli/device_run.h"

#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/input_files.h"
#include "cli/tensor_format.h"
#include "tools/firmware/firmware_build.h"
#include "tools/firmware/firmware_output.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::cli {

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
  std::vector<bool> equal;
  bool all_equal = true;
  for (std::uint32_t o = 0; o < model.num_outputs(); ++o) {
    const auto expected = host.output_bytes(o);
    const auto& actual = report.outputs[o].bytes;
    equal.push_back(actual.size() == expected.size() &&
                    std::equal(actual.begin(), actual.end(), expected.begin()));
    all_equal = all_equal && equal.back();
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
    out["matches_host"] = all_equal;
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
                          {"matches_host", static_cast<bool>(equal[o])}};
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
      fmt::print("output {}     {} {} {} ({} the host's)\n", o, t.name, tensor_type_name(t.type),
                 shape_text(t), equal[o] ? "equal to" : "DIFFERENT from");
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
  if (!all_equal) throw std::runtime_error("the target's outputs differ from the host runtime's");
}

}  // namespace mote::cli
