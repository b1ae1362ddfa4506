// The float model a user brings, whatever its format: .tflite today, .onnx through the ONNX
// importer (tools/onnx) once it is part of the build.
#pragma once

#include <filesystem>

#include "tools/graph/graph.h"

namespace mote::tools {

// Reads a float model by its extension (.tflite, or .onnx converted to the graph IR). Throws
// naming the file and the formats mote reads.
Graph load_float_model(const std::filesystem::path& path);

}  // namespace mote::tools
