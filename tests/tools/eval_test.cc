// Evaluation: the metrics on hand-worked values, and the per-layer table on a small classifier —
// including a deliberately squeezed layer, which the table must single out.
#include "tools/eval/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/tools/float_graphs.h"
#include "tools/eval/metrics.h"
#include "tools/eval/tensor_matching.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/quantizer.h"

namespace mote::testing {
namespace {

using Op = tflite::BuiltinOperator;

TEST(Metrics, RocAucRanksWithTies) {
  const std::vector<std::uint8_t> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(tools::roc_auc(std::vector<double>{0.1, 0.2, 0.8, 0.9}, labels), 1.0);
  EXPECT_DOUBLE_EQ(tools::roc_auc(std::vector<double>{0.9, 0.8, 0.2, 0.1}, labels), 0.0);
  EXPECT_DOUBLE_EQ(tools::roc_auc(std::vector<double>{0.5, 0.5, 0.5, 0.5}, labels), 0.5);
  // One positive below one negative: 3 of 4 pairs ordered.
  EXPECT_DOUBLE_EQ(tools::roc_auc(std::vector<double>{0.1, 0.6, 0.5, 0.9}, labels), 0.75);
  EXPECT_TRUE(
      std::isnan(tools::roc_auc(std::vector<double>{0.1, 0.2}, std::vector<std::uint8_t>{1, 1})));
}

TEST(Metrics, SqnrAndErrors) {
  tools::SqnrAccumulator a;
  a.add(std::vector<float>{3.0f, 4.0f}, std::vector<float>{3.0f, 4.0f});
  EXPECT_TRUE(std::isinf(a.sqnr_db()));
  a.add(std::vector<float>{0.0f}, std::vector<float>{0.5f});
  // Signal 25, noise 0.25: 20 dB.
  EXPECT_NEAR(a.sqnr_db(), 20.0, 1e-9);
  EXPECT_DOUBLE_EQ(a.max_abs_error(), 0.5);
  EXPECT_NEAR(a.mean_abs_error(), 0.5 / 3.0, 1e-12);
  EXPECT_EQ(tools::argmax(std::vector<float>{1.0f, 3.0f, 3.0f, 2.0f}), 1u);
}

struct Fixture {
  tools::Graph float_graph = small_classifier();
  tools::SampleSet data = uniform_samples(float_graph, 200, -2.0f, 2.0f, 21);
  tools::Graph quantized;
  tools::Labels labels;

