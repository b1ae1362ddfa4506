// ONNX (as PyTorch exports it) to the float graph IR, written by tools/graph/tflite_io.h as a
// standard .tflite. NCHW becomes NHWC once, at the edges: the importer tracks how every tensor is
// stored (tools/onnx/layout.h) and permutes weights and axes instead of transposing activations.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::tools {

struct OnnxImportOptions {
  // Model inputs of rank 3 or 4 are taken channels-last (NWC, NHWC) instead of as ONNX declares
  // them (NCW, NCHW), so no TRANSPOSE follows them.
  bool nhwc_input = false;
  // Model outputs of rank 3 or 4 are given channels-last, so no TRANSPOSE precedes them.
  bool nhwc_output = false;
};

struct OnnxImportSummary {
  std::string producer;  // "pytorch 1.13.0"
  std::int64_t opset = 0;
  std::size_t onnx_nodes = 0;
  std::map<std::string, int> ops;  // TFLite ops by name, in the imported graph
  int transposes = 0;              // TRANSPOSE ops the layout change needed, of which
  int transposes_at_inputs = 0;    //   read a model input (through RESHAPEs only),
  int transposes_at_outputs = 0;   //   make a model output (through RESHAPEs only),
  int transposes_inside = 0;       //   neither (a layout the importer could not carry through)
  std::int64_t parameters = 0;     // float constants' elements (weights, biases)
  int batch_norms = 0;             // BatchNormalization nodes (converted to MUL + ADD first)
  int affine_folded = 0;           // MUL/ADD/SUB by constants folded into a conv or dense op
  int activations_fused = 0;       // RELU-family ops fused into the op before them
  int nodes_dropped = 0;           // Dropout and Identity nodes
  int nodes_folded = 0;            // nodes evaluated at import time (shape arithmetic, constants)
  std::vector<std::string> notes;  // decisions a user may want to know about
};

// Imports ONNX model bytes; `what` names them in errors. Throws std::runtime_error naming the
// problem: every unsupported op at once with the nodes that use it, dynamic shapes with how to
// export fixed ones, a malformed file.
Graph import_onnx(std::span<const std::uint8_t> bytes, const std::string& what,
                  const OnnxImportOptions& options = {}, OnnxImportSummary* summary = nullptr);

// Reads and imports an .onnx file.
Graph import_onnx_file(const std::filesystem::path& path, const OnnxImportOptions& options = {},
                       OnnxImportSummary* summary = nullptr);

}  // namespace mote::tools
