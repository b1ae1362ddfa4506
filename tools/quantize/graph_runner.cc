#include "tools/quantize/graph_runner.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "tools/graph/tflite_io.h"
#include "tools/quantize/quant_params.h"

namespace mote::tools {
namespace {

QuantParams params_of(const Tensor& t) {
  QuantParams q;
  for (std::uint32_t c = 0; c < t.num_scales; ++c) {
    q.scale.push_back(t.scales[c]);
    q.zero_point.push_back(t.zero_points[c]);
  }
  q.axis = t.quantized_dimension;
  return q;
}

}  // namespace

GraphRunner::GraphRunner(const Graph& graph, const std::string& what) {
  const std::vector<std::uint8_t> bytes = write_tflite(graph);
  loaded_ = LoadedModel::from_bytes(bytes, what);
  host_ = std::make_unique<HostInterpreter>(*loaded_);
}

GraphRunner::GraphRunner(std::unique_ptr<LoadedModel> model) : loaded_(std::move(model)) {
  host_ = std::make_unique<HostInterpreter>(*loaded_);
}

void GraphRunner::reset_state() {
  if (interpreter().reset_variables() != Status::kOk) {
    throw std::runtime_error(host_->errors().last("cannot reset variable tensors"));
  }
}

void GraphRunner::set_input_bytes(std::uint32_t i, std::span<const std::uint8_t> bytes) {
  host_->set_input(i, bytes);
}

void GraphRunner::set_input_values(std::uint32_t i, std::span<const float> values) {
  const Tensor t = interpreter().input(i);
  if (values.size() != t.elements) {
    throw std::runtime_error("input " + std::to_string(i) + " has " + std::to_string(t.elements) +
                             " elements; the sample has " + std::to_string(values.size()));
  }
  if (t.type == TensorType::FLOAT32) {
    host_->set_input(i,
                     {reinterpret_cast<const std::uint8_t*>(values.data()), values.size_bytes()});
    return;
  }
  if (t.num_scales != 1) {
    throw std::runtime_error(std::string("input ") + std::to_string(i) + " is " +
                             tensor_type_name(t.type) +
                             " without per-tensor quantization; real values cannot be fed to it");
  }
  const std::vector<std::uint8_t> bytes = quantize_values(values, params_of(t), t.type);
  host_->set_input(i, bytes);
}

void GraphRunner::invoke(const OpCallback& after_op) {
  if (after_op) {
    invoke_observed(*host_, after_op);
  } else {
    host_->invoke();
  }
}

std::vector<float> GraphRunner::output_values(std::uint32_t i) const {
  return tensor_real_values(host_->interpreter().output(i));
}

std::vector<float> tensor_real_values(const Tensor& t) {
  if (t.data == nullptr) throw std::runtime_error("tensor has no data");
  if (t.type == TensorType::FLOAT32) {
    std::vector<float> values(t.elements);
    if (t.elements != 0) std::memcpy(values.data(), t.data, t.bytes);
    return values;
  }
  if (t.num_scales == 0) {
    throw std::runtime_error(std::string("tensor '") + t.name + "' is " + tensor_type_name(t.type) +
                             " without quantization parameters");
  }
  const std::vector<std::int32_t> shape(t.dims, t.dims + t.rank);
  return dequantize_values({static_cast<const std::uint8_t*>(t.data), t.bytes}, t.type,
                           params_of(t), shape);
}

}  // namespace mote::tools