  Fixture() {
    const tools::Calibration c = tools::calibrate(float_graph, data, tools::RangeOptions{});
    quantized = tools::quantize(float_graph, c, tools::QuantizeOptions{}).graph;
    // Labels: the float model's own argmax, so the reference is right on every sample.
    tools::GraphRunner runner(float_graph);
    labels.column = "label";
    for (std::size_t n = 0; n < data.count; ++n) {
      runner.set_input_values(0, data.sample(0, n));
      runner.invoke();
      labels.values.push_back(static_cast<double>(tools::argmax(runner.output_values(0))));
    }
  }
};

const tools::LayerRow& row_named(const tools::EvalResult& r, const std::string& name) {
  for (const auto& row : r.layers) {
    if (row.name == name) return row;
  }
  throw std::runtime_error("no row " + name);
}

TEST(Evaluation, ClassifierAccuracyAgreementAndLayerTable) {
  Fixture f;
  const tools::EvalResult r =
      tools::evaluate(f.float_graph, f.quantized, f.data, f.labels, tools::EvalOptions{});
  EXPECT_EQ(r.task, tools::EvalTask::kClassification);
  EXPECT_EQ(r.samples, 200u);
  EXPECT_DOUBLE_EQ(r.reference_accuracy, 1.0);
  EXPECT_GE(r.candidate_accuracy, 0.95);
  EXPECT_DOUBLE_EQ(r.agreement, r.candidate_accuracy);
  EXPECT_GT(r.error.sqnr_db, 20.0);
  EXPECT_EQ(r.error.values, 800u);
  ASSERT_EQ(r.layers.size(), 4u);  // input, hidden, logits, probabilities
  for (const auto& row : r.layers) {
    EXPECT_TRUE(row.matched_by_name) << row.name;
    EXPECT_EQ(row.values, 200u * (row.name == "hidden" ? 12u : row.name == "features" ? 6u : 4u));
    EXPECT_GT(row.sqnr_db, 20.0) << row.name;
    // Calibrated on these very samples; only softmax's fixed range [0, 255/256] saturates.
    if (row.name != "probabilities") {
      EXPECT_EQ(row.clipped, 0.0) << row.name;
    }
  }
  EXPECT_EQ(r.unmatched, 0u);
  EXPECT_EQ(row_named(r, "hidden").op, "FULLY_CONNECTED");
  EXPECT_EQ(row_named(r, "features").op, "input");
}

TEST(Evaluation, TheLayerTableSinglesOutASqueezedLayer) {
  Fixture f;
  const tools::EvalResult good =
      tools::evaluate(f.float_graph, f.quantized, f.data, f.labels, tools::EvalOptions{});
  // Give the hidden layer a quarter of its calibrated range: most of its values now clip.
  tools::Graph squeezed = f.quantized;
  for (auto& t : squeezed.tensors) {
    if (t.name == "hidden") t.quant.scale[0] /= 4.0f;
  }
  const tools::EvalResult bad =
      tools::evaluate(f.float_graph, squeezed, f.data, f.labels, tools::EvalOptions{});
  EXPECT_GT(row_named(bad, "hidden").clipped, 0.1);
  EXPECT_LT(row_named(bad, "hidden").sqnr_db, row_named(good, "hidden").sqnr_db - 6.0);
  EXPECT_EQ(row_named(bad, "features").sqnr_db, row_named(good, "features").sqnr_db);
  EXPECT_EQ(row_named(bad, "features").clipped, 0.0);
  EXPECT_LT(bad.candidate_accuracy, good.candidate_accuracy);
  // Rows in execution order; the squeezed layer is the one whose cost (SQNR lost since its
  // inputs) stands out.
  ASSERT_EQ(bad.layers.size(), 4u);
  EXPECT_EQ(bad.layers[0].name, "features");
  EXPECT_EQ(bad.layers[1].name, "hidden");
  EXPECT_TRUE(std::isnan(bad.layers[0].input_sqnr_db));
  EXPECT_EQ(bad.layers[1].input_sqnr_db, bad.layers[0].sqnr_db);
  EXPECT_EQ(bad.layers[2].input_sqnr_db, bad.layers[1].sqnr_db);
  const double hidden_cost = bad.layers[1].input_sqnr_db - bad.layers[1].sqnr_db;
  for (std::size_t i = 2; i < bad.layers.size(); ++i) {
    EXPECT_GT(hidden_cost, bad.layers[i].input_sqnr_db - bad.layers[i].sqnr_db)
        << bad.layers[i].name;
  }
}

TEST(Evaluation, MatchesByPositionWhenNamesDiffer) {
  Fixture f;
  tools::Graph renamed = f.quantized;
  for (auto& t : renamed.tensors) t.name = "x_" + t.name;
  const auto matches = tools::match_tensors(f.float_graph, renamed);
  ASSERT_EQ(matches.size(), 4u);
  for (const auto& m : matches) {
    EXPECT_FALSE(m.by_name);
    EXPECT_EQ("x_" + f.float_graph.tensors[static_cast<std::size_t>(m.reference)].name,
              renamed.tensors[static_cast<std::size_t>(m.candidate)].name);
  }
}

TEST(Evaluation, AnomalyAucFromAScalarScore) {
  // score = x0 + x1 + x2; anomalies are the samples whose sum is positive.
  GraphMaker m;
  const std::int32_t x = m.activation({1, 3}, "x");
  const std::int32_t y = m.activation({1, 1}, "score");
  m.graph.inputs = {x};
  m.graph.outputs = {y};
  m.op(Op::FULLY_CONNECTED, {x, m.floats({1, 3}, {1.0f, 1.0f, 1.0f}), m.floats({1}, {0.0f})}, {y},
       tflite::FullyConnectedOptionsT{});
  const tools::SampleSet data = uniform_samples(m.graph, 300, -1.0f, 1.0f, 8);
  tools::Labels labels;
  labels.column = "is_anomaly";
  for (std::size_t n = 0; n < data.count; ++n) {
    const auto s = data.sample(0, n);
    labels.values.push_back(s[0] + s[1] + s[2] > 0.0f ? 1.0 : 0.0);
  }
  const tools::Calibration c = tools::calibrate(m.graph, data, tools::RangeOptions{});
  const tools::Graph q = tools::quantize(m.graph, c, tools::QuantizeOptions{}).graph;
  const tools::EvalResult r = tools::evaluate(m.graph, q, data, labels, tools::EvalOptions{});
  EXPECT_EQ(r.task, tools::EvalTask::kAnomaly);
  EXPECT_EQ(r.score, "output value");
  EXPECT_DOUBLE_EQ(r.reference_auc, 1.0);
  EXPECT_GT(r.candidate_auc, 0.99);
  EXPECT_TRUE(std::isnan(r.agreement));  // one output value: no argmax
}

TEST(Evaluation, RefusesModelsThatDoNotCorrespondAndMissingLabels) {
  Fixture f;
  tools::Graph other = small_classifier();
  other.tensors[static_cast<std::size_t>(other.outputs[0])].shape = {1, 5};
  EXPECT_THROW(tools::evaluate(f.float_graph, other, f.data, f.labels, tools::EvalOptions{}),
               std::runtime_error);
  tools::EvalOptions classify;
  classify.task = tools::EvalTask::kClassification;
  EXPECT_THROW(tools::evaluate(f.float_graph, f.quantized, f.data, std::nullopt, classify),
               std::runtime_error);
  tools::Labels few = f.labels;
  few.values.resize(10);
  EXPECT_THROW(tools::evaluate(f.float_graph, f.quantized, f.data, few, tools::EvalOptions{}),
               std::runtime_error);
  tools::Labels bad = f.labels;
  bad.values[3] = 7.0;  // not one of 4 classes
  EXPECT_THROW(tools::evaluate(f.float_graph, f.quantized, f.data, bad, tools::EvalOptions{}),
               std::runtime_error);
}

TEST(Evaluation, ReadsLabelColumns) {
  const auto path = std::filesystem::temp_directory_path() / "mote_eval_labels.csv";
  std::ofstream(path) << "fan_speed,is_anomaly,weight\nlow,0,1\nmed,1,2\n";
  const tools::Labels l = tools::read_labels(path);
  EXPECT_EQ(l.column, "is_anomaly");
  EXPECT_EQ(l.values, (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(tools::read_labels(path, "weight").values, (std::vector<double>{1.0, 2.0}));
  EXPECT_THROW(tools::read_labels(path, "fan_speed"), std::runtime_error);  // not numbers
  std::ofstream(path) << "a,b\n1,2\n";
  EXPECT_THROW(tools::read_labels(path), std::runtime_error);  // which column?
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace mote::testing
