// mote eval REFERENCE CANDIDATE --data X.npy [--labels y.csv] [--json]: how far a candidate
// (usually the int8 model) is from its reference (the float model), and in which layer the
// error enters.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/progress.h"
#include "tools/eval/evaluation.h"
#include "tools/onnx/model_file.h"
#include "tools/quantize/representative_data.h"

namespace mote::cli {
namespace {

struct EvalCommandOptions {
  std::string reference;
  std::string candidate;
  std::vector<std::string> data;
  std::string labels;
  std::string label_column;
  std::string task = "auto";
  std::size_t samples = 0;
  bool no_layers = false;
  bool json = false;
};

// JSON has no NaN or infinity: null stands for "not applicable", strings for infinities.
nlohmann::json number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

std::string percent(double v) { return std::isnan(v) ? "-" : fmt::format("{:.2f} %", 100.0 * v); }

std::string db(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.1f}", v);
}

void run_eval(const EvalCommandOptions& options) {
  const tools::Graph reference = tools::load_float_model(options.reference);
  const tools::Graph candidate = tools::load_float_model(options.candidate);
  const std::vector<std::filesystem::path> files(options.data.begin(), options.data.end());
  const tools::SampleSet data =
      tools::read_samples(files, tools::input_specs(reference), options.samples);
  std::optional<tools::Labels> labels;
  if (!options.labels.empty()) labels = tools::read_labels(options.labels, options.label_column);

  tools::EvalOptions eval_options;
  eval_options.task = tools::parse_eval_task(options.task);
  eval_options.per_layer = !options.no_layers;
  std::optional<ProgressBar> bar;
  const tools::EvalResult r =
      tools::evaluate(reference, candidate, data, labels, eval_options,
                      [&](const std::string& stage, std::size_t done, std::size_t total) {
                        if (!bar) bar.emplace(stage, total);
                        bar->update(done);
                      });
  bar.reset();

  if (options.json) {
    nlohmann::json out;
    out["reference"] = options.reference;
    out["candidate"] = options.candidate;
    out["samples"] = r.samples;
    out["task"] = tools::eval_task_name(r.task);
    out["output_error"] = {{"max_abs", r.error.max_abs},
                           {"mean_abs", r.error.mean_abs},
                           {"sqnr_db", number(r.error.sqnr_db)},
                           {"values", r.error.values}};
    out["agreement"] = number(r.agreement);
    if (labels) out["label_column"] = labels->column;
    if (r.task == tools::EvalTask::kClassification) {
      out["accuracy"] = {{"reference", number(r.reference_accuracy)},
                         {"candidate", number(r.candidate_accuracy)},
                         {"loss", number(r.reference_accuracy - r.candidate_accuracy)}};
    }
    if (r.task == tools::EvalTask::kAnomaly) {
      out["score"] = r.score;
      out["auc"] = {{"reference", number(r.reference_auc)},
                    {"candidate", number(r.candidate_auc)},
                    {"loss", number(r.reference_auc - r.candidate_auc)}};
    }
    out["layers"] = nlohmann::json::array();
    for (const auto& l : r.layers) {
      out["layers"].push_back({{"name", l.name},
                               {"op", l.op},
                               {"reference_tensor", l.reference},
                               {"candidate_tensor", l.candidate},
                               {"matched_by", l.matched_by_name ? "name" : "position"},
                               {"type", l.type},
                               {"scale", l.scale},
                               {"zero_point", l.zero_point},
                               {"range", {l.range_min, l.range_max}},
                               {"reference_range", {l.reference_min, l.reference_max}},
                               {"sqnr_db", number(l.sqnr_db)},
                               {"input_sqnr_db", number(l.input_sqnr_db)},
                               {"clipped", l.clipped},
                               {"values", l.values}});
    }
    out["unmatched_layers"] = r.unmatched;
    std::puts(out.dump(2).c_str());
    return;
  }

  fmt::print("reference    {}\ncandidate    {}\nsamples      {}\ntask         {}\n",
             options.reference, options.candidate, r.samples, tools::eval_task_name(r.task));
  if (r.task == tools::EvalTask::kClassification) {
    fmt::print("accuracy     reference {}, candidate {} (loss {:.2f} points); agreement {}\n",
               percent(r.reference_accuracy), percent(r.candidate_accuracy),
               100.0 * (r.reference_accuracy - r.candidate_accuracy), percent(r.agreement));
  } else if (r.task == tools::EvalTask::kAnomaly) {
    fmt::print("AUC          reference {:.4f}, candidate {:.4f} (loss {:.4f}); score: {}\n",
               r.reference_auc, r.candidate_auc, r.reference_auc - r.candidate_auc, r.score);
  } else if (!std::isnan(r.agreement)) {
    fmt::print("agreement    {} (argmax)\n", percent(r.agreement));
  }
  fmt::print("output error max |d| {:.6g}, mean |d| {:.6g}, SQNR {} dB over {} values\n",
             r.error.max_abs, r.error.mean_abs, db(r.error.sqnr_db), r.error.values);
  if (!r.layers.empty()) {
    fmt::print(
        "\nper layer, in execution order (candidate activation, dequantized, against the reference "
        "tensor; cost: SQNR lost since the op's inputs)\n");
    fmt::print("  {:<40} {:<28} {:<5} {:>9} {:>8}  {:<23} {:<23} {:>8}\n", "tensor", "op", "type",
               "SQNR dB", "cost dB", "range used", "reference range", "clipped");
    for (const auto& l : r.layers) {
      const std::string name =
          l.name.size() > 40 ? "~" + l.name.substr(l.name.size() - 39) : l.name;
      const std::string cost =
          std::isnan(l.input_sqnr_db) || std::isinf(l.input_sqnr_db) || std::isinf(l.sqnr_db)
              ? "-"
              : fmt::format("{:.1f}", l.input_sqnr_db - l.sqnr_db);
      fmt::print("  {:<40} {:<28} {:<5} {:>9} {:>8}  {:<23} {:<23} {:>7.3f}%{}\n", name, l.op,
                 l.type, db(l.sqnr_db), cost,
                 fmt::format("[{:.4g}, {:.4g}]", l.range_min, l.range_max),
                 fmt::format("[{:.4g}, {:.4g}]", l.reference_min, l.reference_max),
                 100.0 * l.clipped, l.matched_by_name ? "" : "  (by position)");
    }
  }
  if (r.unmatched != 0) {
    fmt::print("  ({} quantized activation(s) have no float counterpart)\n", r.unmatched);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Compare a candidate model (e.g. int8) with its reference (e.g. float) on data");
  cmd->add_option("REFERENCE", options->reference, "Reference model (.tflite), usually float")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("CANDIDATE", options->candidate, "Candidate model (.tflite), usually int8")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", options->data,
                  "Samples, one file per model input: .npy [N, input shape...] or .csv, real "
                  "values (quantized for integer inputs)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--labels,-l", options->labels,
                  "CSV labels, one row per sample: class indices (accuracy) or is_anomaly 0/1 "
                  "(AUC)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--label-column", options->label_column,
                  "Column of the labels (default: is_anomaly, label, or the only column)");
  cmd->add_option("--task", options->task, "auto, classification, anomaly or regression")
      ->check(CLI::IsMember({"auto", "classification", "anomaly", "regression"}));
  cmd->add_option("--samples,-n", options->samples, "Use only the first N samples")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-layers", options->no_layers, "Skip the per-layer table");
  cmd->add_flag("--json", options->json, "Print one JSON object");
  cmd->callback([options] { run_eval(*options); });
}

}  // namespace mote::cli
