#include "tools/quantize/float_model.h"

#include <stdexcept>
#include <string>

#include "tools/graph/tflite_io.h"

namespace mote::tools {

Graph load_float_model(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".tflite") return read_tflite_file(path);
  if (ext == ".onnx") {
    // The ONNX importer (issue 4, tools/onnx: Graph import_onnx(...)) plugs in here.
    throw std::runtime_error(path.string() +
                             ": this build of mote has no ONNX importer yet (tools/onnx); export "
                             "the model to .tflite, or use a build that includes it");
  }
  throw std::runtime_error(path.string() + ": unknown model format '" + ext +
                           "'; mote reads .tflite (and .onnx with the ONNX importer)");
}

}  // namespace mote::tools
