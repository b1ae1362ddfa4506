#include "runtime/model/model.h"

#include <cstring>

#include "runtime/model/model_checks.h"

namespace mote {

Status Model::load(const void* data, size_t size, const ErrorReporter* reporter, Model* out) {
  if (data == nullptr || out == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "Model::load: null %s",
                        data == nullptr ? "model data" : "output model");
  }
  if ((reinterpret_cast<uintptr_t>(data) & 15u) != 0) {
    return report_error(reporter, Status::kInvalidArgument,
                        "model data is not 16-byte aligned; declare the array alignas(16)");
  }
  const auto* bytes = static_cast<const uint8_t*>(data);
  MOTE_RETURN_IF_ERROR(check_model_structure(bytes, size, reporter));
  const tflite::Model* model = tflite::GetModel(bytes);
  MOTE_RETURN_IF_ERROR(check_model_semantics(*model, reporter));

  out->data_ = bytes;
  out->size_ = size;
  out->model_ = model;
  out->graph_ = model->subgraphs()->Get(0);
  out->ops_ = out->graph_->operators();
  return Status::kOk;
}

BuiltinOperator Model::op_code(uint32_t index) const {
  return effective_builtin_code(*model_->operator_codes()->Get(op(index).opcode_index()));
}

const char* Model::op_custom_code(uint32_t index) const {
  const tflite::OperatorCode& code = *model_->operator_codes()->Get(op(index).opcode_index());
  if (effective_builtin_code(code) != BuiltinOperator::CUSTOM) return nullptr;
  return code.custom_code() == nullptr ? "" : code.custom_code()->c_str();
}

int Model::op_version(uint32_t index) const {
  return model_->operator_codes()->Get(op(index).opcode_index())->version();
}

uint32_t Model::tensor_elements(uint32_t index) const {
  return shape_elements(tensor(index).shape());
}

uint32_t Model::tensor_bytes(uint32_t index) const {
  const tflite::Tensor& t = tensor(index);
  return tensor_elements(index) * static_cast<uint32_t>(tensor_type_size(t.type()));
}

const uint8_t* Model::constant_data(uint32_t index) const {
  const tflite::Tensor& t = tensor(index);
  // A variable's buffer, if any, is an initial value that TFLM ignores too: variables live in
  // the arena and start at zero.
  if (t.is_variable()) return nullptr;
  const tflite::Buffer* buffer = model_->buffers()->Get(t.buffer());
  if (buffer->data() == nullptr || buffer->data()->size() == 0) return nullptr;
  return buffer->data()->data();
}

bool Model::is_model_input(int32_t index) const {
  for (uint32_t i = 0; i < num_inputs(); ++i) {
    if (input_tensor(i) == index) return true;
  }
  return false;
}

bool Model::is_model_output(int32_t index) const {
  for (uint32_t i = 0; i < num_outputs(); ++i) {
    if (output_tensor(i) == index) return true;
  }
  return false;
}

const char* builtin_op_name(BuiltinOperator op) {
  const int code = static_cast<int>(op);
  if (code < static_cast<int>(BuiltinOperator::MIN) ||
      code > static_cast<int>(BuiltinOperator::MAX)) {
    return "UNKNOWN";
  }
  const char* name = tflite::EnumNameBuiltinOperator(op);
  return (name == nullptr || name[0] == '\0') ? "UNKNOWN" : name;
}

}  // namespace mote
