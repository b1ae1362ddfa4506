// mote seismic eval | split (and train, cli/seismic_train_command.cc): the seismic node's detection
// measured on labelled recordings, and the station split that keeps evaluation stations out of
// training.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/seismic/stalta_baseline.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/seismic_options.h"
#include "tools/data/seismic_dataset.h"
#include "tools/data/station_split.h"
#include "tools/io/file_io.h"
#include "tools/seismic/detection_report.h"
#include "tools/seismic/pick_metrics.h"
#include "tools/seismic/run_detector.h"

namespace mote::cli {

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

std::string text(double v, const char* format) {
  return std::isnan(v) ? "n/a" : fmt::format(fmt::runtime(format), v);
}

void add_data_options(CLI::App* cmd, SplitOptions* o) {
  cmd->add_option("--waveforms", o->waveforms, ".npy of shape [N, 3, T] at 100 Hz (E, N, Z)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--labels", o->labels, "CSV with p_index and s_index per trace (-1 if absent)")
      ->required()
      ->check(CLI::ExistingFile);
}

void add_split_options(CLI::App* cmd, SplitOptions* o) {
  cmd->add_option("--held-out-fraction", o->held_out_fraction,
                  "Share of traces whose stations are held out of training")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 0.99));
  cmd->add_option("--split-seed", o->seed, "Seed of the station shuffle")->capture_default_str();
}

