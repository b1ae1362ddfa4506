#include "tools/train/validation_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "tools/data/random.h"

namespace mote::tools {

ValidationSplit split_validation(const SeismicDataset& data, const std::vector<std::size_t>& traces,
                                 double fraction, std::uint64_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw std::invalid_argument("validation split: the fraction must be in [0, 1)");
  }
  std::map<std::string, std::vector<std::size_t>> by_station;
  for (std::size_t t : traces) {
    const std::string& station = data.label(t).station;
    by_station[station.empty() ? data.label(t).id : station].push_back(t);
  }
  std::vector<std::string> stations;
  for (const auto& [name, members] : by_station) stations.push_back(name);
  // Fisher-Yates with the project's portable generator: the same seed, the same stations.
  Random random(seed);
  for (std::size_t i = stations.size(); i > 1; --i) {
    std::swap(stations[i - 1], stations[random.below(i)]);
  }

  const auto target = static_cast<std::size_t>(std::llround(fraction * traces.size()));
  ValidationSplit split;
  std::set<std::string> validation;
  std::size_t taken = 0;
  for (std::size_t i = 0; i + 1 < stations.size() && taken < target; ++i) {
    validation.insert(stations[i]);
    taken += by_station[stations[i]].size();
  }
  for (const auto& [name, members] : by_station) {
    auto& side = validation.count(name) != 0 ? split.validation_traces : split.fit_traces;
    side.insert(side.end(), members.begin(), members.end());
    if (validation.count(name) != 0) split.validation_stations.push_back(name);
  }
  std::sort(split.fit_traces.begin(), split.fit_traces.end());
  std::sort(split.validation_traces.begin(), split.validation_traces.end());
  return split;
}

}  // namespace mote::tools
