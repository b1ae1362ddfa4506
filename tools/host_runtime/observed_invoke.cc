#include "tools/host_runtime/observed_invoke.h"

#include <stdexcept>
#include <vector>

namespace mote::tools {
namespace {

struct ObserverState {
  const OpCallback* callback;
  std::exception_ptr error;  // an exception may not cross the runtime's C-style callback
};

void trampoline(void* user, std::uint32_t op_index) {
  auto* state = static_cast<ObserverState*>(user);
  if (state->error) return;
  try {
    (*state->callback)(op_index);
  } catch (...) {
    state->error = std::current_exception();
  }
}

}  // namespace

void invoke_observed(HostInterpreter& host, const OpCallback& after_op) {
  ObserverState state{&after_op, nullptr};
  Interpreter& interpreter = host.interpreter();
  interpreter.set_op_observer(&trampoline, &state);
  try {
    host.invoke();
  } catch (...) {
    interpreter.set_op_observer(nullptr, nullptr);
    throw;
  }
  interpreter.set_op_observer(nullptr, nullptr);
  if (state.error) std::rethrow_exception(state.error);
}

std::vector<std::int32_t> op_outputs(const Model& model, std::uint32_t op_index) {
  std::vector<std::int32_t> result;
  const auto* outputs = model.op(op_index).outputs();
  if (outputs == nullptr) return result;
  for (std::uint32_t i = 0; i < outputs->size(); ++i) {
    if (outputs->Get(i) >= 0) result.push_back(outputs->Get(i));
  }
  return result;
}

std::span<const float> float_values(const Tensor& t) {
  if (t.type != TensorType::FLOAT32 || t.data == nullptr) return {};
  return {static_cast<const float*>(t.data), t.elements};
}

}  // namespace mote::tools
