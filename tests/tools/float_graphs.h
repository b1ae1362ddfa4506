// Small float graphs for quantizer and evaluation tests, built directly in the IR with seeded
// random weights.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/quantize/representative_data.h"

namespace mote::testing {

class GraphMaker {
 public:
  explicit GraphMaker(std::uint32_t seed = 1) : rng_(seed) {}

  // A float activation tensor.
  std::int32_t activation(std::vector<std::int32_t> shape, const std::string& name = "");
  // A float constant with values uniform in [lo, hi].
  std::int32_t weights(std::vector<std::int32_t> shape, float lo, float hi,
                       const std::string& name = "");
  // A constant with given values.
  std::int32_t floats(std::vector<std::int32_t> shape, const std::vector<float>& values);
  std::int32_t ints(std::vector<std::int32_t> shape, const std::vector<std::int32_t>& values);
  // An op; returns its (first) output.
  template <typename Options>
  void op(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
          std::vector<std::int32_t> outputs, Options options) {
    tools::GraphOp o;
    o.code = code;
    o.inputs = std::move(inputs);
    o.outputs = std::move(outputs);
    o.options.Set(std::move(options));
    graph.ops.push_back(std::move(o));
  }
  void op(tflite::BuiltinOperator code, std::vector<std::int32_t> inputs,
          std::vector<std::int32_t> outputs);

  tools::Graph graph;

 private:
  std::mt19937 rng_;
};

// input [1,8,8,3] -> CONV_2D(4, 3x3, relu) -> DEPTHWISE_CONV_2D(relu6) -> MAX_POOL_2D -> ADD (with
// a CONV 1x1 branch) -> LEAKY_RELU -> PAD -> AVERAGE_POOL_2D -> CONCATENATION (with MUL, SUB and
// HARD_SWISH branches) -> MEAN -> RESHAPE -> FULLY_CONNECTED(10) -> SOFTMAX, plus TRANSPOSE_CONV,
// STRIDED_SLICE, TRANSPOSE, SQUEEZE, EXPAND_DIMS side paths: every op mote quantizes except the
// recurrent and table ones. `int16_compatible` leaves out HARD_SWISH (no 16x8 kernel).
tools::Graph op_zoo_graph(bool int16_compatible = false);

// A small classifier: input [1,6] -> FC(12, relu) -> FC(4) -> SOFTMAX.
tools::Graph small_classifier();

// `count` samples of uniform values in [lo, hi] for every input of `graph`.
tools::SampleSet uniform_samples(const tools::Graph& graph, std::size_t count, float lo, float hi,
                                 std::uint32_t seed = 7);

}  // namespace mote::testing
