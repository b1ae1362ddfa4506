// The float model a user brings, whatever its format: .tflite as it is, .onnx through the ONNX
// importer. It lives with the importer, the top of the import stack, so that mote_tools needs no
// ONNX.
#pragma once

#include <filesystem>

#include "tools/graph/graph.h"

namespace mote::tools {

// Reads a float model by its extension (.tflite, or .onnx converted to the graph IR). Throws
// naming the file and the formats mote reads.
Graph load_float_model(const std::filesystem::path& path);

}  // namespace mote::tools
