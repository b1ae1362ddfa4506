// mote firmware MODEL -o DIR [--target host|cortex-m4] [--name SYMBOL] [--input FILE...]: a
// standalone CMake project that runs the model on the target (tools/firmware/).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/input_files.h"
#include "tools/firmware/firmware_project.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::cli {
namespace {

struct FirmwareCommandOptions {
  std::string model;
  std::string output_dir;
  std::string target = "cortex-m4";
  std::string name;
  std::vector<std::string> inputs;
  std::string mote_source_dir;
};

void run_firmware_command(const FirmwareCommandOptions& options) {
  const auto loaded = tools::LoadedModel::from_file(options.model);
  tools::FirmwareOptions firmware;
  firmware.target = tools::parse_firmware_target(options.target);
  firmware.symbol = options.name;
  if (!options.inputs.empty()) firmware.inputs = load_model_inputs(loaded->model(), options.inputs);
  firmware.mote_source_dir = options.mote_source_dir;
  const tools::FirmwareProject project =
      tools::write_firmware_project(*loaded, options.model, firmware, options.output_dir);
  fmt::print(
      "wrote {} ({}): {} model bytes, arena {} bytes, kernels {}, inputs {}\n",
      project.directory.string(), tools::firmware_target_name(firmware.target), project.model_bytes,
      project.arena_bytes, fmt::join(project.kernels, " "),
      firmware.inputs.empty() ? "zeros" : "from " + fmt::to_string(fmt::join(options.inputs, " ")));
  fmt::print("build:  cmake -S {0} -B {0}/build -G Ninja && cmake --build {0}/build\n",
             project.directory.string());
  if (firmware.target == tools::FirmwareTarget::kCortexM4) {
    fmt::print(
        "run:    {}/targets/cortex-m/run-qemu.sh --machine mps2-an386 {}/build/firmware.elf\n",
        (options.mote_source_dir.empty() ? tools::default_mote_source_dir()
                                         : std::filesystem::path(options.mote_source_dir))
            .string(),
        project.directory.string());
  } else {
    fmt::print("run:    {}/build/firmware\n", project.directory.string());
  }
}

}  // namespace

void add_firmware_command(CLI::App& app) {
  auto options = std::make_shared<FirmwareCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "firmware", "Write a standalone CMake project that runs a model on a target");
  cmd->add_option("MODEL", options->model, "TFLite model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output_dir, "Folder for the project")->required();
  cmd->add_option("--target", options->target, "host or cortex-m4 (QEMU mps2-an386)")
      ->check(CLI::IsMember({"host", "cortex-m4"}));
  cmd->add_option("--name", options->name,
                  "Symbol of the model array (default: <model file stem>_model)");
  cmd->add_option("--input,-i", options->inputs,
                  "Test input baked into the image, one file per model input (.npy or raw "
                  "bytes); default: zeros")
      ->check(CLI::ExistingFile);
  cmd->add_option("--mote-source", options->mote_source_dir,
                  "mote source tree the project builds the runtime from (default: this build's)");
  cmd->callback([options] { run_firmware_command(*options); });
}

}  // namespace mote::cli
