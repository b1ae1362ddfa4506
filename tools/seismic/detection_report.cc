#include "tools/seismic/detection_report.h"

#include <fmt/format.h>

#include <cmath>

namespace mote::tools {
namespace {

// JSON number, or null for NaN (an undefined ratio).
nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

std::string text(double v, const char* format = "{:.3f}") {
  return std::isnan(v) ? "n/a" : fmt::format(fmt::runtime(format), v);
}

std::string tolerance_key(const char* metric, double tolerance) {
  return fmt::format("{}_{:g}s", metric, tolerance);
}

nlohmann::json phase_json(const PhaseScores& s) {
  nlohmann::json j;
  j["true_picks"] = s.true_picks;
  j["picks"] = s.predicted;
  for (const ToleranceScores& t : s.at) {
    j[tolerance_key("matched", t.tolerance_s)] = t.matched;
    j[tolerance_key("precision", t.tolerance_s)] = number(t.precision);
    j[tolerance_key("recall", t.tolerance_s)] = number(t.recall);
    j[tolerance_key("f1", t.tolerance_s)] = number(t.f1);
  }
  j["residual_count"] = s.residual_count;
  j["residual_mean_s"] = number(s.residual_mean_s);
  j["residual_std_s"] = number(s.residual_std_s);
  if (!s.at.empty()) {
    j[fmt::format("matched_within_{:g}s", s.at.front().tolerance_s)] = number(s.within_smallest);
  }
  return j;
}

std::string phase_row(const std::string& name, const char* phase, const PhaseScores& s) {
  std::string row = fmt::format("{:<8} {:<5} {:>5} {:>6}", name, phase, s.true_picks, s.predicted);
  for (const ToleranceScores& t : s.at) {
    row += fmt::format("  {:>6} {:>6} {:>6}", text(t.precision), text(t.recall), text(t.f1));
  }
  row += fmt::format("  {:>7} ± {:<6}  {:>6}\n", text(s.residual_mean_s, "{:+.3f}"),
                     text(s.residual_std_s), text(100.0 * s.within_smallest, "{:.0f}%"));
  return row;
}

}  // namespace

nlohmann::json detection_json(const DetectionScores& scores, bool typed_s) {
  nlohmann::json j;
  j["p"] = phase_json(scores.p);
  j["s"] = typed_s ? phase_json(scores.s) : nlohmann::json();
  j["false_triggers"] = scores.false_triggers;
  j["noise_hours"] = scores.noise_hours;
  j["false_triggers_per_hour"] = number(scores.false_triggers_per_hour);
  return j;
}

std::string detection_table(const std::vector<NamedScores>& rows,
                            const std::vector<double>& tolerances) {
  std::string out = fmt::format("{:<8} {:<5} {:>5} {:>6}", "detector", "phase", "true", "picks");
  for (double t : tolerances) {
    out += fmt::format("  {:>6} {:>6} {:>6}", fmt::format("P@{:g}", t), fmt::format("R@{:g}", t),
                       fmt::format("F1@{:g}", t));
  }
  out += fmt::format("  {:>18}  {:>6}\n", "residual mean ± std (s)",
                     fmt::format("≤{:g} s", tolerances.front()));
  for (const NamedScores& r : rows) {
    out += phase_row(r.name, "P", r.scores->p);
    out += r.typed_s ? phase_row(r.name, "S", r.scores->s)
                     : fmt::format("{:<8} {:<5} (not typed by this detector)\n", r.name, "S");
  }
  out += fmt::format(
      "\nresiduals: predicted - analyst pick over matches within {:g} s (positive = late); the "
      "last column is the share of those within {:g} s\n",
      tolerances.back(), tolerances.front());
  for (const NamedScores& r : rows) {
    out += fmt::format("false triggers  {:<7} {} in {:.3f} h of pre-event noise = {} per hour\n",
                       r.name, r.scores->false_triggers, r.scores->noise_hours,
                       text(r.scores->false_triggers_per_hour, "{:.1f}"));
  }
  return out;
}

}  // namespace mote::tools
