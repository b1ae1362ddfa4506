// mote seismic train: the phase model trained with LibTorch on the training stations (tools/train),
// exported as float and int8 .tflite, with a summary. Built only with MOTE_TRAINING (LibTorch).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/progress.h"
#include "cli/seismic_options.h"
#include "tools/data/seismic_dataset.h"
#include "tools/io/file_io.h"
#include "tools/train/seismic_training.h"

namespace mote::cli {
namespace {

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
  const double final_loss = tools::final_loss(r.train.losses);
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

}  // namespace

void add_seismic_train_command(CLI::App* seismic) {
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
