// mote seismic eval | split | train: the seismic node's detection measured on labelled recordings,
// the station split that keeps evaluation stations out of training, and the phase model trained
// on the training stations.
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
#include "tools/data/seismic_dataset.h"
#include "tools/data/station_split.h"
#include "tools/io/file_io.h"
#include "tools/seismic/detection_report.h"
#include "tools/seismic/pick_metrics.h"
#include "tools/seismic/run_detector.h"
#include "tools/train/seismic_training.h"

namespace mote::cli {
namespace {

// JSON number, or null for NaN (an undefined ratio).
nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

std::string text(double v, const char* format = "{:.3f}") {
  return std::isnan(v) ? "n/a" : fmt::format(fmt::runtime(format), v);
}

struct SplitOptions {
  std::string waveforms;
  std::string labels;
  double held_out_fraction = tools::kDefaultHeldOutFraction;
  std::uint64_t seed = tools::kDefaultSplitSeed;
};

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
    tools::ModelHostDetector detector(o.model, tools::model_detector_config(o.threshold));
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

struct TrainCommandOptions {
  SplitOptions split;
  std::string out;
  std::string convs = tools::convs_text(tools::PhaseNetSpec{}.convs);
  std::string hidden = tools::hidden_text(tools::PhaseNetSpec{}.hidden);
  tools::SeismicTrainOptions train;
  bool json = false;
};

// Budgets of the node's phase model (issue 5): arena, weights and MACs of the int8 model.
constexpr std::size_t kArenaBudget = 32 * 1024;
constexpr std::size_t kWeightBudget = 64 * 1024;
constexpr std::uint64_t kMacBudget = 150'000;

double tail_mean(const std::vector<float>& v, std::size_t n) {
  n = std::min(n, v.size());
  if (n == 0) return std::nan("");
  double sum = 0.0;
  for (std::size_t i = v.size() - n; i < v.size(); ++i) sum += v[i];
  return sum / static_cast<double>(n);
}

nlohmann::json class_json(const tools::ClassScores& s) {
  nlohmann::json j;
  for (int c = 0; c < seismic::kNumPhases; ++c) {
    const auto phase = static_cast<seismic::Phase>(c);
    j[seismic::phase_name(phase)] = {{"windows", s.windows(phase)},
                                     {"accuracy", number(s.accuracy(phase))}};
  }
  j["overall"] = number(s.overall());
  j["confusion_true_by_predicted"] = s.confusion;
  return j;
}

nlohmann::json model_json(const tools::ExportedModel& m) {
  return {{"path", m.path.string()},      {"file_bytes", m.file_bytes},
          {"arena_bytes", m.arena_bytes}, {"macs", m.macs},
          {"parameters", m.parameters},   {"weight_bytes", m.weight_bytes}};
}

void run_train(TrainCommandOptions o) {
  const auto started = std::chrono::steady_clock::now();
  const tools::SeismicDataset data = tools::SeismicDataset::load(o.split.waveforms, o.split.labels);
  o.train.out_dir = o.out;
  o.train.held_out_fraction = o.split.held_out_fraction;
  o.train.split_seed = o.split.seed;
  o.train.train.spec.convs = tools::parse_convs(o.convs);
  o.train.train.spec.hidden = tools::parse_hidden(o.hidden);
  tools::conv_output_lengths(o.train.train.spec);

  std::optional<ProgressBar> bar;
  std::string stage;
  const tools::SeismicTrainResult r = tools::train_seismic_model(
      data, o.train,
      [&](std::size_t step, std::size_t steps, float loss) {
        if (!bar) bar.emplace("train", steps);
        if (step % 10 == 0 || step == steps) bar->update(step, fmt::format("loss {:.4f}", loss));
      },
      [&](const std::string& name, std::size_t done, std::size_t total) {
        if (name != stage) {
          bar.reset();
          bar.emplace(name, total);
          stage = name;
        }
        bar->update(done);
      });
  bar.reset();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const tools::TrainOptions& t = o.train.train;
  const double final_loss = tail_mean(r.train.losses, 100);
  nlohmann::json j;
  j["waveforms"] = o.split.waveforms;
  j["labels"] = o.split.labels;
  j["out"] = o.out;
  j["seed"] = t.seed;
  j["steps"] = t.steps;
  j["batch"] = t.batch;
  j["threads"] = t.threads;
  j["architecture"] = {{"window", t.spec.window_samples},
                       {"convs", tools::convs_text(t.spec.convs)},
                       {"hidden", tools::hidden_text(t.spec.hidden)},
                       {"dropout", t.spec.dropout}};
  j["weight_decay"] = t.weight_decay;
  j["class_shares"] = t.class_shares;
  j["label_samples"] = t.windows.hop_samples;
  j["noise_kind_share"] = t.windows.noise_share;
  j["learning_rate"] = {t.learning_rate, t.final_learning_rate};
  j["windows_drawn"] = r.train.windows_drawn;
  j["traces"] = {
      {"fit", r.fit_traces}, {"validation", r.validation_traces}, {"held_out", r.held_out_traces}};
  j["validation_stations"] = r.validation_stations;
  j["initial_loss"] = number(r.train.losses.empty() ? std::nan("") : r.train.losses.front());
  j["final_loss"] = number(final_loss);
  j["validation_float"] = class_json(r.train.validation_scores);
  j["validation_int8"] = class_json(r.int8_validation);
  j["export_max_error"] = r.export_max_error;
  j["float_model"] = model_json(r.float_model);
  j["int8_model"] = model_json(r.int8_model);
  j["train_seconds"] = r.train.seconds;
  j["seconds"] = seconds;
  j["budget"] = {{"arena_bytes", kArenaBudget},
                 {"weight_bytes", kWeightBudget},
                 {"macs", kMacBudget},
                 {"within", r.int8_model.arena_bytes <= kArenaBudget &&
                                r.int8_model.weight_bytes <= kWeightBudget &&
                                r.int8_model.macs <= kMacBudget}};
  const std::string summary = j.dump(2) + "\n";
  tools::write_file(std::filesystem::path(o.out) / "summary.json",
                    {reinterpret_cast<const std::uint8_t*>(summary.data()), summary.size()});
  if (o.json) {
    std::fputs(summary.c_str(), stdout);
    return;
  }

  fmt::print("data        {} fit / {} validation / {} held-out traces (held-out never seen)\n",
             r.fit_traces, r.validation_traces, r.held_out_traces);
  fmt::print("net         convs {}, hidden {}, dropout {:g}, weight decay {:g}\n",
             tools::convs_text(t.spec.convs), tools::hidden_text(t.spec.hidden), t.spec.dropout,
             t.weight_decay);
  fmt::print("training    {} steps of {} windows (seed {}, {} drawn), {:.1f} s\n", t.steps, t.batch,
             t.seed, r.train.windows_drawn, r.train.seconds);
  fmt::print("loss        {:.4f} at the start, {:.4f} over the last 100 steps\n",
             r.train.losses.front(), final_loss);
  fmt::print("{:<12}{:>8} {:>8} {:>8} {:>8}\n", "validation", "noise", "P", "S", "all");
  auto row = [](const char* name, const tools::ClassScores& s) {
    fmt::print("{:<12}{:>8} {:>8} {:>8} {:>8}\n", name, text(s.accuracy(seismic::Phase::kNoise)),
               text(s.accuracy(seismic::Phase::kP)), text(s.accuracy(seismic::Phase::kS)),
               text(s.overall()));
  };
  row("  float", r.train.validation_scores);
  row("  int8", r.int8_validation);
  fmt::print("export      float .tflite within {:.2e} of the network on {} windows\n",
             r.export_max_error, r.train.check.count);
  auto model_row = [](const char* name, const tools::ExportedModel& m) {
    fmt::print("{:<12}{} bytes, arena {} B, {} MACs, {} parameters, weights {} B\n", name,
               m.file_bytes, m.arena_bytes, m.macs, m.parameters, m.weight_bytes);
  };
  model_row("float", r.float_model);
  model_row("int8", r.int8_model);
  fmt::print("budget      arena {} / {} B, weights {} / {} B, MACs {} / {}: {}\n",
             r.int8_model.arena_bytes, kArenaBudget, r.int8_model.weight_bytes, kWeightBudget,
             r.int8_model.macs, kMacBudget, j["budget"]["within"].get<bool>() ? "within" : "OVER");
  fmt::print("wrote       {} and {} ({:.1f} s in all)\n", r.float_model.path.string(),
             r.int8_model.path.string(), seconds);
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
  auto train = std::make_shared<TrainCommandOptions>();
  CLI::App* t = seismic->add_subcommand(
      "train",
      "Train the noise/P/S phase model (LibTorch) on the training stations, export it as "
      "DIR/seismic_float.tflite (checked against the network) and DIR/seismic_int8.tflite "
      "(calibrated on training windows), and print a summary (also DIR/summary.json)");
  add_data_options(t, &train->split);
  add_split_options(t, &train->split);
  t->add_option("--out", train->out, "Folder for the models and summary.json")->required();
  t->add_option("--steps", train->train.train.steps, "Training steps (batches)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  t->add_option("--batch", train->train.train.batch, "Windows per batch (class-balanced)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  t->add_option("--convs", train->convs,
                "Convolutions over time: channels x kernel x stride each, comma-separated; each "
                "must end on its input's last sample")
      ->capture_default_str();
  t->add_option("--hidden", train->hidden, "Hidden dense layers (units, comma-separated, or none)")
      ->capture_default_str();
  t->add_option("--dropout", train->train.train.spec.dropout,
                "Dropout before the dense layers while training")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.9));
  t->add_option("--weight-decay", train->train.train.weight_decay, "AdamW weight decay")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  t->add_option("--label-samples", train->train.train.windows.hop_samples,
                "A window is labelled P or S when the onset lies in its newest this-many samples "
                "(the node's hop is 10; more widens the peak the picker sees)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  t->add_option("--noise-kind-share", train->train.train.windows.noise_share,
                "Share of pre-event-noise windows among the sampler's draws (P, S 0.3, coda 0.1)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  t->add_option("--class-shares", train->train.train.class_shares,
                "Shares of noise, P and S windows in every batch (relative weights)")
      ->delimiter(',')
      ->capture_default_str();
  t->add_option("--seed", train->train.train.seed, "Seed of the weights and the window sampler")
      ->capture_default_str();
  t->add_option("--threads", train->train.train.threads, "LibTorch threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  t->add_option("--lr", train->train.train.learning_rate,
                "Initial Adam learning rate (cosine decay to --final-lr)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  t->add_option("--final-lr", train->train.train.final_learning_rate,
                "Learning rate at the last step")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  t->add_option("--validation-fraction", train->train.validation_fraction,
                "Share of training traces (whole stations) kept for validation")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.5));
  t->add_option("--calibration-windows", train->train.calibration_windows,
                "Training windows for the int8 calibration")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  t->add_flag("--json", train->json, "Print the summary as one JSON object");
  t->callback([train] { run_train(*train); });
}

}  // namespace mote::cli
