#include "tools/data/seismic_dataset.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "tools/io/csv.h"
#include "tools/io/npy.h"

namespace mote::tools {
namespace {

// Converts every element of `array` to float32 (24-bit digitiser counts are exact in float32).
std::vector<float> to_float(const NpyArray& array, const std::string& what) {
  const std::size_t n = array.elements();
  std::vector<float> out(n);
  const std::uint8_t* p = array.data.data();
  auto convert = [&](auto tag) {
    using T = decltype(tag);
    for (std::size_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, p + i * sizeof(T), sizeof(T));
      out[i] = static_cast<float>(v);
    }
  };
  switch (array.type) {
    case TensorType::FLOAT32:
      if (n > 0) std::memcpy(out.data(), p, n * sizeof(float));
      break;
    case TensorType::FLOAT64:
      convert(double{});
      break;
    case TensorType::INT32:
      convert(std::int32_t{});
      break;
    case TensorType::INT16:
      convert(std::int16_t{});
      break;
    case TensorType::INT8:
      convert(std::int8_t{});
      break;
    default:
      throw std::runtime_error(fmt::format(
          "{}: samples of type {} are not supported; use float32, float64, int32, int16 or int8",
          what, tensor_type_name(array.type)));
  }
  return out;
}

// A sample index from a CSV cell: an integer (or an integral number such as 3000.0); empty
// means absent (-1).
std::int64_t parse_index(const std::string& cell, const std::string& what, std::size_t row,
                         const char* column) {
  if (cell.empty()) return -1;
  std::int64_t value = 0;
  const char* end = cell.data() + cell.size();
  auto [ptr, ec] = std::from_chars(cell.data(), end, value);
  if (ec == std::errc() && ptr == end) return value;
  double real = 0.0;
  auto [ptr2, ec2] = std::from_chars(cell.data(), end, real);
  if (ec2 == std::errc() && ptr2 == end && std::isfinite(real) && real == std::floor(real) &&
      std::fabs(real) < 9.0e15) {
    return static_cast<std::int64_t>(real);
  }
  throw std::runtime_error(
      fmt::format("{}: row {} ({}): '{}' is not a sample index", what, row + 1, column, cell));
}

bool has_column(const CsvTable& table, const std::string& name) {
  for (const auto& h : table.header()) {
    if (h == name) return true;
  }
  return false;
}

}  // namespace

SeismicDataset SeismicDataset::load(const std::filesystem::path& waveforms,
                                    const std::filesystem::path& labels) {
  const std::string what = waveforms.string();
  const NpyArray array = read_npy(waveforms);
  if (array.shape.size() != 3 || array.shape[1] != kComponents) {
    std::string shape;
    for (std::size_t i = 0; i < array.shape.size(); ++i) {
      shape += (i ? ", " : "") + std::to_string(array.shape[i]);
    }
    throw std::runtime_error(
        fmt::format("{}: shape [{}]; seismic waveforms must be [N, 3, T] with components E, N, Z",
                    what, shape));
  }
  const auto traces = static_cast<std::size_t>(array.shape[0]);
  const auto samples = static_cast<std::size_t>(array.shape[2]);

  const CsvTable table = CsvTable::read(labels);
  const std::string label_what = labels.string();
  for (const char* required : {"p_index", "s_index"}) {
    if (!has_column(table, required)) {
      throw std::runtime_error(
          fmt::format("{}: no '{}' column; the labels need p_index and "
                      "s_index (sample indices, -1 when absent)",
                      label_what, required));
    }
  }
  if (table.size() != traces) {
    throw std::runtime_error(fmt::format("{}: {} label rows for {} traces in {}", label_what,
                                         table.size(), traces, what));
  }
  const bool has_station = has_column(table, "station");
  const bool has_network = has_column(table, "network");
  const bool has_id = has_column(table, "id");
  const bool has_instrument = has_column(table, "instrument");
  const bool has_rate = has_column(table, "fs_hz");
  const bool has_start = has_column(table, "start_time_utc_guess");
  std::vector<SeismicLabel> rows(traces);
  for (std::size_t i = 0; i < traces; ++i) {
    SeismicLabel& l = rows[i];
    l.p_index = parse_index(table.at(i, "p_index"), label_what, i, "p_index");
    l.s_index = parse_index(table.at(i, "s_index"), label_what, i, "s_index");
    l.id = has_id ? table.at(i, "id") : "trace" + std::to_string(i);
    l.instrument = has_instrument ? table.at(i, "instrument") : "";
    l.start_time = has_start ? table.at(i, "start_time_utc_guess") : "";
    if (has_station) {
      const std::string& net = has_network ? table.at(i, "network") : std::string();
      l.station = net.empty() ? table.at(i, "station") : net + "." + table.at(i, "station");
      if (table.at(i, "station").empty()) {
        throw std::runtime_error(fmt::format("{}: row {} has an empty station", label_what, i + 1));
      }
    }
    if (has_rate) {
      const std::string& rate = table.at(i, "fs_hz");
      double hz = 0.0;
      auto [ptr, ec] = std::from_chars(rate.data(), rate.data() + rate.size(), hz);
      if (ec != std::errc() || ptr != rate.data() + rate.size() || hz != kSampleRateHz) {
        throw std::runtime_error(fmt::format(
            "{}: row {} has fs_hz '{}'; the seismic pipeline runs at 100 Hz (resample first)",
            label_what, i + 1, rate));
      }
    }
  }
  SeismicDataset out =
      from_samples(to_float(array, what), traces, samples, std::move(rows), label_what);
  out.has_stations_ = has_station;
  return out;
}