namespace {

struct EvalOptions {
  std::string waveforms;
  std::string labels;
  std::string model;
  std::string subset = "all";
  float threshold = 0.5f;
  std::string picks_csv;
  std::vector<double> tolerances = tools::kDefaultTolerances;
  float stalta_off = seismic::kStaLtaOff;
  bool stalta_classic = false;
  SplitOptions split;
  bool json = false;
};

// The traces of `subset` ("all", "train" or "held-out").
std::vector<std::size_t> subset_traces(const tools::SeismicDataset& data, const EvalOptions& o) {
  if (o.subset == "all") {
    std::vector<std::size_t> all(data.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    return all;
  }
  const tools::StationSplit split =
      tools::split_by_station(data, o.split.held_out_fraction, o.split.seed);
  if (o.subset == "train") return split.train_traces;
  if (o.subset == "held-out") return split.held_out_traces;
  throw std::runtime_error("--subset must be all, train or held-out, not '" + o.subset + "'");
}

// Appends one CSV row per pick of `detections` (trace `t` of `data`) to `csv`.
void append_picks(std::string& csv, const std::string& detector, const tools::SeismicDataset& data,
                  std::size_t t, const tools::TraceDetections& detections) {
  const tools::SeismicLabel& l = data.label(t);
  for (const seismic::Pick& p : detections.picks) {
    csv += fmt::format("{},{},{},{},{:.3f},{:.4f},{:.4f},{},{}\n", t, l.id, detector,
                       seismic::phase_name(p.phase), p.sample, p.confidence, p.peak_score,
                       l.p_index, l.s_index);
  }
}

tools::DetectionScores evaluate(tools::HostDetector& detector, const tools::SeismicDataset& data,
                                const std::vector<std::size_t>& traces, const std::string& label,
                                const std::vector<double>& tolerances, std::string* csv) {
  std::vector<tools::TruePicks> truth;
  std::vector<tools::TraceDetections> detections;
  ProgressBar progress(label, traces.size());
  for (std::size_t i = 0; i < traces.size(); ++i) {
    const std::size_t t = traces[i];
    truth.push_back({data.label(t).p_index, data.label(t).s_index});
    detections.push_back(detector.run(data.trace(t), data.samples_per_trace()));
    if (csv != nullptr) append_picks(*csv, label, data, t, detections.back());
    progress.update(i + 1, data.label(t).id);
  }
  progress.finish();
  return tools::score_detections(truth, detections, tools::SeismicDataset::kSampleRateHz,
                                 tolerances);
}

void run_eval(EvalOptions o) {
  std::sort(o.tolerances.begin(), o.tolerances.end());
  if (o.tolerances.empty()) throw std::runtime_error("--tolerances needs at least one value");
  const tools::SeismicDataset data = tools::SeismicDataset::load(o.waveforms, o.labels);
  const std::vector<std::size_t> traces = subset_traces(data, o);
  if (traces.empty()) throw std::runtime_error("the chosen subset holds no traces");

  std::string csv = "trace,id,detector,phase,sample,confidence,peak_score,p_index,s_index\n";
  std::string* picks = o.picks_csv.empty() ? nullptr : &csv;
  tools::StaLtaHostDetector stalta(o.stalta_off, o.stalta_classic);
  const tools::DetectionScores baseline =
      evaluate(stalta, data, traces, "stalta", o.tolerances, picks);
  std::optional<tools::DetectionScores> model;
  std::size_t model_arena = 0;
  if (!o.model.empty()) {
    tools::ModelHostDetector detector(o.model, seismic::model_detector_config(o.threshold));
    model = evaluate(detector, data, traces, "model", o.tolerances, picks);
    model_arena = detector.arena_bytes();
  }
  if (picks != nullptr) {
    tools::write_file(o.picks_csv, {reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()});
  }

  const double seconds =
      static_cast<double>(data.samples_per_trace()) / tools::SeismicDataset::kSampleRateHz;
  if (o.json) {
    nlohmann::json j;
    j["waveforms"] = o.waveforms;
    j["labels"] = o.labels;
    j["subset"] = o.subset;
    j["traces"] = traces.size();
    j["trace_seconds"] = seconds;
    j["sample_rate_hz"] = tools::SeismicDataset::kSampleRateHz;
    j["tolerances_s"] = o.tolerances;
    j["stalta"] = tools::detection_json(baseline, false);
    j["stalta"]["config"] = {{"component", "Z"},
                             {"band_hz", {1.0, 20.0}},
                             {"sta_s", 0.2},
                             {"lta_s", 5.0},
                             {"on", seismic::kStaLtaOn},
                             {"off", o.stalta_off},
                             {"pick", "trigger onset"},
                             {"s", "not typed: STA/LTA picks P only"},
                             {"averages", o.stalta_classic ? "classic" : "unbiased"}};
    if (model) {
      j["model"] = tools::detection_json(*model, true);
      j["model"]["path"] = o.model;
      j["model"]["arena_bytes"] = model_arena;
      j["model"]["threshold"] = o.threshold;
    }
    std::puts(j.dump(2).c_str());
    return;
  }

  fmt::print("data      {} traces of {:.1f} s ({}), {}\n", traces.size(), seconds, o.subset,
             o.waveforms);
  if (!o.model.empty() && o.subset != "held-out") {
    fmt::print("note      --subset {} includes stations a model may have been trained on\n",
               o.subset);
  }
  fmt::print(
      "STA/LTA   vertical, 1-20 Hz, STA 0.2 s / LTA 5 s ({} averages), on {:g} / off {:g}, "
      "pick at trigger onset; P only (STA/LTA cannot type S)\n",
      o.stalta_classic ? "classic" : "unbiased", seismic::kStaLtaOn, o.stalta_off);
  std::vector<tools::NamedScores> rows = {{"stalta", &baseline, false}};
  if (model) rows.push_back({"model", &*model, true});
  fmt::print("\n{}", tools::detection_table(rows, o.tolerances));
}

void run_split(const SplitOptions& o, bool json) {
  const tools::SeismicDataset data = tools::SeismicDataset::load(o.waveforms, o.labels);
  const tools::StationSplit split = tools::split_by_station(data, o.held_out_fraction, o.seed);
  auto counts = [&](const std::vector<std::string>& stations,
                    const std::vector<std::size_t>& traces) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& s : stations) j[s] = 0;
    for (std::size_t t : traces) j[data.label(t).station] = j[data.label(t).station].get<int>() + 1;
    return j;
  };
  auto vertical_only = [&](const std::vector<std::size_t>& traces) {
    std::size_t n = 0;
    for (std::size_t t : traces) n += data.label(t).vertical_only ? 1 : 0;
    return n;
  };
  const nlohmann::json train = counts(split.train_stations, split.train_traces);
  const nlohmann::json held = counts(split.held_out_stations, split.held_out_traces);
  if (json) {
    nlohmann::json j;
    j["seed"] = o.seed;
    j["held_out_fraction"] = o.held_out_fraction;
    j["train"] = {{"stations", split.train_stations.size()},
                  {"traces", split.train_traces.size()},
                  {"vertical_only_traces", vertical_only(split.train_traces)},
                  {"traces_per_station", train}};
    j["held_out"] = {{"stations", split.held_out_stations.size()},
                     {"traces", split.held_out_traces.size()},
                     {"vertical_only_traces", vertical_only(split.held_out_traces)},
                     {"traces_per_station", held}};
    std::puts(j.dump(2).c_str());
    return;
  }
  fmt::print("split by station (seed {}, held-out share {:g})\n", o.seed, o.held_out_fraction);
  fmt::print("train     {} stations, {} traces ({} vertical-only)\n", split.train_stations.size(),
             split.train_traces.size(), vertical_only(split.train_traces));
  fmt::print("held-out  {} stations, {} traces ({} vertical-only)\n",
             split.held_out_stations.size(), split.held_out_traces.size(),
             vertical_only(split.held_out_traces));
  fmt::print("held-out stations (traces):");
  for (const auto& [name, n] : held.items()) fmt::print(" {}({})", name, n.get<int>());
  fmt::print("\n");
}

}  // namespace

