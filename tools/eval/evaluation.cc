#include "tools/eval/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "tools/eval/metrics.h"
#include "tools/eval/tensor_matching.h"
#include "tools/io/csv.h"
#include "tools/quantize/graph_runner.h"
#include "tools/quantize/quant_params.h"

namespace mote::tools {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t total_elements(const Graph& g, const std::vector<std::int32_t>& tensors) {
  std::size_t n = 0;
  for (std::int32_t t : tensors) n += g.tensors.at(static_cast<std::size_t>(t)).elements();
  return n;
}

struct LayerAccumulator {
  SqnrAccumulator sqnr;
  std::uint64_t clipped = 0;
  float reference_min = 0.0f;
  float reference_max = 0.0f;
  bool seen = false;
};

std::string writer_name(const Graph& g, std::int32_t t) {
  const auto producer = g.producer(t);
  return producer ? op_name(g.ops[*producer]) : "input";
}

}  // namespace

const char* eval_task_name(EvalTask task) {
  switch (task) {
    case EvalTask::kAuto:
      return "auto";
    case EvalTask::kClassification:
      return "classification";
    case EvalTask::kAnomaly:
      return "anomaly";
    case EvalTask::kRegression:
      return "regression";
  }
  return "?";
}

EvalTask parse_eval_task(const std::string& name) {
  for (EvalTask t :
       {EvalTask::kAuto, EvalTask::kClassification, EvalTask::kAnomaly, EvalTask::kRegression}) {
    if (name == eval_task_name(t)) return t;
  }
  throw std::runtime_error("unknown task '" + name +
                           "': use auto, classification, anomaly or regression");
}

Labels read_labels(const std::filesystem::path& path, const std::string& column) {
  const CsvTable table = CsvTable::read(path);
  const auto& header = table.header();
  auto has = [&](const std::string& name) {
    return std::find(header.begin(), header.end(), name) != header.end();
  };
  Labels labels;
  if (!column.empty()) {
    labels.column = column;
  } else if (has("is_anomaly")) {
    labels.column = "is_anomaly";
  } else if (has("label")) {
    labels.column = "label";
  } else if (header.size() == 1) {
    labels.column = header[0];
  } else {
    throw std::runtime_error(
        fmt::format("{}: which column holds the labels? It has {}; name one with --label-column",
                    path.string(), fmt::join(header, ", ")));
  }
  const std::size_t c = table.column(labels.column);
  for (std::size_t r = 0; r < table.size(); ++r) {
    const std::string& cell = table.rows()[r][c];
    double v = 0.0;
    const auto parsed = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (parsed.ec != std::errc() || parsed.ptr != cell.data() + cell.size() || !std::isfinite(v)) {
      throw std::runtime_error(fmt::format("{}: row {}, column '{}': '{}' is not a number",
                                           path.string(), r + 1, labels.column, cell));
    }
    labels.values.push_back(v);
  }
  return labels;
}

