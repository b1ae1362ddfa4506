// Post-training quantization of a float graph: activations from calibrated ranges (int8
// asymmetric, or int16 symmetric for 16x8), weights symmetric int8 (per channel for
// convolutions), int32 (int64) biases, fixed parameters where kernels demand them, an int8 or
// float interface, and op versions as TensorFlow Lite's converter writes them. The result is a
// standard .tflite that the mote runtime (and TFLM) runs.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/quantize/calibrator.h"
#include "tools/quantize/op_rules.h"

namespace mote::tools {

struct QuantizeOptions {
  TensorType activations = TensorType::INT8;  // INT16: 16x8 (int16 activations, int8 weights)
  bool float_interface = false;  // keep float inputs/outputs with QUANTIZE/DEQUANTIZE at the edges
  RuleOptions rules;
  bool check_runtime = true;  // refuse a result that the mote runtime cannot allocate
};

// One ops mote cannot quantize, named for the error message.
struct UnsupportedOp {
  std::size_t index = 0;
  std::string op;      // "SVDF"
  std::string output;  // name of its first output
  std::string reason;
};

// Thrown when some ops cannot be quantized; lists all of them.
class UnsupportedOpsError : public std::runtime_error {
 public:
  explicit UnsupportedOpsError(std::vector<UnsupportedOp> ops);
  const std::vector<UnsupportedOp>& ops() const { return ops_; }

 private:
  std::vector<UnsupportedOp> ops_;
};

// Every op of `graph` that cannot be quantized with `options` (empty when all can).
std::vector<UnsupportedOp> unsupported_ops(const Graph& graph, const QuantizeOptions& options);

// What happened to one tensor of the float graph.
struct TensorQuantization {
  std::int32_t tensor = -1;  // index in the quantized graph
  std::string name;
  std::string role;  // "activation", "input", "output", "weights", "bias", "constant", "state"
  TensorType type = TensorType::FLOAT32;
  QuantParams params;
  bool has_range = false;
  RealRange observed;  // min/max over the calibration data
  RealRange chosen;    // the range the method chose (before sharing and fixed parameters)
  std::string rule;    // "calibrated", "fixed by SOFTMAX", "shared with ...", "per channel", ...
};

struct QuantizeReport {
  std::vector<TensorQuantization> tensors;
  std::vector<std::string> warnings;
  std::size_t arena_bytes = 0;  // when check_runtime: the exact arena of the result
};

struct QuantizedModel {
  Graph graph;
  QuantizeReport report;
};

// Quantizes `float_graph` with the ranges of `calibration` (made on the same graph). Throws
// UnsupportedOpsError listing every op it cannot quantize, std::runtime_error otherwise.
QuantizedModel quantize(const Graph& float_graph, const Calibration& calibration,
                        const QuantizeOptions& options);

}  // namespace mote::tools
