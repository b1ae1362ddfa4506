#include "apps/seismic/demo/threshold_choice.h"

#include <stdexcept>

#include "apps/seismic/model_detector_config.h"
#include "tools/seismic/pick_metrics.h"
#include "tools/seismic/run_detector.h"

namespace mote::seismic::demo {

std::vector<float> default_threshold_candidates() {
  std::vector<float> levels;
  for (int step = 10; step <= 19; ++step) levels.push_back(static_cast<float>(step) * 0.05f);
  return levels;
}

ThresholdChoice choose_threshold(const tools::SeismicDataset& data,
                                 const std::vector<std::size_t>& traces,
                                 const std::filesystem::path& model,
                                 const std::vector<float>& candidates) {
  if (traces.empty()) throw std::invalid_argument("choosing a threshold needs validation traces");
  if (candidates.empty()) throw std::invalid_argument("choosing a threshold needs candidates");
  std::vector<tools::TruePicks> truth;
  for (const std::size_t t : traces)
    truth.push_back({data.label(t).p_index, data.label(t).s_index});
  ThresholdChoice choice;
  choice.traces = traces.size();
  double best = -1.0;
  for (const float threshold : candidates) {
    tools::ModelHostDetector detector(model, model_detector_config(threshold));
    std::vector<tools::TraceDetections> detections;
    for (const std::size_t t : traces) {
      detections.push_back(detector.run(data.trace(t), data.samples_per_trace()));
    }
    // Tolerance 0.5 s only: at(0) is the 0.5 s figure.
    const tools::DetectionScores scores =
        tools::score_detections(truth, detections, tools::SeismicDataset::kSampleRateHz, {0.5});
    ThresholdTrial trial;
    trial.threshold = threshold;
    trial.p_f1 = scores.p.at.at(0).f1;
    trial.s_f1 = scores.s.at.at(0).f1;
    trial.p_recall = scores.p.at.at(0).recall;
    trial.false_triggers_per_hour = scores.false_triggers_per_hour;
    choice.trials.push_back(trial);
    const double value = trial.p_f1 + trial.s_f1;
    if (value >= best) {  // >=: a tie goes to the later, higher level
      best = value;
      choice.threshold = threshold;
    }
  }
  return choice;
}

}  // namespace mote::seismic::demo
