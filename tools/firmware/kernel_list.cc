#include "tools/firmware/kernel_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "runtime/interpreter/all_ops_resolver.h"

namespace mote::tools {

std::vector<std::string> kernel_functions(const Model& model) {
  // The resolver with every kernel decides what exists; the function name is the op's name in
  // lower case (FULLY_CONNECTED -> kernels::fully_connected()), the convention of kernels.h.
  const AllOpsResolver all;
  std::vector<std::string> names;
  std::vector<std::string> missing;
  for (std::uint32_t o = 0; o < model.num_ops(); ++o) {
    const char* custom = model.op_custom_code(o);
    const std::string op_name = custom != nullptr ? std::string("custom op '") + custom + "'"
                                                  : std::string(builtin_op_name(model.op_code(o)));
    if (custom != nullptr || all.find(model.op_code(o), nullptr) < 0) {
      if (std::find(missing.begin(), missing.end(), op_name) == missing.end()) {
        missing.push_back(op_name);
      }
      continue;
    }
    std::string function = op_name;
    for (char& c : function) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(names.begin(), names.end(), function) == names.end()) names.push_back(function);
  }
  if (!missing.empty()) {
    throw std::runtime_error(
        fmt::format("the runtime has no kernel for {}", fmt::join(missing, ", ")));
  }
  return names;
}

RuntimeParts runtime_parts(const Model& model) {
  RuntimeParts parts{false, false, false};
  for (std::uint32_t o = 0; o < model.num_ops(); ++o) {
    const tflite::Operator& op = model.op(o);
    for (const auto* list : {op.inputs(), op.outputs()}) {
      if (list == nullptr) continue;
      for (const std::int32_t t : *list) {
        if (t < 0) continue;
        const TensorType type = model.tensor(static_cast<std::uint32_t>(t)).type();
        parts.float_kernels |= type == TensorType::FLOAT32;
        parts.int16_kernels |= type == TensorType::INT16;
      }
    }
  }
  for (std::uint32_t t = 0; t < model.num_tensors(); ++t) {
    parts.sparse_weights |= model.tensor(t).sparsity() != nullptr;
  }
  return parts;
}

}  // namespace mote::tools
