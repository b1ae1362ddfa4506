// `mote demo seismic` end to end, small: a phase model trained for a few steps on the training
// stations, a few held-out recordings replayed through nodes and a real Mosquitto that goes down
// in the middle, and the report's promises — every event delivered once, none lost, the JSON keys
// the issue names, an HTML page with a plot per recording — checked. A second run reuses the
// cached model; changed training settings train again.
#include "apps/seismic/demo/seismic_demo.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "apps/gateway/mosquitto_broker.h"
#include "apps/seismic/demo/replay.h"
#include "apps/seismic/demo/threshold_choice.h"

namespace mote::seismic::demo {
namespace {

std::filesystem::path data_dir() {
  return std::filesystem::path(MOTE_SHARED_DIR) / "data" / "seismic" / "ncedc154";
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SeismicDemo, DeliversEveryEventOnceThroughABrokerOutageAndReports) {
  if (!gateway::MosquittoBroker::find_executable()) {
    GTEST_SKIP() << "mosquitto is not installed: scripts/install-deps.sh installs it";
  }
  DemoOptions o;
  o.waveforms = data_dir() / "waveforms.npy";
  o.labels = data_dir() / "labels.csv";
  o.out_dir = std::filesystem::path(::testing::TempDir()) / "mote_demo_test";
  std::filesystem::remove_all(o.out_dir);
  o.train.steps = 400;
  // A model trained for seconds is unsure of everything; a low trigger level makes it pick often,
  // which gives the network side plenty of events to carry through the outage.
  o.threshold = 0.4f;
  o.max_traces = 6;
  o.durable = false;
  o.device_figures = false;  // the firmware tests build and run models in QEMU
  const DemoReport first = run_seismic_demo(o);
  const auto& j = first.json;

  const auto& d = j["delivery"];
  EXPECT_GT(d["events_sent"].get<int>(), 0);
  EXPECT_EQ(d["events_delivered"], d["events_sent"]);
  EXPECT_EQ(d["events_lost"].get<int>(), 0);
  EXPECT_EQ(d["duplicates_delivered"].get<int>(), 0);
  EXPECT_EQ(d["malformed"].get<int>(), 0);
  EXPECT_GT(d["outage_traces"].get<int>(), 0);
  for (const auto& n : d["nodes"]) EXPECT_EQ(n["still_queued"].get<int>(), 0) << n["node"];

  // The keys scripts read.
  for (const char* k : {"f1_0.5s", "recall_0.5s", "precision_0.1s", "residual_std_s"}) {
    EXPECT_TRUE(j["model"]["p"].contains(k)) << k;
    EXPECT_TRUE(j["stalta"]["p"].contains(k)) << k;
  }
  EXPECT_TRUE(j["model"].contains("false_triggers_per_hour"));
  EXPECT_TRUE(j["model"]["s"].is_object());
  EXPECT_TRUE(j["stalta"]["s"].is_null());  // STA/LTA cannot type S
  EXPECT_EQ(j["model"]["p"]["true_picks"].get<int>(), 6);
  EXPECT_GT(j["node_model"]["arena_bytes"].get<int>(), 0);
  EXPECT_GT(j["node_model"]["macs"].get<int>(), 0);
  EXPECT_FALSE(j["node_model"]["reused_from_cache"].get<bool>());
  EXPECT_GT(j["bandwidth"]["replay_event_wire_bytes"].get<double>(), 0);
  EXPECT_EQ(j["energy"].size(), 5u);  // one case per radio profile

  const std::string html = read(first.html);
  std::size_t plots = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    ++plots;
  }
  EXPECT_EQ(plots, 6u);
  EXPECT_NE(read(o.out_dir / "report.txt").find("events sent"), std::string::npos);

  // Same inputs: the cached model, the same detection.
  const DemoReport again = run_seismic_demo(o);
  EXPECT_TRUE(again.json["node_model"]["reused_from_cache"].get<bool>());
  EXPECT_EQ(again.json["node_model"]["cache_key"], j["node_model"]["cache_key"]);
  EXPECT_EQ(again.json["model"]["p"]["picks"], j["model"]["p"]["picks"]);

  // Other training settings: another key. No trigger level given: it is chosen on the
  // validation stations, as the best P F1 + S F1 of the levels tried.
  o.train.steps = 401;
  o.max_traces = 2;
  o.threshold = 0.0f;
  const DemoReport other = run_seismic_demo(o);
  EXPECT_FALSE(other.json["node_model"]["reused_from_cache"].get<bool>());
  EXPECT_NE(other.json["node_model"]["cache_key"], j["node_model"]["cache_key"]);
  const auto& choice = other.json["node_model"]["threshold_choice"];
  ASSERT_TRUE(choice.is_object());
  EXPECT_GT(choice["validation_traces"].get<int>(), 0);
  ASSERT_EQ(choice["trials"].size(), default_threshold_candidates().size());
  double best = -1.0;
  float best_level = 0.0f;
  for (const auto& trial : choice["trials"]) {
    const double value = trial["p_f1_0.5s"].get<double>() + trial["s_f1_0.5s"].get<double>();
    if (value >= best) {
      best = value;
      best_level = trial["threshold"].get<float>();
    }
  }
  EXPECT_FLOAT_EQ(other.json["node_model"]["threshold"].get<float>(), best_level);
}

TEST(ThresholdChoice, RefusesNoTracesOrNoCandidates) {
  const tools::SeismicDataset data =
      tools::SeismicDataset::load(data_dir() / "waveforms.npy", data_dir() / "labels.csv");
  EXPECT_THROW(choose_threshold(data, {}, "unused.tflite", {0.5f}), std::invalid_argument);
  EXPECT_THROW(choose_threshold(data, {0}, "unused.tflite", {}), std::invalid_argument);
}

TEST(SeismicDemo, RefusesMissingData) {
  DemoOptions o;
  o.waveforms = "/nonexistent/waveforms.npy";
  o.labels = "/nonexistent/labels.csv";
  o.out_dir = std::filesystem::path(::testing::TempDir()) / "mote_demo_missing";
  EXPECT_THROW(run_seismic_demo(o), std::runtime_error);
}

TEST(CompactUtc, ParsesTheLabelsStartTimes) {
  EXPECT_EQ(parse_compact_utc("20171007092826"), 1507368506);
  EXPECT_EQ(parse_compact_utc("19700101000000"), 0);
  EXPECT_EQ(parse_compact_utc(""), -1);
  EXPECT_EQ(parse_compact_utc("2017100709282"), -1);
  EXPECT_EQ(parse_compact_utc("20171307092826"), -1);  // month 13
  EXPECT_EQ(parse_compact_utc("2017100709282x"), -1);
}

}  // namespace
}  // namespace mote::seismic::demo
