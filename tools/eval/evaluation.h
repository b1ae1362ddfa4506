// mote eval: runs a reference and a candidate model (typically float and its int8 version) on the
// same samples with the runtime's kernels and reports how far the candidate is from the
// reference — accuracy for classifiers, ROC AUC for anomaly scores, error statistics otherwise —
// and, for a quantized candidate, a per-layer table showing where the error enters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/quantize/calibrator.h"
#include "tools/quantize/representative_data.h"

namespace mote::tools {

enum class EvalTask { kAuto, kClassification, kAnomaly, kRegression };

// "auto", "classification", "anomaly", "regression".
const char* eval_task_name(EvalTask task);
EvalTask parse_eval_task(const std::string& name);

// Labels, one per sample: class indices for classification, 0/1 (is_anomaly) for anomalies.
struct Labels {
  std::string column;
  std::vector<double> values;
};

// Reads column `column` of a CSV label file (empty: is_anomaly, else label, else the only
// column). Throws naming the columns there are and any cell that is not a number.
Labels read_labels(const std::filesystem::path& path, const std::string& column = "");

struct EvalOptions {
  EvalTask task = EvalTask::kAuto;
  bool per_layer = true;
};

// Output error of the candidate against the reference, over every output value of every sample.
struct ErrorStats {
  double max_abs = 0.0;
  double mean_abs = 0.0;
  double sqnr_db = 0.0;
  std::uint64_t values = 0;
};

// One row of the per-layer table.
struct LayerRow {
  std::string name;  // the candidate tensor's
  std::string op;    // the candidate op that writes it ("input" for a model input)
  std::int32_t reference = -1;
  std::int32_t candidate = -1;
  bool matched_by_name = true;
  std::string type;  // "int8", "int16"
  float scale = 0.0f;
  std::int64_t zero_point = 0;
  float range_min = 0.0f;  // the representable real range of the candidate tensor
  float range_max = 0.0f;
  float reference_min = 0.0f;  // the float reference's values over all samples
  float reference_max = 0.0f;
  double sqnr_db = 0.0;  // dequantized candidate against the reference
  // The lowest SQNR among the tabled inputs of the op that writes it (NaN for model inputs and
  // ops without tabled inputs): what sqnr_db falls below it is what this layer costs.
  double input_sqnr_db = std::numeric_limits<double>::quiet_NaN();
  std::int64_t order = -1;  // the writing op's index (-1: a model input); rows are sorted by it
  // Share of reference values that saturate: beyond the representable range plus half a step.
  double clipped = 0.0;
  std::uint64_t values = 0;
};

struct EvalResult {
  std::size_t samples = 0;
  EvalTask task = EvalTask::kRegression;
  std::string score;  // anomaly score used: "output" or "reconstruction error (MSE)"
  ErrorStats error;
  // Classification: share of samples whose argmax equals the label (NaN without labels) and
  // share where both models agree. Anomaly: ROC AUC of each model's score.
  double reference_accuracy = 0.0;
  double candidate_accuracy = 0.0;
  double agreement = 0.0;
  double reference_auc = 0.0;
  double candidate_auc = 0.0;
  bool has_labels = false;
  std::vector<LayerRow> layers;
  std::size_t unmatched = 0;  // quantized candidate activations with no reference tensor
};

// Compares `candidate` with `reference` on `data` (real values; integer-interface models get
// them quantized with their input parameters). Every sample starts from zeroed variable
// tensors. Throws when the models' inputs or outputs do not correspond.
EvalResult evaluate(const Graph& reference, const Graph& candidate, const SampleSet& data,
                    const std::optional<Labels>& labels, const EvalOptions& options,
                    const ProgressFn& progress = {});

}  // namespace mote::tools
