// mote size MODEL --target cortex-m4 [--json]: builds the model's firmware image and reports its
// flash (runtime core, kernels, model data, other; and per folder of the object files) and RAM
// (data, bss, arena, stack), read from the linker's map file.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "tools/firmware/firmware_build.h"
#include "tools/firmware/image_size.h"
#include "tools/firmware/map_file.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/file_io.h"

namespace mote::cli {
namespace {

struct SizeOptions {
  std::string model;
  std::string target = "cortex-m4";
  bool json = false;
  std::string build_dir;
};

void run_size(const SizeOptions& options) {
  const auto loaded = tools::LoadedModel::from_file(options.model);
  tools::FirmwareOptions firmware_options;
  firmware_options.target = tools::parse_firmware_target(options.target);
  if (firmware_options.target != tools::FirmwareTarget::kCortexM4) {
    throw std::runtime_error("mote size measures Cortex-M images: use --target cortex-m4");
  }
  if (!options.json) {
    std::fprintf(stderr, "building the %s firmware (the first build compiles the runtime)...\n",
                 options.target.c_str());
  }
  const tools::CachedFirmware firmware =
      tools::build_cached_firmware(*loaded, options.model, firmware_options, options.build_dir);
  const auto map_bytes = tools::read_file(firmware.image.map_file);
  const std::string map_text(reinterpret_cast<const char*>(map_bytes.data()), map_bytes.size());
  const tools::ImageSize size =
      tools::measure_image(tools::parse_map_file(map_text), firmware.project.symbol,
                           "mote_firmware_arena", firmware.mote_source_dir);

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["target"] = options.target;
    out["flash"] = {{"runtime_core", size.flash_runtime_core},
                    {"kernels", size.flash_kernels},
                    {"model_data", size.flash_model},
                    {"other", size.flash_other},
                    {"total", size.flash_total},
                    {"code", size.flash_total - size.flash_model}};
    out["ram"] = {{"data", size.ram_data},
                  {"bss", size.ram_bss},
                  {"arena", size.ram_arena},
                  {"stack", size.ram_stack},
                  {"total", size.ram_total}};
    out["kernels"] = size.kernels;
    out["runtime_parts"] = tools::runtime_parts_tag(firmware.project.parts);
    out["folders"] = nlohmann::json::array();
    for (const auto& folder : size.folders) {
      out["folders"].push_back({{"folder", folder.folder}, {"flash", folder.flash}});
    }
    out["map_file"] = firmware.image.map_file.string();
    std::puts(out.dump(2).c_str());
    return;
  }
  fmt::print("model        {} ({})\n", options.model, options.target);
  fmt::print("runtime      {} (runtime/core/build_options.h: the parts the model needs)\n",
             tools::runtime_parts_tag(firmware.project.parts));
  fmt::print("flash        {:>9} B\n", size.flash_total);
  fmt::print("  runtime    {:>9} B  (runtime/ without kernels)\n", size.flash_runtime_core);
  fmt::print("  kernels    {:>9} B  ({})\n", size.flash_kernels, fmt::join(size.kernels, " "));
  fmt::print("  model      {:>9} B\n", size.flash_model);
  fmt::print("  other      {:>9} B  (board support, main, C library, padding)\n", size.flash_other);
  fmt::print("  code       {:>9} B  (all but the model)\n", size.flash_total - size.flash_model);
  fmt::print("ram          {:>9} B\n", size.ram_total);
  fmt::print("  data       {:>9} B\n", size.ram_data);
  fmt::print("  bss        {:>9} B  (without the arena)\n", size.ram_bss);
  fmt::print("  arena      {:>9} B\n", size.ram_arena);
  fmt::print("  stack      {:>9} B  (reserved)\n", size.ram_stack);
  fmt::print("flash by folder of the object files\n");
  for (const auto& folder : size.folders) {
    fmt::print("  {:<28} {:>9} B\n", folder.folder, folder.flash);
  }
  fmt::print("map file     {}\n", firmware.image.map_file.string());
}

}  // namespace

void add_size_command(CLI::App& app) {
  auto options = std::make_shared<SizeOptions>();
  CLI::App* cmd =
      app.add_subcommand("size", "Build a model's firmware image and report its flash and RAM");
  cmd->add_option("MODEL", options->model, "TFLite model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--target", options->target, "cortex-m4 (the default and only target so far)")
      ->check(CLI::IsMember({"cortex-m4"}));
  cmd->add_flag("--json", options->json, "Print one JSON object");
  cmd->add_option("--build-dir", options->build_dir,
                  "Folder for the firmware project and build (default: a cache folder)");
  cmd->callback([options] { run_size(*options); });
}

}  // namespace mote::cli
