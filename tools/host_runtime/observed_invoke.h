// Runs a model with a callback after every op, the only moment at which an intermediate tensor's
// bytes are certain to be its own: the planner lets later tensors reuse them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "runtime/interpreter/interpreter.h"
#include "tools/host_runtime/host_interpreter.h"

namespace mote::tools {

// Called with the index of the op that has just run; read its outputs (or variable tensors) from
// the interpreter now.
using OpCallback = std::function<void(std::uint32_t op_index)>;

// Invokes `host` once with `after_op` called after each op; throws with the runtime's message when
// the invoke fails. The observer is removed again before returning.
void invoke_observed(HostInterpreter& host, const OpCallback& after_op);

// The output tensor indices of op `op_index` of `model` (absent outputs skipped).
std::vector<std::int32_t> op_outputs(const Model& model, std::uint32_t op_index);

// The values of a float32 tensor of the running interpreter (empty for other types).
std::span<const float> float_values(const Tensor& t);

}  // namespace mote::tools
