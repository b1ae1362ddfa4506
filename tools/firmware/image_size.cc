#include "tools/firmware/image_size.h"

#include <algorithm>
#include <map>
#include <set>

namespace mote::tools {
namespace {

const std::set<std::string> kFlashSections = {".vectors",   ".text",       ".ARM.extab",
                                              ".ARM.exidx", ".init_array", ".data"};

// "conv_2d.cc.obj" -> "runtime/kernels" for every source under runtime/ (CMake names an
// object after its source); a name found in two folders maps to "runtime".
std::map<std::string, std::string> runtime_object_folders(const std::filesystem::path& root) {
  std::map<std::string, std::string> folders;
  const auto runtime = root / "runtime";
  if (!std::filesystem::exists(runtime)) return folders;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(runtime)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cc") continue;
    const std::string object = entry.path().filename().string() + ".obj";
    const std::string folder = entry.path().parent_path().lexically_relative(root).string();
    const auto [it, inserted] = folders.emplace(object, folder);
    if (!inserted && it->second != folder) it->second = "runtime";
  }
  return folders;
}

struct Origin {
  std::string folder;
  std::string object;  // file name of the object ("conv_2d.cc.obj")
};

// Where an input section's file comes from.
Origin origin_of(const std::string& file, const std::map<std::string, std::string>& runtime) {
  if (file.empty()) return {"(padding)", ""};
  const auto open = file.find('(');
  if (open != std::string::npos && file.back() == ')') {
    const std::string archive = std::filesystem::path(file.substr(0, open)).filename().string();
    const std::string member = file.substr(open + 1, file.size() - open - 2);
    if (archive == "libmote_runtime.a") {
      const auto it = runtime.find(member);
      return {it != runtime.end() ? it->second : "runtime", member};
    }
    return {archive, member};
  }
  const std::filesystem::path path(file);
  const std::string text = path.generic_string();
  const auto cmake = text.find("CMakeFiles/");
  if (cmake != std::string::npos) {
    std::string prefix = text.substr(0, cmake);  // "mote/targets/" or "" (the firmware itself)
    if (prefix.rfind("mote/", 0) == 0) prefix = prefix.substr(5);
    const auto dir = text.find(".dir/", cmake);
    std::string inner =
        dir == std::string::npos ? "" : std::filesystem::path(text.substr(dir + 5)).parent_path();
    std::string folder = prefix + inner;
    while (!folder.empty() && folder.back() == '/') folder.pop_back();
    return {folder.empty() ? "firmware" : folder, path.filename().string()};
  }
  return {path.filename().string(), path.filename().string()};
}

bool under(const std::string& folder, const std::string& prefix) {
  return folder == prefix || folder.rfind(prefix + "/", 0) == 0;
}

}  // namespace

ImageSize measure_image(const MapFile& map, const std::string& model_symbol,
                        const std::string& arena_symbol,
                        const std::filesystem::path& mote_source_dir) {
  const auto runtime = runtime_object_folders(mote_source_dir);
  ImageSize size;
  for (const auto& section : map.output_sections) {
    if (kFlashSections.count(section.name)) size.flash_total += section.size;
    if (section.name == ".data") size.ram_data += section.size;
    if (section.name == ".bss") size.ram_bss += section.size;
    if (section.name == ".stack") size.ram_stack += section.size;
  }

  std::map<std::string, std::uint64_t> folders;
  std::set<std::string> kernels;
  std::uint64_t attributed = 0;
  const std::string model_object = model_symbol + ".cc.obj";
  for (const auto& input : map.input_sections) {
    if (input.output_section == ".bss" && input.name.find(arena_symbol) != std::string::npos) {
      size.ram_arena += input.size;
    }
    if (!kFlashSections.count(input.output_section) || input.size == 0) continue;
    const Origin origin = origin_of(input.file, runtime);
    folders[origin.folder] += input.size;
    attributed += input.size;
    if (origin.folder == "firmware" && origin.object == model_object) {
      size.flash_model += input.size;
    } else if (under(origin.folder, "runtime/kernels")) {
      size.flash_kernels += input.size;
      if (origin.folder == "runtime/kernels") {
        kernels.insert(origin.object.substr(0, origin.object.size() - 4));  // drop ".obj"
      }
    } else if (under(origin.folder, "runtime")) {
      size.flash_runtime_core += input.size;
    } else {
      size.flash_other += input.size;
    }
  }
  // What the map lists inside no input section (alignment the linker script adds) is other.
  if (size.flash_total > attributed) {
    size.flash_other += size.flash_total - attributed;
    folders["(padding)"] += size.flash_total - attributed;
  }
  size.ram_bss -= std::min(size.ram_bss, size.ram_arena);
  size.ram_total = size.ram_data + size.ram_bss + size.ram_arena + size.ram_stack;
  for (const auto& [folder, bytes] : folders) size.folders.push_back({folder, bytes});
  std::stable_sort(size.folders.begin(), size.folders.end(),
                   [](const FolderSize& a, const FolderSize& b) { return a.flash > b.flash; });
  size.kernels.assign(kernels.begin(), kernels.end());
  return size;
}

}  // namespace mote::tools
