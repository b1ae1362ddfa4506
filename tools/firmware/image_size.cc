#include "tools/firmware/image_size.h"

#include <algorithm>
#include <map>
#include <set>

namespace mote::tools {
namespace {

const std::set<std::string> kFlashSections = {".vectors",   ".text",       ".ARM.extab",
                                              ".ARM.exidx", ".init_array", ".data"};

// The deepest folder holding both `a` and `b` ("runtime/kernels" for "runtime/kernels" and
// "runtime/kernels/optimized").
std::string common_folder(const std::string& a, const std::string& b) {
  std::filesystem::path common;
  const std::filesystem::path pa(a), pb(b);
  for (auto i = pa.begin(), j = pb.begin(); i != pa.end() && j != pb.end() && *i == *j; ++i, ++j) {
    common /= *i;
  }
  return common.empty() ? "runtime" : common.string();
}

// "conv_2d.cc.obj" -> "runtime/kernels" for every source under runtime/ (CMake names an
// object after its source, and an archive keeps only that name); a name found in two folders
// maps to the folder holding both (an optimized kernel and its reference one are both kernels).
std::map<std::string, std::string> runtime_object_folders(const std::filesystem::path& root) {
  std::map<std::string, std::string> folders;
  const auto runtime = root / "runtime";
  if (!std::filesystem::exists(runtime)) return folders;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(runtime)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cc") continue;
    const std::string object = entry.path().filename().string() + ".obj";
    const std::string folder = entry.path().parent_path().lexically_relative(root).string();
    const auto [it, inserted] = folders.emplace(object, folder);
    if (!inserted && it->second != folder) it->second = common_folder(it->second, folder);
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

// Every input section with the bytes it occupies in the image. The map lists mergeable string
// sections (.rodata.*.str1.4) with their sizes before the linker merged duplicate strings, so an
// input occupies at most the distance to the next input's address (or its output section's end).
std::vector<std::pair<const MapInputSection*, std::uint64_t>> effective_sizes(const MapFile& map) {
  std::map<std::string, std::uint64_t> section_end;
  for (const auto& section : map.output_sections) {
    section_end[section.name] = section.address + section.size;
  }
  std::vector<std::pair<const MapInputSection*, std::uint64_t>> sizes;
  const auto& inputs = map.input_sections;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::uint64_t bytes = inputs[i].size;
    std::uint64_t limit = section_end.count(inputs[i].output_section)
                              ? section_end[inputs[i].output_section]
                              : inputs[i].address + bytes;
    for (std::size_t j = i + 1; j < inputs.size(); ++j) {
      if (inputs[j].output_section != inputs[i].output_section) break;
      if (inputs[j].size > 0 && inputs[j].address >= inputs[i].address) {
        limit = std::min(limit, inputs[j].address);
        break;
      }
    }
    if (limit >= inputs[i].address) bytes = std::min(bytes, limit - inputs[i].address);
    sizes.emplace_back(&inputs[i], bytes);
  }
  return sizes;
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
  for (const auto& [input, bytes] : effective_sizes(map)) {
    if (input->output_section == ".bss" && input->name.find(arena_symbol) != std::string::npos) {
      size.ram_arena += bytes;
    }
    if (!kFlashSections.count(input->output_section) || bytes == 0) continue;
    const Origin origin = origin_of(input->file, runtime);
    folders[origin.folder] += bytes;
    attributed += bytes;
    if (origin.folder == "firmware" && origin.object == model_object) {
      size.flash_model += bytes;
    } else if (under(origin.folder, "runtime/kernels")) {
      size.flash_kernels += bytes;
      if (origin.folder == "runtime/kernels") {
        kernels.insert(origin.object.substr(0, origin.object.size() - 4));  // drop ".obj"
      }
    } else if (under(origin.folder, "runtime")) {
      size.flash_runtime_core += bytes;
    } else {
      size.flash_other += bytes;
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
