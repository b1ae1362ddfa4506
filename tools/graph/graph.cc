#include "tools/graph/graph.h"

#include <algorithm>

#include "runtime/model/model.h"

namespace mote::tools {

QuantParams per_tensor(float scale, std::int64_t zero_point) {
  QuantParams q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

std::size_t GraphTensor::elements() const {
  std::size_t n = 1;
  for (std::int32_t d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

std::int32_t Graph::add_tensor(GraphTensor tensor) {
  tensors.push_back(std::move(tensor));
  return static_cast<std::int32_t>(tensors.size() - 1);
}

std::optional<std::size_t> Graph::producer(std::int32_t t) const {
  for (std::size_t o = 0; o < ops.size(); ++o) {
    if (std::find(ops[o].outputs.begin(), ops[o].outputs.end(), t) != ops[o].outputs.end())
      return o;
  }
  return std::nullopt;
}

std::vector<std::size_t> Graph::consumers(std::int32_t t) const {
  std::vector<std::size_t> result;
  for (std::size_t o = 0; o < ops.size(); ++o) {
    if (std::find(ops[o].inputs.begin(), ops[o].inputs.end(), t) != ops[o].inputs.end()) {
      result.push_back(o);
    }
  }
  return result;
}

void Graph::remove_unused_tensors() {
  std::vector<bool> used(tensors.size(), false);
  auto mark = [&](const std::vector<std::int32_t>& list) {
    for (std::int32_t t : list) {
      if (t >= 0) used[static_cast<std::size_t>(t)] = true;
    }
  };
  mark(inputs);
  mark(outputs);
  for (const GraphOp& op : ops) {
    mark(op.inputs);
    mark(op.outputs);
    mark(op.intermediates);
  }
  std::vector<std::int32_t> renumber(tensors.size(), -1);
  std::vector<GraphTensor> kept;
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    if (!used[t]) continue;
    renumber[t] = static_cast<std::int32_t>(kept.size());
    kept.push_back(std::move(tensors[t]));
  }
  tensors = std::move(kept);
  auto apply = [&](std::vector<std::int32_t>& list) {
    for (std::int32_t& t : list) {
      if (t >= 0) t = renumber[static_cast<std::size_t>(t)];
    }
  };
  apply(inputs);
  apply(outputs);
  for (GraphOp& op : ops) {
    apply(op.inputs);
    apply(op.outputs);
    apply(op.intermediates);
  }
}

std::string op_name(const GraphOp& op) {
  if (op.code == tflite::BuiltinOperator::CUSTOM) return op.custom_code;
  return builtin_op_name(op.code);
}

}  // namespace mote::tools
