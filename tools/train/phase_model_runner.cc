#include "tools/train/phase_model_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace mote::tools {

PhaseModelRunner::PhaseModelRunner(std::span<const std::uint8_t> bytes, const std::string& what)
    : model_(LoadedModel::from_bytes(bytes, what)),
      interpreter_(std::make_unique<HostInterpreter>(*model_)) {
  const Tensor in = interpreter_->interpreter().input(0);
  const Tensor out = interpreter_->interpreter().output(0);
  const auto quantized = [](const Tensor& t) {
    return t.type == TensorType::INT8 && t.num_scales == 1 && t.scale() > 0.0f;
  };
  if (!(in.type == TensorType::FLOAT32 || quantized(in))) {
    throw std::runtime_error(what + ": input 0 must be float32 or per-tensor int8");
  }
  if (!(out.type == TensorType::FLOAT32 || quantized(out)) || out.elements != 3) {
    throw std::runtime_error(what + ": output 0 must be 3 float32 or per-tensor int8 values");
  }
  input_elements_ = in.elements;
}

std::vector<float> PhaseModelRunner::run(std::span<const float> windows, std::size_t count) {
  if (windows.size() != count * input_elements_) {
    throw std::invalid_argument("phase model runner: window data does not match the input size");
  }
  Interpreter& interpreter = interpreter_->interpreter();
  const Tensor in = interpreter.input(0);
  const Tensor out = interpreter.output(0);
  std::vector<float> probabilities;
  probabilities.reserve(count * 3);
  std::vector<std::int8_t> quantized(input_elements_);
  for (std::size_t n = 0; n < count; ++n) {
    const float* x = windows.data() + n * input_elements_;
    if (in.type == TensorType::FLOAT32) {
      std::memcpy(in.data, x, input_elements_ * sizeof(float));
    } else {
      // round(x / scale) + zero_point, clamped: the node's ModelSource quantizes so.
      const float scale = in.scale();
      const auto zero_point = static_cast<std::int32_t>(in.zero_points[0]);
      for (std::size_t i = 0; i < input_elements_; ++i) {
        const std::int32_t q = static_cast<std::int32_t>(std::round(x[i] / scale)) + zero_point;
        quantized[i] = static_cast<std::int8_t>(std::clamp(q, -128, 127));
      }
      std::memcpy(in.data, quantized.data(), quantized.size());
    }
    interpreter_->invoke();
    for (std::uint32_t c = 0; c < 3; ++c) {
      if (out.type == TensorType::FLOAT32) {
        probabilities.push_back(static_cast<const float*>(out.data)[c]);
      } else {
        const std::int32_t q = static_cast<const std::int8_t*>(out.data)[c];
        probabilities.push_back(static_cast<float>(q - out.zero_points[0]) * out.scale());
      }
    }
  }
  return probabilities;
}

}  // namespace mote::tools
