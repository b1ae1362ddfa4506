// .tflite files to and from the graph IR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

// Parses a .tflite model (verified first by the runtime's own reader, so a file that the device
// would refuse is refused here with the same message). Throws std::runtime_error.
Graph read_tflite(std::span<const std::uint8_t> bytes, const std::string& what);
Graph read_tflite_file(const std::filesystem::path& path);

// Serialises `graph` as a standard TFLite flatbuffer (schema version 3, identifier "TFL3").
// Constant tensors with identical bytes share one buffer. The result is verified by the runtime's
// reader before it is returned.
std::vector<std::uint8_t> write_tflite(const Graph& graph);
void write_tflite_file(const Graph& graph, const std::filesystem::path& path);

}  // namespace mote::tools
