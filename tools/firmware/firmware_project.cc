#include "tools/firmware/firmware_project.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "runtime/interpreter/graph_state.h"
#include "tools/export/c_array.h"
#include "tools/firmware/kernel_list.h"
#include "tools/firmware/mote_source_dir.h"
#include "tools/host_runtime/host_interpreter.h"

namespace mote::tools {
namespace {

// Writes `text` to `path` unless the file already holds exactly that text.
void write_if_changed(const std::filesystem::path& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream current;
      current << in.rdbuf();
      if (current.str() == text) return;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void check_inputs(const Model& model, const std::vector<std::vector<std::uint8_t>>& inputs) {
  if (inputs.empty()) return;
  if (inputs.size() != model.num_inputs()) {
    throw std::runtime_error(fmt::format("the model has {} input(s); {} test input(s) given",
                                         model.num_inputs(), inputs.size()));
  }
  GraphState state;
  state.model = &model;
  for (std::uint32_t i = 0; i < model.num_inputs(); ++i) {
    const Tensor t = tensor_view(state, model.input_tensor(i));
    if (inputs[i].size() != t.bytes) {
      throw std::runtime_error(fmt::format("test input {} has {} bytes; the model input needs {}",
                                           i, inputs[i].size(), t.bytes));
    }
  }
}

}  // namespace

std::filesystem::path default_mote_source_dir() { return MOTE_TOOLS_SOURCE_DIR; }

FirmwareProject write_firmware_project(const LoadedModel& model,
                                       const std::filesystem::path& model_path,
                                       const FirmwareOptions& options,
                                       const std::filesystem::path& directory,
                                       const FirmwareFlavour& flavour) {
  check_inputs(model.model(), options.inputs);
  FirmwareSpec spec;
  spec.symbol =
      c_symbol(options.symbol.empty() ? model_path.stem().string() + "_model" : options.symbol);
  spec.model_name = model_path.filename().string();
  spec.kernels = kernel_functions(model.model());
  spec.op_count = model.model().num_ops();
  spec.parts = runtime_parts(model.model());
  spec.target = options.target;
  for (const auto& [name, text] : flavour.extra_files) {
    if (name.ends_with(".cc")) spec.extra_sources.push_back(name);
  }
  spec.extra_libraries = flavour.libraries;
  spec.mote_source_dir =
      std::filesystem::absolute(options.mote_source_dir.empty() ? default_mote_source_dir()
                                                                : options.mote_source_dir)
          .lexically_normal()
          .string();
  if (!std::filesystem::exists(std::filesystem::path(spec.mote_source_dir) / "runtime")) {
    throw std::runtime_error("no mote source tree at " + spec.mote_source_dir +
                             " (it needs runtime/ and targets/)");
  }

  FirmwareProject project;
  project.directory = directory;
  project.symbol = spec.symbol;
  project.kernels = spec.kernels;
  project.parts = spec.parts;
  project.model_bytes = model.bytes().size();
  // The arena the firmware declares is the planner's figure for the default options, the same
  // as `mote export --c-array` writes.
  project.arena_bytes = measure_arena(model.model()).total;

  std::filesystem::create_directories(directory);
  const CArrayFiles array =
      make_c_array(model.bytes().bytes(), spec.symbol, project.arena_bytes,
                   "// From " + spec.model_name + ", for the firmware in this folder.\n//\n");
  std::vector<std::pair<std::string, std::string>> files = {
      {"CMakeLists.txt", firmware_cmake_lists(spec)},
      {"main.cc", flavour.main_source ? flavour.main_source(spec) : firmware_main_source(spec)},
      {kInputsSource, firmware_inputs_source(options.inputs)},
      {array.header_name, array.header},
      {array.source_name, array.source}};
  files.insert(files.end(), flavour.extra_files.begin(), flavour.extra_files.end());
  for (const auto& [name, text] : files) {
    write_if_changed(directory / name, text);
    project.files.push_back(directory / name);
  }
  return project;
}

}  // namespace mote::tools
