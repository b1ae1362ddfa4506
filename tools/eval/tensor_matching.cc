#include "tools/eval/tensor_matching.h"

#include <map>
#include <optional>

namespace mote::tools {
namespace {

using Op = tflite::BuiltinOperator;

bool is_float_activation(const GraphTensor& t) {
  return t.type == TensorType::FLOAT32 && !t.is_constant() && !t.is_variable;
}

bool is_quantized_activation(const GraphTensor& t) {
  return (t.type == TensorType::INT8 || t.type == TensorType::INT16) && t.quant.quantized() &&
         t.quant.scale.size() == 1 && !t.is_constant() && !t.is_variable && !t.shape.empty() &&
         t.elements() > 0;
}

std::string without_suffix(const std::string& name) {
  for (const char* suffix : {"_int8", "_int16"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      return name.substr(0, name.size() - s.size());
    }
  }
  return name;
}

// The ops that compute something in both models: QUANTIZE/DEQUANTIZE only convert at the edges.
std::vector<std::size_t> computing_ops(const Graph& g) {
  std::vector<std::size_t> ops;
  for (std::size_t o = 0; o < g.ops.size(); ++o) {
    if (g.ops[o].code != Op::QUANTIZE && g.ops[o].code != Op::DEQUANTIZE) ops.push_back(o);
  }
  return ops;
}

}  // namespace

std::vector<TensorMatch> match_tensors(const Graph& reference, const Graph& candidate) {
  std::multimap<std::string, std::int32_t> by_name;
  for (std::size_t t = 0; t < reference.tensors.size(); ++t) {
    const GraphTensor& r = reference.tensors[t];
    if (is_float_activation(r)) by_name.emplace(r.name, static_cast<std::int32_t>(t));
  }
  std::vector<std::optional<TensorMatch>> found(candidate.tensors.size());
  for (std::size_t t = 0; t < candidate.tensors.size(); ++t) {
    const GraphTensor& c = candidate.tensors[t];
    if (!is_quantized_activation(c)) continue;
    for (const std::string& name : {c.name, without_suffix(c.name)}) {
      if (by_name.count(name) != 1) continue;  // absent or ambiguous
      const std::int32_t r = by_name.find(name)->second;
      if (reference.tensors[static_cast<std::size_t>(r)].elements() != c.elements()) continue;
      found[t] = TensorMatch{r, static_cast<std::int32_t>(t), true};
      break;
    }
  }

  // Position: the k-th computing op's outputs, and the model inputs in order.
  const auto ref_ops = computing_ops(reference);
  const auto cand_ops = computing_ops(candidate);
  bool same_ops = ref_ops.size() == cand_ops.size();
  for (std::size_t k = 0; same_ops && k < ref_ops.size(); ++k) {
    same_ops =
        reference.ops[ref_ops[k]].code == candidate.ops[cand_ops[k]].code &&
        reference.ops[ref_ops[k]].outputs.size() == candidate.ops[cand_ops[k]].outputs.size();
  }
  auto try_pair = [&](std::int32_t r, std::int32_t c) {
    if (r < 0 || c < 0) return;
    const GraphTensor& rt = reference.tensors[static_cast<std::size_t>(r)];
    const GraphTensor& ct = candidate.tensors[static_cast<std::size_t>(c)];
    if (found[static_cast<std::size_t>(c)] || !is_quantized_activation(ct) ||
        !is_float_activation(rt) || rt.elements() != ct.elements()) {
      return;
    }
    found[static_cast<std::size_t>(c)] = TensorMatch{r, c, false};
  };
  if (same_ops) {
    for (std::size_t k = 0; k < ref_ops.size(); ++k) {
      const GraphOp& ro = reference.ops[ref_ops[k]];
      const GraphOp& co = candidate.ops[cand_ops[k]];
      for (std::size_t i = 0; i < ro.outputs.size(); ++i) try_pair(ro.outputs[i], co.outputs[i]);
      // The first computing op's data input (after a QUANTIZE edge, the int8 copy).
      try_pair(ro.input(0), co.input(0));
    }
  }
  std::vector<TensorMatch> matches;
  for (const auto& m : found) {
    if (m) matches.push_back(*m);
  }
  return matches;
}

}  // namespace mote::tools
