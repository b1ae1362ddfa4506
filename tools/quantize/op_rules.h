// How each op is quantized, after TensorFlow Lite's converter and the mote runtime's integer
// kernels: which inputs are weights (and along which axis they are per channel), which are
// biases, which tensors must share one set of parameters, which outputs have fixed parameters,
// and the op version the converter writes for the integer op.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/tensor_type.h"
#include "tools/graph/graph.h"

namespace mote::tools {

struct WeightInput {
  int input = 0;
  std::optional<int> axis;  // per-channel axis; none for per-tensor weights
};

struct BiasInput {
  int input = 0;       // the bias
  int activation = 0;  // the input whose scale multiplies the weights'
  int weights = 0;     // the weights input
};

struct OpRule {
  bool int8 = false;   // the runtime has an int8 kernel for it
  bool int16 = false;  // ... and a 16x8 (int16 activations) kernel
  std::vector<WeightInput> weights;
  std::vector<BiasInput> biases;
  // Inputs that must share output 0's parameters (TFLite's same-scale ops: the kernel copies or
  // compares values without requantizing).
  std::vector<int> same_as_output;
  // Output 0's parameters are fixed by the kernel (softmax, logistic, tanh).
  bool fixed_output = false;
  bool lstm = false;  // UNIDIRECTIONAL_SEQUENCE_LSTM: handled with its own conventions
};

struct RuleOptions {
  // FULLY_CONNECTED weights per output channel (axis 0) instead of per tensor. The converter
  // quantizes dense layers per tensor (hello_world_int8, trained_lstm_int8).
  bool per_channel_dense = false;
};

// The rule for `op`; nullopt when mote cannot quantize it.
std::optional<OpRule> op_rule(const GraphOp& op, const RuleOptions& options = {});

// The fixed output parameters of a fixed-output op for `type` (int8 or int16).
QuantParams fixed_output_params(tflite::BuiltinOperator code, TensorType type);

// The version TFLite's converter writes for `op` once quantized (tensor types read from
// `graph`), never below the op's current version.
int quantized_op_version(const GraphOp& op, const Graph& graph);

}  // namespace mote::tools