SeismicDataset SeismicDataset::from_samples(std::vector<float> samples, std::size_t traces,
                                            std::size_t samples_per_trace,
                                            std::vector<SeismicLabel> labels,
                                            const std::string& what) {
  if (samples.size() != traces * kComponents * samples_per_trace) {
    throw std::runtime_error(fmt::format("{}: {} samples do not make {} traces of 3 x {}", what,
                                         samples.size(), traces, samples_per_trace));
  }
  if (labels.size() != traces) {
    throw std::runtime_error(
        fmt::format("{}: {} labels for {} traces", what, labels.size(), traces));
  }
  const auto t = static_cast<std::int64_t>(samples_per_trace);
  SeismicDataset out;
  out.samples_ = std::move(samples);
  out.samples_per_trace_ = samples_per_trace;
  bool all_stations = traces > 0;
  for (std::size_t i = 0; i < traces; ++i) {
    SeismicLabel& l = labels[i];
    for (auto [index, name] : {std::pair{l.p_index, "p_index"}, std::pair{l.s_index, "s_index"}}) {
      if (index < -1 || index >= t) {
        throw std::runtime_error(fmt::format(
            "{}: row {} ({}): {} {} lies outside the trace of {} samples (use -1 for none)", what,
            i + 1, l.id, name, index, samples_per_trace));
      }
    }
    if (l.p_index >= 0 && l.s_index >= 0 && l.s_index <= l.p_index) {
      throw std::runtime_error(fmt::format("{}: row {} ({}): S at {} is not after P at {}", what,
                                           i + 1, l.id, l.s_index, l.p_index));
    }
    const float* base = out.samples_.data() + i * kComponents * samples_per_trace;
    for (std::size_t k = 0; k < kComponents * samples_per_trace; ++k) {
      if (!std::isfinite(base[k])) {
        throw std::runtime_error(
            fmt::format("{}: trace {} ({}) holds a non-finite sample at "
                        "component {}, index {}",
                        what, i, l.id, k / samples_per_trace, k % samples_per_trace));
      }
    }
    bool horizontal = false;
    for (std::size_t k = 0; k < 2 * samples_per_trace && !horizontal; ++k) {
      horizontal = base[k] != 0.0f;
    }
    l.vertical_only = !horizontal;
    if (l.station.empty()) all_stations = false;
  }
  out.labels_ = std::move(labels);
  out.has_stations_ = all_stations;
  return out;
}

std::span<const float> SeismicDataset::component(std::size_t trace, int component) const {
  if (trace >= size() || component < 0 || component >= kComponents) {
    throw std::out_of_range(fmt::format("seismic data: trace {} component {} outside {} x 3", trace,
                                        component, size()));
  }
  return {samples_.data() + (trace * kComponents + component) * samples_per_trace_,
          samples_per_trace_};
}

std::span<const float> SeismicDataset::trace(std::size_t trace) const {
  if (trace >= size()) {
    throw std::out_of_range(fmt::format("seismic data: trace {} outside {}", trace, size()));
  }
  return {samples_.data() + trace * kComponents * samples_per_trace_,
          kComponents * samples_per_trace_};
}

std::int64_t parse_compact_utc(const std::string& text) {
  if (text.size() != 14) return -1;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(6, 2));
  tm.tm_hour = std::stoi(text.substr(8, 2));
  tm.tm_min = std::stoi(text.substr(10, 2));
  tm.tm_sec = std::stoi(text.substr(12, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return -1;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace mote::tools
