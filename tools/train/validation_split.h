// Validation stations taken out of the training stations: the model is judged during training on
// sites it has not fitted, without touching the held-out evaluation stations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/data/seismic_dataset.h"

namespace mote::tools {

struct ValidationSplit {
  std::vector<std::size_t> fit_traces;  // ascending
  std::vector<std::size_t> validation_traces;
  std::vector<std::string> validation_stations;  // sorted
};

// Shuffles the stations of `traces` (sorted names, seeded) and moves whole stations to the
// validation side until it holds at least round(fraction × traces) traces, always leaving one
// station to fit. A fraction of 0, or a single station, gives no validation traces. Traces
// without a station name count as one station each (named by their id).
ValidationSplit split_validation(const SeismicDataset& data, const std::vector<std::size_t>& traces,
                                 double fraction, std::uint64_t seed);

}  // namespace mote::tools
