#include "runtime/interpreter/graph_state.h"

namespace mote {

Tensor tensor_view(const GraphState& state, int32_t index) {
  Tensor t;
  if (index < 0) return t;
  const Model& model = *state.model;
  const auto i = static_cast<uint32_t>(index);
  const tflite::Tensor& fb = model.tensor(i);
  t.index = index;
  t.type = fb.type();
  if (fb.shape() != nullptr) {
    t.rank = static_cast<int32_t>(fb.shape()->size());
    t.dims = fb.shape()->data();
  }
  t.elements = model.tensor_elements(i);
  t.bytes = model.tensor_bytes(i);
  const tflite::QuantizationParameters* q = fb.quantization();
  if (q != nullptr && q->scale() != nullptr && q->scale()->size() > 0) {
    t.num_scales = q->scale()->size();
    t.scales = q->scale()->data();
    t.zero_points = q->zero_point()->data();
    t.quantized_dimension = q->quantized_dimension();
  }
  const uint8_t* constant = model.constant_data(i);
  t.is_constant = constant != nullptr;
  t.is_variable = fb.is_variable();
  t.data = t.is_constant ? const_cast<uint8_t*>(constant) : state.tensor_data(index);
  if (fb.name() != nullptr) t.name = fb.name()->c_str();
  return t;
}

}  // namespace mote
