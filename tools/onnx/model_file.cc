#include "tools/onnx/model_file.h"

#include <stdexcept>
#include <string>

#include "tools/graph/tflite_io.h"
#include "tools/io/file_io.h"
#include "tools/onnx/onnx_import.h"

namespace mote::tools {

Graph load_float_model(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".tflite") return read_tflite_file(path);
  if (ext == ".onnx") {
    const AlignedBuffer bytes = read_file(path);
    return import_onnx(bytes.bytes(), path.string());
  }
  throw std::runtime_error(path.string() + ": unknown model format '" + ext +
                           "'; mote reads .tflite and .onnx");
}

}  // namespace mote::tools
