// A split of a seismic data set by station: every trace of a station lands on the same side, so
// the evaluation stations are never trained on (a model that learns one site's noise would
// otherwise look better than it is on a new site).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/data/seismic_dataset.h"

namespace mote::tools {

// The seed and share every command uses unless told otherwise, so that `mote seismic train` and
// `mote seismic eval` agree on the held-out stations.
constexpr std::uint64_t kDefaultSplitSeed = 20240305;
constexpr double kDefaultHeldOutFraction = 0.2;

struct StationSplit {
  std::vector<std::string> train_stations;  // sorted
  std::vector<std::string> held_out_stations;
  std::vector<std::size_t> train_traces;  // ascending trace indices
  std::vector<std::size_t> held_out_traces;
};

// Shuffles the sorted station names with `seed` and moves whole stations to the held-out side
// until it holds at least round(held_out_fraction * traces) traces. Throws when the labels name no
// stations or the fraction is outside (0, 1).
StationSplit split_by_station(const SeismicDataset& data,
                              double held_out_fraction = kDefaultHeldOutFraction,
                              std::uint64_t seed = kDefaultSplitSeed);

}  // namespace mote::tools
