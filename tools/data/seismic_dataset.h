// Three-component seismic recordings with their arrival picks: a NumPy array [N, 3, T] of samples
// at 100 Hz (components E, N, Z; index 2 vertical) and a CSV whose row i labels trace i with
// `p_index` and `s_index` (sample indices, -1 or empty when absent). Optional columns: `station`
// (and `network`, joined as NET.STA) for splits by station, `id`, `instrument`, and `fs_hz`, which
// must be 100 when present. ../shared/data/seismic/ncedc154 is one such set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace mote::tools {

struct SeismicLabel {
  std::string id;          // the CSV's `id`, else "trace<i>"
  std::string station;     // "NET.STA", "STA", or empty when the CSV has no station column
  std::string instrument;  // the CSV's `instrument`, else empty
  std::string start_time;  // the CSV's `start_time_utc_guess` (YYYYMMDDhhmmss), else empty
  std::int64_t p_index = -1;
  std::int64_t s_index = -1;
  bool vertical_only = false;  // E and N hold only zeros (derived from the samples)
};

class SeismicDataset {
 public:
  static constexpr double kSampleRateHz = 100.0;
  static constexpr int kComponents = 3;

  // Reads and checks a waveform array and its labels; throws std::runtime_error naming the file,
  // the row and what is wrong (shape not [N, 3, T], unsupported dtype, row count, pick outside
  // the trace, S not after P, a sample rate other than 100 Hz, non-finite samples).
  static SeismicDataset load(const std::filesystem::path& waveforms,
                             const std::filesystem::path& labels);

  // A data set from samples already in memory ([traces][3][samples], float32); checks as load().
  static SeismicDataset from_samples(std::vector<float> samples, std::size_t traces,
                                     std::size_t samples_per_trace,
                                     std::vector<SeismicLabel> labels, const std::string& what);

  std::size_t size() const { return labels_.size(); }
  std::size_t samples_per_trace() const { return samples_per_trace_; }
  // The samples of component `component` of trace `trace`.
  std::span<const float> component(std::size_t trace, int component) const;
  // All components of trace `trace`, [3][samples] (component-major, as stored).
  std::span<const float> trace(std::size_t trace) const;
  const SeismicLabel& label(std::size_t trace) const { return labels_.at(trace); }
  const std::vector<SeismicLabel>& labels() const { return labels_; }
  // Whether the labels name stations (a split by station needs them).
  bool has_stations() const { return has_stations_; }

 private:
  std::vector<float> samples_;
  std::size_t samples_per_trace_ = 0;
  std::vector<SeismicLabel> labels_;
  bool has_stations_ = false;
};

// Seconds since the Unix epoch of a label's start time in the form YYYYMMDDhhmmss (UTC), or -1
// when the text is not of that form.
std::int64_t parse_compact_utc(const std::string& text);

}  // namespace mote::tools