EvalResult evaluate(const Graph& reference, const Graph& candidate, const SampleSet& data,
                    const std::optional<Labels>& labels, const EvalOptions& options,
                    const ProgressFn& progress) {
  if (reference.inputs.size() != candidate.inputs.size() ||
      reference.outputs.size() != candidate.outputs.size()) {
    throw std::runtime_error(fmt::format(
        "the models do not correspond: the reference has {} input(s) and {} output(s), the "
        "candidate {} and {}",
        reference.inputs.size(), reference.outputs.size(), candidate.inputs.size(),
        candidate.outputs.size()));
  }
  for (std::size_t i = 0; i < reference.outputs.size(); ++i) {
    const auto& r = reference.tensors[static_cast<std::size_t>(reference.outputs[i])];
    const auto& c = candidate.tensors[static_cast<std::size_t>(candidate.outputs[i])];
    if (r.elements() != c.elements()) {
      throw std::runtime_error(
          fmt::format("output {} has {} elements in the reference ('{}') "
                      "but {} in the candidate ('{}')",
                      i, r.elements(), r.name, c.elements(), c.name));
    }
  }
  if (data.count == 0) throw std::runtime_error("evaluation needs at least one sample");
  if (labels && labels->values.size() < data.count) {
    throw std::runtime_error(
        fmt::format("{} labels for {} samples", labels->values.size(), data.count));
  }

  EvalResult result;
  result.samples = data.count;
  result.has_labels = labels.has_value();
  const std::size_t out_elements = total_elements(reference, reference.outputs);
  const std::size_t in_elements = total_elements(reference, reference.inputs);

  // The task.
  EvalTask task = options.task;
  if (task == EvalTask::kAuto) {
    if (!labels) {
      task = EvalTask::kRegression;
    } else {
      const bool binary = std::all_of(labels->values.begin(), labels->values.end(),
                                      [](double v) { return v == 0.0 || v == 1.0; });
      const bool scalar_or_reconstruction =
          out_elements == 1 || (out_elements == in_elements && out_elements > 1);
      task = labels->column == "is_anomaly" || (binary && scalar_or_reconstruction)
                 ? EvalTask::kAnomaly
                 : EvalTask::kClassification;
    }
  }
  result.task = task;
  if ((task == EvalTask::kClassification || task == EvalTask::kAnomaly) && !labels) {
    throw std::runtime_error(fmt::format("the {} task needs --labels", eval_task_name(task)));
  }
  const bool reconstruction = task == EvalTask::kAnomaly && out_elements != 1;
  if (reconstruction && out_elements != in_elements) {
    throw std::runtime_error(
        fmt::format("an anomaly score needs one output value, or an output the size of the input "
                    "(reconstruction error); this model has {} output and {} input values",
                    out_elements, in_elements));
  }
  if (task == EvalTask::kAnomaly) {
    result.score = reconstruction ? "reconstruction error (mean squared)" : "output value";
  }

  GraphRunner ref(reference, "the reference model");
  GraphRunner cand(candidate, "the candidate model");

  const std::vector<TensorMatch> matches =
      options.per_layer ? match_tensors(reference, candidate) : std::vector<TensorMatch>{};
  std::map<std::int32_t, std::size_t> row_of_candidate;
  std::map<std::int32_t, std::vector<float>> reference_values;  // wanted reference tensors
  for (std::size_t m = 0; m < matches.size(); ++m) {
    row_of_candidate[matches[m].candidate] = m;
    reference_values[matches[m].reference];
  }
  std::vector<LayerAccumulator> layers(matches.size());
  std::vector<std::pair<float, float>> representable(matches.size());
  std::vector<std::pair<float, float>> saturation(matches.size());
  for (std::size_t m = 0; m < matches.size(); ++m) {
    const GraphTensor& c = candidate.tensors[static_cast<std::size_t>(matches[m].candidate)];
    std::int64_t lo = 0, hi = 0;
    integer_limits(c.type, &lo, &hi);
    const double s = c.quant.scale[0];
    const double z = static_cast<double>(c.quant.zero_point[0]);
    representable[m] = {static_cast<float>((static_cast<double>(lo) - z) * s),
                        static_cast<float>((static_cast<double>(hi) - z) * s)};
    saturation[m] = {static_cast<float>((static_cast<double>(lo) - 0.5 - z) * s),
                     static_cast<float>((static_cast<double>(hi) + 0.5 - z) * s)};
  }
  auto compare = [&](std::int32_t candidate_tensor, const std::vector<float>& values) {
    const auto row = row_of_candidate.find(candidate_tensor);
    if (row == row_of_candidate.end()) return;
    const std::size_t m = row->second;
    const std::vector<float>& r = reference_values[matches[m].reference];
    if (r.size() != values.size()) return;
    LayerAccumulator& acc = layers[m];
    acc.sqnr.add(r, values);
    for (float v : r) {
      if (!acc.seen) {
        acc.reference_min = acc.reference_max = v;
        acc.seen = true;
      }
      acc.reference_min = std::min(acc.reference_min, v);
      acc.reference_max = std::max(acc.reference_max, v);
      // Beyond half a step past either end a value no longer rounds to the end: it saturates.
      if (v < saturation[m].first || v > saturation[m].second) ++acc.clipped;
    }
  };

  SqnrAccumulator output_error;
  std::size_t ref_correct = 0, cand_correct = 0, agree = 0;
  std::vector<double> ref_scores, cand_scores;
  std::vector<std::uint8_t> positive;  // not vector<bool>: it has no contiguous storage
  std::size_t classes = 0;
  for (std::size_t n = 0; n < data.count; ++n) {
    ref.reset_state();
    cand.reset_state();
    for (std::size_t i = 0; i < reference.inputs.size(); ++i) {
      const std::span<const float> sample = data.sample(i, n);
      ref.set_input_values(static_cast<std::uint32_t>(i), sample);
      cand.set_input_values(static_cast<std::uint32_t>(i), sample);
      auto wanted = reference_values.find(reference.inputs[i]);
      if (wanted != reference_values.end()) wanted->second.assign(sample.begin(), sample.end());
    }
    ref.invoke([&](std::uint32_t o) {
      for (std::int32_t t : op_outputs(ref.model(), o)) {
        auto wanted = reference_values.find(t);
        if (wanted == reference_values.end()) continue;
        wanted->second =
            tensor_real_values(ref.interpreter().tensor(static_cast<std::uint32_t>(t)));
      }
    });
    for (std::size_t i = 0; i < candidate.inputs.size(); ++i) {
      const std::int32_t t = candidate.inputs[i];
      if (row_of_candidate.count(t) != 0) {
        compare(t, tensor_real_values(cand.interpreter().tensor(static_cast<std::uint32_t>(t))));
      }
    }
    std::vector<float> candidate_inputs;
    for (std::size_t i = 0; i < reference.inputs.size() && reconstruction; ++i) {
      const auto s = data.sample(i, n);
      candidate_inputs.insert(candidate_inputs.end(), s.begin(), s.end());
    }
    cand.invoke([&](std::uint32_t o) {
      for (std::int32_t t : op_outputs(cand.model(), o)) {
        if (row_of_candidate.count(t) == 0) continue;
        compare(t, tensor_real_values(cand.interpreter().tensor(static_cast<std::uint32_t>(t))));
      }
    });

    std::vector<float> ref_out, cand_out;
    for (std::uint32_t i = 0; i < reference.outputs.size(); ++i) {
      const auto r = ref.output_values(i);
      const auto c = cand.output_values(i);
      ref_out.insert(ref_out.end(), r.begin(), r.end());
      cand_out.insert(cand_out.end(), c.begin(), c.end());
    }
    output_error.add(ref_out, cand_out);
    const std::size_t ref_class = argmax(ref_out);
    const std::size_t cand_class = argmax(cand_out);
    if (ref_class == cand_class) ++agree;
    classes = ref_out.size();
    if (task == EvalTask::kClassification) {
      const double label = labels->values[n];
      if (label != std::floor(label) || label < 0 || label >= static_cast<double>(classes)) {
        throw std::runtime_error(fmt::format(
            "label {} of sample {} is not a class index of a {}-class output", label, n, classes));
      }
      if (static_cast<std::size_t>(label) == ref_class) ++ref_correct;
      if (static_cast<std::size_t>(label) == cand_class) ++cand_correct;
    } else if (task == EvalTask::kAnomaly) {
      if (reconstruction) {
        double re = 0.0, ce = 0.0;
        for (std::size_t k = 0; k < ref_out.size(); ++k) {
          re += std::pow(static_cast<double>(ref_out[k]) - candidate_inputs[k], 2.0);
          ce += std::pow(static_cast<double>(cand_out[k]) - candidate_inputs[k], 2.0);
        }
        ref_scores.push_back(re / static_cast<double>(ref_out.size()));
        cand_scores.push_back(ce / static_cast<double>(cand_out.size()));
      } else {
        ref_scores.push_back(ref_out[0]);
        cand_scores.push_back(cand_out[0]);
      }
      positive.push_back(labels->values[n] != 0.0 ? 1 : 0);
    }
    if (progress) progress("evaluating", n + 1, data.count);
  }

  result.error = {output_error.max_abs_error(), output_error.mean_abs_error(),
                  output_error.sqnr_db(), output_error.count()};
  const double samples = static_cast<double>(data.count);
  result.agreement = classes > 1 ? static_cast<double>(agree) / samples : kNaN;
  result.reference_accuracy =
      task == EvalTask::kClassification ? static_cast<double>(ref_correct) / samples : kNaN;
  result.candidate_accuracy =
      task == EvalTask::kClassification ? static_cast<double>(cand_correct) / samples : kNaN;
  result.reference_auc = task == EvalTask::kAnomaly ? roc_auc(ref_scores, positive) : kNaN;
  result.candidate_auc = task == EvalTask::kAnomaly ? roc_auc(cand_scores, positive) : kNaN;

  for (std::size_t m = 0; m < matches.size(); ++m) {
    const GraphTensor& c = candidate.tensors[static_cast<std::size_t>(matches[m].candidate)];
    LayerRow row;
    row.name = c.name;
    row.op = writer_name(candidate, matches[m].candidate);
    row.reference = matches[m].reference;
    row.candidate = matches[m].candidate;
    row.matched_by_name = matches[m].by_name;
    row.type = tensor_type_name(c.type);
    row.scale = c.quant.scale[0];
    row.zero_point = c.quant.zero_point[0];
    row.range_min = representable[m].first;
    row.range_max = representable[m].second;
    row.reference_min = layers[m].reference_min;
    row.reference_max = layers[m].reference_max;
    row.sqnr_db = layers[m].sqnr.sqnr_db();
    row.values = layers[m].sqnr.count();
    row.clipped = row.values == 0
                      ? 0.0
                      : static_cast<double>(layers[m].clipped) / static_cast<double>(row.values);
    result.layers.push_back(row);
  }
  // What each layer costs: its SQNR against the worst of its op's (tabled) inputs; rows in the
  // order the candidate computes them.
  std::map<std::int32_t, double> sqnr_of;
  for (const LayerRow& row : result.layers) sqnr_of[row.candidate] = row.sqnr_db;
  for (LayerRow& row : result.layers) {
    const auto producer = candidate.producer(row.candidate);
    row.order = producer ? static_cast<std::int64_t>(*producer) : -1;
    if (!producer) continue;
    for (std::int32_t t : candidate.ops[*producer].inputs) {
      const auto found = sqnr_of.find(t);
      if (found == sqnr_of.end()) continue;
      row.input_sqnr_db = std::isnan(row.input_sqnr_db)
                              ? found->second
                              : std::min(row.input_sqnr_db, found->second);
    }
  }
  std::stable_sort(result.layers.begin(), result.layers.end(),
                   [](const LayerRow& a, const LayerRow& b) { return a.order < b.order; });
  for (const GraphTensor& c : candidate.tensors) {
    const bool quantized_activation = (c.type == TensorType::INT8 || c.type == TensorType::INT16) &&
                                      c.quant.scale.size() == 1 && !c.is_constant() &&
                                      !c.is_variable && c.elements() > 0;
    if (quantized_activation) ++result.unmatched;
  }
  result.unmatched -= std::min(result.unmatched, matches.size());
  return result;
}

}  // namespace mote::tools
