// mote export MODEL --c-array -o DIR [--name SYMBOL]: the model as C++ source for firmware, with
// the exact arena size as a constant.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "cli/tensor_format.h"
#include "runtime/interpreter/graph_state.h"
#include "tools/analysis/op_cost.h"
#include "tools/export/c_array.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::cli {
namespace {

struct ExportOptions {
  std::string model;
  std::string output_dir;
  std::string name;
  bool c_array = false;
  bool preserve_inputs = false;
};

std::string describe(const Model& model, std::uint32_t arena_bytes) {
  GraphState state;
  state.model = &model;
  std::string text;
  auto line = [&](const std::string& kind, std::uint32_t i, std::int32_t index) {
    const Tensor t = tensor_view(state, index);
    text += fmt::format("//   {} {}: {} {} '{}'", kind, i, tensor_type_name(t.type), shape_text(t),
                        t.name);
    if (t.num_scales == 1) {
      const std::int32_t zp = t.zero_point();
      text += fmt::format(", real = {:.9g} * (q {} {})", t.scales[0], zp < 0 ? '+' : '-',
                          zp < 0 ? -static_cast<std::int64_t>(zp) : zp);
    }
    text += "\n";
  };
  text += fmt::format("// {} ops, {} MACs per invoke, arena {} bytes.\n", model.num_ops(),
                      tools::model_macs(model), arena_bytes);
  for (std::uint32_t i = 0; i < model.num_inputs(); ++i) line("input", i, model.input_tensor(i));
  for (std::uint32_t o = 0; o < model.num_outputs(); ++o) line("output", o, model.output_tensor(o));
  text += "//   Write the inputs before every invoke(): the plan may reuse their bytes.\n//\n";
  return text;
}

void run_export(const ExportOptions& options) {
  if (!options.c_array) {
    throw std::runtime_error("choose an export format: --c-array (the only one so far)");
  }
  const auto loaded = tools::LoadedModel::from_file(options.model);
  InterpreterOptions interpreter_options;
  interpreter_options.preserve_inputs = options.preserve_inputs;
  const ArenaReport arena = tools::measure_arena(loaded->model(), interpreter_options);
  const std::string symbol = tools::c_symbol(
      options.name.empty() ? std::filesystem::path(options.model).stem().string() + "_model"
                           : options.name);
  const auto files =
      tools::make_c_array(loaded->bytes().bytes(), symbol, arena.total,
                          "// From " + std::filesystem::path(options.model).filename().string() +
                              ".\n" + describe(loaded->model(), arena.total));
  const auto [header, source] = tools::write_c_array(files, options.output_dir);
  fmt::print("wrote {} and {} ({} model bytes, arena {} bytes)\n", header.string(), source.string(),
             loaded->bytes().size(), arena.total);
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Export a model for firmware");
  cmd->add_option("MODEL", options->model, "TFLite model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--c-array", options->c_array,
                "C++ header and source: aligned byte array, length, exact arena size");
  cmd->add_option("-o,--output", options->output_dir, "Folder for the generated files")->required();
  cmd->add_option("--name", options->name,
                  "Symbol of the array (default: <model file stem>_model)");
  cmd->add_flag("--preserve-inputs", options->preserve_inputs,
                "Size the arena for InterpreterOptions::preserve_inputs");
  cmd->callback([options] { run_export(*options); });
}

}  // namespace mote::cli
