#include "cli/input_files.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "cli/tensor_format.h"
#include "runtime/interpreter/graph_state.h"
#include "tools/io/file_io.h"
#include "tools/io/npy.h"

namespace mote::cli {

bool is_npy(const std::string& path) { return std::filesystem::path(path).extension() == ".npy"; }

tools::AlignedBuffer load_input(const std::string& path, const Tensor& t, std::uint32_t i) {
  if (is_npy(path)) {
    tools::NpyArray array = tools::read_npy(path);
    if (array.type != t.type) {
      std::string hint;
      if (array.type == TensorType::FLOAT32 && t.num_scales == 1) {
        hint = fmt::format("; quantize it first: q = round(x / {:.9g}) + {}", t.scales[0],
                           t.zero_point());
      }
      throw std::runtime_error(
          fmt::format("input {} ({}): the file holds {}, the model input is {} {}{}", i, path,
                      tensor_type_name(array.type), tensor_type_name(t.type), shape_text(t), hint));
    }
    if (array.elements() != t.elements) {
      throw std::runtime_error(
          fmt::format("input {} ({}): the file holds {} elements, the model "
                      "input {} has {}",
                      i, path, array.elements(), shape_text(t), t.elements));
    }
    return std::move(array.data);
  }
  tools::AlignedBuffer bytes = tools::read_file(path);
  if (bytes.size() != t.bytes) {
    throw std::runtime_error(
        fmt::format("input {} ({}): the file has {} bytes, the model input "
                    "({} {}) needs {}",
                    i, path, bytes.size(), tensor_type_name(t.type), shape_text(t), t.bytes));
  }
  return bytes;
}

std::vector<std::vector<std::uint8_t>> load_model_inputs(const Model& model,
                                                         const std::vector<std::string>& paths) {
  if (paths.size() != model.num_inputs()) {
    throw std::runtime_error(
        fmt::format("the model has {} input(s); pass one --input FILE for each (got {})",
                    model.num_inputs(), paths.size()));
  }
  GraphState state;
  state.model = &model;
  std::vector<std::vector<std::uint8_t>> inputs;
  for (std::uint32_t i = 0; i < model.num_inputs(); ++i) {
    const tools::AlignedBuffer bytes =
        load_input(paths[i], tensor_view(state, model.input_tensor(i)), i);
    inputs.emplace_back(bytes.bytes().begin(), bytes.bytes().end());
  }
  return inputs;
}

}  // namespace mote::cli
