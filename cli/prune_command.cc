// mote prune MODEL -o OUT.tflite (--sparsity S | --channels F) [--structured] [--global]
// [--data X.npy [--labels y.csv]] [--json]: magnitude or channel pruning, with what it saves on
// the device (parameters, MACs executed, weight bytes in the file and in the runtime, arena) and
// what it costs (output error and accuracy against the unpruned model, via tools/eval).
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "tools/eval/evaluation.h"
#include "tools/graph/tflite_io.h"
#include "tools/prune/channel_pruning.h"
#include "tools/prune/magnitude_pruning.h"
#include "tools/prune/model_figures.h"
#include "tools/quantize/representative_data.h"

namespace mote::cli {
namespace {

struct PruneCommandOptions {
  std::string model;
  std::string output;
  std::optional<double> sparsity;
  std::optional<double> channels;
  bool structured = false;
  bool global = false;
  bool dense = false;
  std::vector<std::string> data;
  std::string labels;
  std::size_t samples = 0;
  std::size_t random_samples = 32;
  bool json = false;
};

// Real-valued samples spread over what each input can represent (an int8 input's quantized range,
// [-1, 1] for float), for an output error when no data is given. Seeded: runs repeat.
tools::SampleSet random_samples(const tools::Graph& graph, std::size_t count) {
  std::mt19937 rng(20261205u);
  tools::SampleSet set;
  set.count = count;
  for (std::int32_t index : graph.inputs) {
    const tools::GraphTensor& t = graph.tensors[static_cast<std::size_t>(index)];
    float lo = -1.0f, hi = 1.0f;
    if (t.quant.quantized() && t.type == TensorType::INT8) {
      lo = static_cast<float>((-128 - t.quant.zero_point[0])) * t.quant.scale[0];
      hi = static_cast<float>((127 - t.quant.zero_point[0])) * t.quant.scale[0];
    }
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> values(count * t.elements());
    for (float& v : values) v = dist(rng);
    set.inputs.push_back(std::move(values));
  }
  return set;
}

nlohmann::json number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

nlohmann::json figures_json(const tools::ModelFigures& f) {
  return {{"parameters", f.parameters},           {"nonzero_weights", f.nonzero_weights},
          {"weight_elements", f.weight_elements}, {"macs", f.macs},
          {"file_bytes", f.file_bytes},           {"weight_bytes", f.weight_bytes},
          {"arena_bytes", f.arena_bytes}};
}

std::string change(std::uint64_t before, std::uint64_t after) {
  if (before == 0) return "";
  return fmt::format("{:+.1f} %", 100.0 *
                                      (static_cast<double>(after) - static_cast<double>(before)) /
                                      static_cast<double>(before));
}

void run_prune(const PruneCommandOptions& options) {
  if (options.sparsity.has_value() == options.channels.has_value()) {
    throw std::runtime_error("give exactly one of --sparsity S (unstructured) and --channels F");
  }
  const bool structured = options.channels.has_value() || options.structured;
  const double amount = options.channels.value_or(options.sparsity.value_or(0.0));
  const tools::Graph original = tools::read_tflite_file(options.model);
  tools::Graph pruned = original;

  std::vector<tools::MagnitudeLayer> magnitude_rows;
  std::vector<tools::ChannelLayer> channel_rows;
  if (structured) {
    channel_rows = tools::prune_channels(pruned, amount);
    const bool any = std::any_of(channel_rows.begin(), channel_rows.end(),
                                 [](const auto& r) { return r.skipped.empty(); });
    if (!any) {
      std::string reasons;
      for (const auto& r : channel_rows) {
        reasons += fmt::format("\n  op {} {} '{}': {}", r.op, r.op_name, r.output, r.skipped);
      }
      throw std::runtime_error("no layer's channels can be removed:" + reasons);
    }
  } else {
    tools::MagnitudeOptions m;
    m.sparsity = amount;
    m.scope = options.global ? tools::SparsityScope::kGlobal : tools::SparsityScope::kPerLayer;
    m.store_sparse = !options.dense;
    magnitude_rows = tools::prune_magnitude(pruned, m);
  }
  pruned.remove_unused_tensors();
  tools::write_tflite_file(pruned, options.output);

  const tools::ModelFigures before = tools::model_figures(original);
  const tools::ModelFigures after = tools::model_figures(pruned);

  tools::SampleSet data;
  if (!options.data.empty()) {
    const std::vector<std::filesystem::path> files(options.data.begin(), options.data.end());
    data = tools::read_samples(files, tools::input_specs(original), options.samples);
  } else {
    data = random_samples(original, options.random_samples);
  }
  std::optional<tools::Labels> labels;
  if (!options.labels.empty()) labels = tools::read_labels(options.labels);
  tools::EvalOptions eval_options;
  eval_options.per_layer = false;  // pruned layers change shape: only outputs correspond
  const tools::EvalResult eval = tools::evaluate(original, pruned, data, labels, eval_options);

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["output"] = options.output;
    out["method"] = structured ? "channels" : "magnitude";
    out["amount"] = amount;
    out["before"] = figures_json(before);
    out["after"] = figures_json(after);
    out["evaluation"] = {{"samples", eval.samples},
                         {"data", options.data.empty() ? "random" : "given"},
                         {"task", tools::eval_task_name(eval.task)},
                         {"output_error",
                          {{"max_abs", eval.error.max_abs},
                           {"mean_abs", eval.error.mean_abs},
                           {"sqnr_db", number(eval.error.sqnr_db)}}},
                         {"agreement", number(eval.agreement)}};
    if (eval.task == tools::EvalTask::kClassification && eval.has_labels) {
      out["evaluation"]["accuracy"] = {{"before", number(eval.reference_accuracy)},
                                       {"after", number(eval.candidate_accuracy)}};
    }
    out["layers"] = nlohmann::json::array();
    for (const auto& r : magnitude_rows) {
      out["layers"].push_back({{"op", r.op},
                               {"type", r.op_name},
                               {"weights", r.weights},
                               {"elements", r.elements},
                               {"zeros_before", r.zeros_before},
                               {"zeros_after", r.zeros_after},
                               {"stored_sparse", r.stored_sparse}});
    }
    for (const auto& r : channel_rows) {
      out["layers"].push_back({{"op", r.op},
                               {"type", r.op_name},
                               {"output", r.output},
                               {"channels_before", r.channels_before},
                               {"channels_after", r.channels_after},
                               {"skipped", r.skipped}});
    }
    std::puts(out.dump(2).c_str());
    return;
  }

