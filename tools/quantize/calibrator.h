// Calibration: runs the float graph with the runtime's float kernels over representative samples
// and records the values of every activation (read right after the op that writes it), then
// chooses each tensor's range with the requested method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/quantize/range_estimator.h"
#include "tools/quantize/representative_data.h"

namespace mote::tools {

// Reports progress: `done` of `total` samples in the pass named `stage`.
using ProgressFn =
    std::function<void(const std::string& stage, std::size_t done, std::size_t total)>;

struct Calibration {
  RangeOptions options;
  std::size_t samples = 0;
  // Per float-graph tensor: statistics of every value it took (empty for constants and for
  // tensors no op writes).
  std::vector<TensorStats> tensors;
  // Per LSTM cell-state tensor: the values of the cell state after every time step (the op's
  // outputs show only the hidden state).
  std::map<std::int32_t, TensorStats> cell_states;

  // The range chosen for tensor `t` quantized to `type`; throws when it was never observed.
  RealRange range(std::int32_t t, TensorType type) const;
};

// Calibrates `graph` (float32 activations) on `data` (one sample array per graph input). Every
// sample starts from zeroed variable tensors. The histogram methods make a second pass.
Calibration calibrate(const Graph& graph, const SampleSet& data, const RangeOptions& options,
                      const ProgressFn& progress = {});

}  // namespace mote::tools
