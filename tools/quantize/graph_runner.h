// Runs a Graph through the runtime's own kernels (written as .tflite, loaded by the runtime's
// reader, allocated in an exactly sized arena): the host's only executor, float or integer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/host_runtime/observed_invoke.h"

namespace mote::tools {

class GraphRunner {
 public:
  // Serialises and allocates `graph`; throws with the runtime's message when it cannot run.
  explicit GraphRunner(const Graph& graph, const std::string& what = "the model");
  // Runs an existing .tflite.
  explicit GraphRunner(std::unique_ptr<LoadedModel> model);

  HostInterpreter& host() { return *host_; }
  Interpreter& interpreter() { return host_->interpreter(); }
  const Model& model() const { return loaded_->model(); }

  // Sets variable tensors back to zero, so that every sample starts from the same state.
  void reset_state();
  // Copies raw bytes into input `i`.
  void set_input_bytes(std::uint32_t i, std::span<const std::uint8_t> bytes);
  // Sets input `i` from real values: copied for float32 inputs, quantized with the input's
  // parameters for int8/int16 inputs (as the runtime's QUANTIZE kernel would).
  void set_input_values(std::uint32_t i, std::span<const float> values);
  // Runs once; `after_op`, when given, is called after every op.
  void invoke(const OpCallback& after_op = {});
  // Output `i` as real values (dequantized for integer outputs).
  std::vector<float> output_values(std::uint32_t i) const;

 private:
  std::unique_ptr<LoadedModel> loaded_;
  std::unique_ptr<HostInterpreter> host_;
};

// Real values of a tensor of a running interpreter: float32 copied, int8/int16/int32 dequantized
// with its (per-tensor) parameters. Throws for other types or unquantized integers.
std::vector<float> tensor_real_values(const Tensor& t);

}  // namespace mote::tools
