#include "runtime/core/tensor_type.h"

namespace mote {

size_t tensor_type_size(TensorType type) {
  switch (type) {
    case TensorType::FLOAT32:
    case TensorType::INT32:
    case TensorType::UINT32:
      return 4;
    case TensorType::INT16:
    case TensorType::UINT16:
    case TensorType::FLOAT16:
    case TensorType::BFLOAT16:
      return 2;
    case TensorType::INT8:
    case TensorType::UINT8:
    case TensorType::BOOL:
      return 1;
    case TensorType::INT64:
    case TensorType::UINT64:
    case TensorType::FLOAT64:
    case TensorType::COMPLEX64:
      return 8;
    default:
      return 0;
  }
}

const char* tensor_type_name(TensorType type) {
  switch (type) {
    case TensorType::FLOAT32:
      return "float32";
    case TensorType::FLOAT16:
      return "float16";
    case TensorType::INT32:
      return "int32";
    case TensorType::UINT8:
      return "uint8";
    case TensorType::INT64:
      return "int64";
    case TensorType::STRING:
      return "string";
    case TensorType::BOOL:
      return "bool";
    case TensorType::INT16:
      return "int16";
    case TensorType::COMPLEX64:
      return "complex64";
    case TensorType::INT8:
      return "int8";
    case TensorType::FLOAT64:
      return "float64";
    case TensorType::COMPLEX128:
      return "complex128";
    case TensorType::UINT64:
      return "uint64";
    case TensorType::RESOURCE:
      return "resource";
    case TensorType::VARIANT:
      return "variant";
    case TensorType::UINT32:
      return "uint32";
    case TensorType::UINT16:
      return "uint16";
    case TensorType::INT4:
      return "int4";
    case TensorType::BFLOAT16:
      return "bfloat16";
  }
  return "unknown";
}

}  // namespace mote
