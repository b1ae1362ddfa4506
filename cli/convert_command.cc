// mote convert MODEL.onnx -o MODEL.tflite [--nhwc-input] [--nhwc-output] [--json]: imports a
// float ONNX model (as PyTorch exports it) and writes it as a standard float .tflite in NHWC.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "tools/graph/tflite_io.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"
#include "tools/onnx/onnx_import.h"

namespace mote::cli {
namespace {

struct ConvertOptions {
  std::string model;
  std::string output;
  bool nhwc_input = false;
  bool nhwc_output = false;
  bool json = false;
};

std::string shape_string(const std::vector<std::int32_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

void run_convert(const ConvertOptions& options) {
  if (std::filesystem::path(options.model).extension() != ".onnx") {
    throw std::runtime_error(fmt::format("{}: mote convert reads .onnx models", options.model));
  }
  tools::OnnxImportOptions import_options;
  import_options.nhwc_input = options.nhwc_input;
  import_options.nhwc_output = options.nhwc_output;
  tools::OnnxImportSummary s;
  const tools::Graph graph = tools::import_onnx_file(options.model, import_options, &s);
  const std::vector<std::uint8_t> bytes = tools::write_tflite(graph);
  // The written model is checked against the device's reader and planned: the arena it needs is
  // part of the summary, and a kernel the runtime lacks is said now, not on the device.
  std::string arena_text, runtime_problem;
  std::uint64_t arena_bytes = 0;
  try {
    const auto loaded = tools::LoadedModel::from_bytes(bytes, options.output);
    arena_bytes = tools::measure_arena(loaded->model()).total;
  } catch (const std::exception& e) {
    runtime_problem = e.what();
  }
  tools::write_file(options.output, bytes);

  std::int64_t weight_bytes = 0;
  for (const tools::GraphTensor& t : graph.tensors) {
    if (t.is_constant()) weight_bytes += static_cast<std::int64_t>(t.data.size());
  }
  auto tensor_json = [&](std::int32_t t) {
    const tools::GraphTensor& x = graph.tensors[static_cast<std::size_t>(t)];
    return nlohmann::json{{"name", x.name}, {"type", tensor_type_name(x.type)}, {"shape", x.shape}};
  };

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["output"] = options.output;
    out["producer"] = s.producer;
    out["opset"] = s.opset;
    out["onnx_nodes"] = s.onnx_nodes;
    out["tflite_bytes"] = bytes.size();
    out["ops"] = s.ops;
    out["op_count"] = graph.ops.size();
    out["transposes"] = s.transposes;
    out["transposes_at_inputs"] = s.transposes_at_inputs;
    out["transposes_at_outputs"] = s.transposes_at_outputs;
    out["transposes_inside"] = s.transposes_inside;
    out["parameters"] = s.parameters;
    out["constant_bytes"] = weight_bytes;
    out["batch_norms"] = s.batch_norms;
    out["affine_folded"] = s.affine_folded;
    out["activations_fused"] = s.activations_fused;
    out["nodes_dropped"] = s.nodes_dropped;
    out["nodes_folded"] = s.nodes_folded;
    out["inputs"] = nlohmann::json::array();
    for (std::int32_t t : graph.inputs) out["inputs"].push_back(tensor_json(t));
    out["outputs"] = nlohmann::json::array();
    for (std::int32_t t : graph.outputs) out["outputs"].push_back(tensor_json(t));
    out["notes"] = s.notes;
    if (runtime_problem.empty()) {
      out["arena_bytes"] = arena_bytes;
    } else {
      out["runtime_error"] = runtime_problem;
    }
    std::puts(out.dump(2).c_str());
    return;
  }
  fmt::print("model        {} ({}, opset {}, {} nodes)\n", options.model, s.producer, s.opset,
             s.onnx_nodes);
  fmt::print("wrote        {} ({} bytes)\n", options.output, bytes.size());
  std::string ops;
  for (const auto& [name, count] : s.ops)
    ops += fmt::format("{}{} {}", ops.empty() ? "" : ", ", name, count);
  fmt::print("ops          {}: {}\n", graph.ops.size(), ops);
  fmt::print("transposes   {} ({} after inputs, {} before outputs, {} inside)\n", s.transposes,
             s.transposes_at_inputs, s.transposes_at_outputs, s.transposes_inside);
  fmt::print("parameters   {} ({} constant bytes)\n", s.parameters, weight_bytes);
  fmt::print(
      "folded       {} BatchNormalization, {} MUL/ADD/SUB into weights, {} activation(s) "
      "fused, {} node(s) dropped, {} evaluated at import\n",
      s.batch_norms, s.affine_folded, s.activations_fused, s.nodes_dropped, s.nodes_folded);
  for (std::int32_t t : graph.inputs) {
    const auto& x = graph.tensors[static_cast<std::size_t>(t)];
    fmt::print("input        {} {} {}\n", x.name, tensor_type_name(x.type), shape_string(x.shape));
  }
  for (std::int32_t t : graph.outputs) {
    const auto& x = graph.tensors[static_cast<std::size_t>(t)];
    fmt::print("output       {} {} {}\n", x.name, tensor_type_name(x.type), shape_string(x.shape));
  }
  if (runtime_problem.empty()) {
    fmt::print("arena        {} bytes (exact, mote runtime)\n", arena_bytes);
  } else {
    fmt::print("warning      mote's runtime cannot run it yet: {}\n", runtime_problem);
  }
  for (const std::string& note : s.notes) fmt::print("note         {}\n", note);
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Import a float ONNX model (PyTorch export) and write it as a float .tflite");
  cmd->add_option("MODEL", options->model, "ONNX model (.onnx) with fixed input shapes")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output, "The .tflite file to write")->required();
  cmd->add_flag("--nhwc-input", options->nhwc_input,
                "Take 3-D/4-D inputs channels-last (NWC/NHWC): no TRANSPOSE after them");
  cmd->add_flag("--nhwc-output", options->nhwc_output,
                "Give 3-D/4-D outputs channels-last: no TRANSPOSE before them");
  cmd->add_flag("--json", options->json, "Print one JSON object");
  cmd->callback([options] { run_convert(*options); });
}

}  // namespace mote::cli
