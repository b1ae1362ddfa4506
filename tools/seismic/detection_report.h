// The detection table and its JSON form, shared by `mote seismic eval` and `mote demo seismic`
// so that both print the same figures the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/seismic/pick_metrics.h"

namespace mote::tools {

// One detector's scores under a name ("stalta", "model").
struct NamedScores {
  std::string name;
  const DetectionScores* scores = nullptr;
  bool typed_s = true;  // false for detectors that cannot tell S from P (STA/LTA)
};

// JSON of one detector's scores: p and s objects with precision_<t>s, recall_<t>s, f1_<t>s,
// residual_mean_s, residual_std_s, and false_triggers_per_hour; s is null when !typed_s.
nlohmann::json detection_json(const DetectionScores& scores, bool typed_s);

// The table: one row per detector and phase with precision, recall and F1 at every tolerance
// (ascending), residual mean and std, then the false triggers per hour of each detector.
std::string detection_table(const std::vector<NamedScores>& rows,
                            const std::vector<double>& tolerances);

}  // namespace mote::tools
