// Runs an exported phase model (.tflite bytes) through the runtime on windows, with the input
// quantized and the output dequantized as apps/seismic/model_source.cc does on the node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {

class PhaseModelRunner {
 public:
  // Verifies and allocates the model (exact arena); throws on refusal or when its input is not
  // float32/int8 or its output not float32/int8 of three probabilities.
  PhaseModelRunner(std::span<const std::uint8_t> bytes, const std::string& what);

  // Probabilities [n][3] for `count` windows of `floats_per_window` values each.
  std::vector<float> run(std::span<const float> windows, std::size_t count);

  std::size_t arena_bytes() const { return interpreter_->arena_bytes(); }
  std::size_t input_elements() const { return input_elements_; }
  TensorType input_type() const { return interpreter_->interpreter().input(0).type; }
  TensorType output_type() const { return interpreter_->interpreter().output(0).type; }
  const Model& model() const { return model_->model(); }

 private:
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<HostInterpreter> interpreter_;
  std::size_t input_elements_ = 0;
};

}  // namespace mote::tools
