#include "tools/train/phase_net_spec.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tools/train/phase_graph.h"

namespace mote::tools {
namespace {

TEST(PhaseNetSpec, DefaultEndsEveryConvOnTheNewestSampleWithinTheMacBudget) {
  const PhaseNetSpec spec;
  EXPECT_EQ(conv_output_lengths(spec), (std::vector<int>{199, 98, 48, 23}));
  EXPECT_EQ(flattened_features(spec), 23 * 12);
  // 199*6*4*3 + 98*8*5*6 + 48*8*4*8 + 23*12*4*8 + 276*16 + 16*3
  EXPECT_EQ(phase_net_macs(spec), 14328u + 23520u + 12288u + 8832u + 4416u + 48u);
  EXPECT_LE(phase_net_macs(spec), 150'000u);
  EXPECT_EQ(phase_net_parameters(spec),
            6u * 13 + 8u * 31 + 8u * 33 + 12u * 33 + 16u * 277 + 3u * 17);
}

TEST(PhaseNetSpec, RefusesAConvThatWouldDropTheNewestSamples) {
  PhaseNetSpec spec;
  spec.convs = {{8, 5, 2}};  // (400 - 5) / 2 leaves the last sample out
  EXPECT_THROW(conv_output_lengths(spec), std::invalid_argument);
  spec.convs = {{8, 500, 1}};
  EXPECT_THROW(conv_output_lengths(spec), std::invalid_argument);
}

PhaseNetWeights counting_weights(const PhaseNetSpec& spec) {
  PhaseNetWeights w;
  w.spec = spec;
  int channels = spec.in_channels;
  float next = 0.0f;
  for (const ConvLayerSpec& c : spec.convs) {
    ConvWeights cw;
    cw.layer = c;
    cw.in_channels = channels;
    cw.weights.resize(static_cast<std::size_t>(c.out_channels * channels * c.kernel));
    for (float& v : cw.weights) v = next++;
    cw.bias.assign(static_cast<std::size_t>(c.out_channels), 0.5f);
    w.convs.push_back(cw);
    channels = c.out_channels;
  }
  int features = flattened_features(spec);
  for (std::size_t i = 0; i <= spec.hidden.size(); ++i) {
    DenseWeights d;
    d.in_features = features;
    d.out_features = i < spec.hidden.size() ? spec.hidden[i] : spec.classes;
    d.weights.assign(static_cast<std::size_t>(d.in_features * d.out_features), 0.25f);
    d.bias.assign(static_cast<std::size_t>(d.out_features), 0.0f);
    w.dense.push_back(d);
    features = d.out_features;
  }
  return w;
}

TEST(PhaseGraph, ConvWeightsBecomeOhwiAndTheContractShapesHold) {
  PhaseNetSpec spec;
  spec.window_samples = 10;
  spec.convs = {{2, 2, 2}};
  spec.hidden = {};
  const PhaseNetWeights w = counting_weights(spec);
  const Graph g = phase_net_graph(w);
  ASSERT_EQ(g.ops.size(), 4u);  // CONV_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX
  EXPECT_EQ(g.ops[0].code, tflite::BuiltinOperator::CONV_2D);
  EXPECT_EQ(g.ops[1].code, tflite::BuiltinOperator::RESHAPE);
  EXPECT_EQ(g.ops[2].code, tflite::BuiltinOperator::FULLY_CONNECTED);
  EXPECT_EQ(g.ops[3].code, tflite::BuiltinOperator::SOFTMAX);
  EXPECT_EQ(g.tensors[g.inputs[0]].shape, (std::vector<std::int32_t>{1, 1, 10, 3}));
  EXPECT_EQ(g.tensors[g.outputs[0]].shape, (std::vector<std::int32_t>{1, 3}));
  const GraphTensor& weights = g.tensors[g.ops[0].inputs[1]];
  EXPECT_EQ(weights.shape, (std::vector<std::int32_t>{2, 1, 2, 3}));
  // torch [o][i][k] = o*6 + i*2 + k; OHWI [o][0][k][i] holds it at (o*2 + k)*3 + i.
  const std::vector<float> v = tensor_values<float>(weights);
  EXPECT_EQ(v[(1 * 2 + 1) * 3 + 2], 1 * 6 + 2 * 2 + 1);
  EXPECT_EQ(v[(0 * 2 + 0) * 3 + 1], 2);
  EXPECT_EQ(g.tensors[g.ops[2].inputs[0]].shape, (std::vector<std::int32_t>{1, 5 * 2}));
}

TEST(PhaseGraph, RefusesWeightsThatDoNotMatchTheSpec) {
  PhaseNetWeights w = counting_weights(PhaseNetSpec{});
  w.dense.back().bias.pop_back();
  EXPECT_THROW(phase_net_graph(w), std::invalid_argument);
}

}  // namespace
}  // namespace mote::tools