void add_seismic_command(CLI::App& app) {
  CLI::App* seismic = app.add_subcommand("seismic", "Seismic P/S arrival detection");
  seismic->require_subcommand(1);

  auto eval = std::make_shared<EvalOptions>();
  CLI::App* e = seismic->add_subcommand(
      "eval",
      "Run the node's streaming detector over labelled recordings and score its P and S picks "
      "against the STA/LTA baseline (precision, recall, F1 at 0.1 s and 0.5 s, residuals, false "
      "triggers per hour of pre-event noise)");
  add_data_options(e, &eval->split);
  e->add_option("--model", eval->model,
                "Phase model (.tflite; see apps/seismic/model_source.h); without it only the "
                "STA/LTA baseline runs")
      ->check(CLI::ExistingFile);
  e->add_option("--subset", eval->subset,
                "Traces to score: all, train or held-out (stations of `mote seismic split`)")
      ->capture_default_str()
      ->check(CLI::IsMember({"all", "train", "held-out"}));
  e->add_option("--threshold", eval->threshold, "Model trigger threshold (off at half of it)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1.0));
  add_split_options(e, &eval->split);
  e->add_option("--picks-csv", eval->picks_csv,
                "Also write every pick (trace, detector, phase, sample, confidence) to this CSV");
  e->add_option("--tolerances", eval->tolerances,
                "Pick tolerances in seconds (residuals and the noise guard use the largest)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  e->add_option("--stalta-off", eval->stalta_off,
                "Detrigger level of the STA/LTA baseline (an experiment; the baseline uses 1)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3.99));
  e->add_flag("--stalta-classic", eval->stalta_classic,
              "STA/LTA with ObsPy's classic averages, biased low for ~20 s after the start (an "
              "experiment; the baseline divides them by their weight)");
  e->add_flag("--json", eval->json, "Print one JSON object instead of the table");
  e->callback([eval] {
    EvalOptions o = *eval;
    o.waveforms = o.split.waveforms;
    o.labels = o.split.labels;
    run_eval(o);
  });

  auto split = std::make_shared<SplitOptions>();
  auto split_json = std::make_shared<bool>(false);
  CLI::App* s = seismic->add_subcommand(
      "split", "Show the split by station that keeps evaluation stations out of training");
  add_data_options(s, split.get());
  add_split_options(s, split.get());
  s->add_flag("--json", *split_json, "Print one JSON object");
  s->callback([split, split_json] { run_split(*split, *split_json); });
  add_seismic_node_firmware_command(seismic);
#if MOTE_TRAINING
  add_seismic_train_command(seismic);
#endif
}

}  // namespace mote::cli
