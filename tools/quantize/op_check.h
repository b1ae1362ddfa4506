// Checks a quantized model op by op, as the runtime runs it: each op's integer output, read
// right after the op inside the whole model, must
//   (1) equal byte for byte the output of that op run alone on the same integer inputs (the
//       whole-model run is exactly the composition of its ops: no memory-plan or wiring error),
//   (2) lie within a few output steps of the op's float computation on the dequantized op —
//       inputs, weights and biases dequantized, run by the runtime's float kernel — once
//       clamped to the output's representable range (the integer parameters implement the
//       real-valued op they stand for).
// (2) compares two independent code paths (integer and float kernels) with a bound from
// quantization arithmetic, so it is not circular.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/quantize/calibrator.h"
#include "tools/quantize/representative_data.h"

namespace mote::tools {

struct OpCheck {
  std::size_t op = 0;
  std::string name;                // "FULLY_CONNECTED"
  std::string output;              // name of the output checked
  bool isolated_identical = true;  // (1) held for every sample
  double max_error_steps = 0.0;    // (2) largest |integer - float| in output quantization steps
  double tolerance_steps = 0.0;    // what (2) allows for this op
  std::uint64_t values = 0;
  bool checked_against_float = true;  // false where no float twin exists (recurrent ops)

  bool ok() const {
    return isolated_identical && (!checked_against_float || max_error_steps <= tolerance_steps);
  }
};

// The steps (2) allows for an op: 1 for ops whose integer kernel rounds once or twice
// (convolutions, dense, add, pooling...), more for the fixed-point approximations of softmax,
// logistic, tanh and hard-swish.
double op_check_tolerance(tflite::BuiltinOperator code, TensorType output_type);

// A model of op `op_index` of `graph` alone: its non-constant inputs become model inputs, its
// outputs model outputs. With `dequantized`, every quantized tensor becomes float32 holding its
// real values (an unquantized twin of the op).
Graph single_op_graph(const Graph& graph, std::size_t op_index, bool dequantized);

// Runs the checks on the first `max_samples` samples (all when 0) of `data`.
std::vector<OpCheck> check_quantized_ops(const Graph& quantized, const SampleSet& data,
                                         std::size_t max_samples = 0,
                                         const ProgressFn& progress = {});

}  // namespace mote::tools
