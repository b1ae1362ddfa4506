#include "tools/data/station_split.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "tools/data/random.h"

namespace mote::tools {

StationSplit split_by_station(const SeismicDataset& data, double held_out_fraction,
                              std::uint64_t seed) {
  if (!data.has_stations()) {
    throw std::runtime_error(
        "a split by station needs a 'station' column in the labels (and every row filled)");
  }
  if (!(held_out_fraction > 0.0 && held_out_fraction < 1.0)) {
    throw std::runtime_error(
        fmt::format("held-out fraction {} must lie strictly between 0 and 1", held_out_fraction));
  }
  std::map<std::string, std::vector<std::size_t>> by_station;
  for (std::size_t i = 0; i < data.size(); ++i) by_station[data.label(i).station].push_back(i);
  std::vector<std::string> stations;
  for (const auto& [name, traces] : by_station) stations.push_back(name);
  Random random(seed);
  for (std::size_t i = stations.size(); i > 1; --i) {
    std::swap(stations[i - 1], stations[random.below(i)]);
  }
  const auto target = static_cast<std::size_t>(std::llround(held_out_fraction * data.size()));
  std::set<std::string> held_out;
  std::size_t held_out_count = 0;
  for (const auto& name : stations) {
    if (held_out_count >= target) break;
    held_out.insert(name);
    held_out_count += by_station[name].size();
  }
  StationSplit split;
  for (const auto& [name, traces] : by_station) {
    const bool out = held_out.count(name) > 0;
    (out ? split.held_out_stations : split.train_stations).push_back(name);
    auto& list = out ? split.held_out_traces : split.train_traces;
    list.insert(list.end(), traces.begin(), traces.end());
  }
  std::sort(split.train_traces.begin(), split.train_traces.end());
  std::sort(split.held_out_traces.begin(), split.held_out_traces.end());
  return split;
}

}  // namespace mote::tools
