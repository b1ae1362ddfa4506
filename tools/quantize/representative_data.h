// Representative samples for calibration and evaluation: one array per model input, N samples of
// the input's shape, as real (float) values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tools/graph/graph.h"
#include "tools/io/npy.h"

namespace mote::tools {

// What a sample for one model input must look like.
struct InputSpec {
  std::string name;
  std::vector<std::int32_t> shape;

  std::size_t elements() const;
};

// The float model's (or any model's) inputs, in order.
std::vector<InputSpec> input_specs(const Graph& graph);

struct SampleSet {
  std::size_t count = 0;                   // samples
  std::vector<std::vector<float>> inputs;  // per model input: count × elements, C order

  // Sample `n` of model input `input`.
  std::span<const float> sample(std::size_t input, std::size_t n) const;
};

// Samples from an array whose first dimension counts samples and whose other dimensions are the
// input's shape (dimensions of size 1 may be left out or added: [N, 28, 28] and [N, 1, 28, 28]
// both fit an input [1, 28, 28]; [N] fits an input of one element). Any numeric dtype; values are
// taken as real values. Throws naming `what`, the shape found and the shapes that would fit;
// refuses NaN and infinities, naming the first and counting all.
std::vector<float> samples_from_array(const NpyArray& array, const InputSpec& input,
                                      const std::string& what, std::size_t* count);

// Samples from a CSV table with a header row: each further row is one sample of exactly
// `input.elements()` numbers (C order). Throws naming the row and column of a bad cell.
std::vector<float> samples_from_csv(const std::filesystem::path& path, const InputSpec& input,
                                    std::size_t* count);

// Reads one file (.npy or .csv) per model input and checks that they hold the same number of
// samples; keeps the first `limit` samples when limit > 0.
SampleSet read_samples(std::span<const std::filesystem::path> files,
                       std::span<const InputSpec> inputs, std::size_t limit = 0);

}  // namespace mote::tools