  fmt::print("{} -> {}: {} pruning at {}\n\n", options.model, options.output,
             structured ? "channel" : "magnitude", amount);
  for (const auto& r : magnitude_rows) {
    fmt::print("  op {:3} {:18} {:>8} weights, zeros {:>8} -> {:>8}{}\n", r.op, r.op_name,
               r.elements, r.zeros_before, r.zeros_after,
               r.stored_sparse ? "  (stored sparse)" : "");
  }
  for (const auto& r : channel_rows) {
    if (r.skipped.empty()) {
      fmt::print("  op {:3} {:18} channels {:>5} -> {:>5}\n", r.op, r.op_name, r.channels_before,
                 r.channels_after);
    } else {
      fmt::print("  op {:3} {:18} kept whole: {}\n", r.op, r.op_name, r.skipped);
    }
  }
  fmt::print("\n{:28} {:>12} {:>12} {:>9}\n", "", "before", "after", "change");
  auto line = [](const char* what, std::uint64_t b, std::uint64_t a) {
    fmt::print("{:28} {:>12} {:>12} {:>9}\n", what, b, a, change(b, a));
  };
  line("parameters (stored)", before.parameters, after.parameters);
  line("non-zero layer weights", before.nonzero_weights, after.nonzero_weights);
  line("MACs executed", before.macs, after.macs);
  line("weight bytes (runtime)", before.weight_bytes, after.weight_bytes);
  line("file bytes", before.file_bytes, after.file_bytes);
  line("arena bytes", before.arena_bytes, after.arena_bytes);
  fmt::print(
      "\noutput error against the unpruned model over {} {} samples: max |d| {:.6g}, mean "
      "|d| {:.6g}, SQNR {:.1f} dB\n",
      eval.samples, options.data.empty() ? "random" : "given", eval.error.max_abs,
      eval.error.mean_abs, eval.error.sqnr_db);
  if (!std::isnan(eval.agreement)) {
    fmt::print("argmax agreement {:.2f} %\n", 100.0 * eval.agreement);
  }
  if (eval.task == tools::EvalTask::kClassification && eval.has_labels) {
    fmt::print("accuracy {:.2f} % -> {:.2f} %\n", 100.0 * eval.reference_accuracy,
               100.0 * eval.candidate_accuracy);
  }
}

}  // namespace

void add_prune_command(CLI::App& app) {
  auto options = std::make_shared<PruneCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "prune", "Prune a .tflite model (magnitude or whole channels) and report what it saves");
  cmd->add_option("model", options->model, "the .tflite model")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output, "the pruned .tflite")->required();
  cmd->add_option("--sparsity", options->sparsity,
                  "share of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED weights to zero "
                  "(magnitude pruning; int8 weights are stored sparse where that is smaller)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--channels", options->channels,
                  "share of the output channels of each CONV_2D / FULLY_CONNECTED layer to remove "
                  "(lowest L1 norm first; the graph is rewritten smaller)")
      ->check(CLI::Range(0.0, 0.999));
  cmd->add_flag("--structured", options->structured,
                "remove whole channels (--sparsity then gives the share of channels)");
  cmd->add_flag("--global", options->global,
                "magnitude pruning: one threshold over all layers instead of the share per layer");
  cmd->add_flag("--dense", options->dense, "magnitude pruning: keep the zeros stored dense");
  cmd->add_option("--data", options->data,
                  "samples to evaluate on (.npy [N, input shape...] or CSV; one per input); "
                  "default: random samples over the input range");
  cmd->add_option("--labels", options->labels, "class labels (CSV) for accuracy");
  cmd->add_option("--samples", options->samples, "use at most this many samples (0: all)");
  cmd->add_option("--random-samples", options->random_samples, "random samples without --data")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", options->json, "print one JSON object");
  cmd->callback([options] { run_prune(*options); });
}

}  // namespace mote::cli
