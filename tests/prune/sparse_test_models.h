// Small int8 FULLY_CONNECTED and CONV_2D models with random weights for the sparse-storage tests:
// the same graph can be written dense or with its weights stored sparse.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "tools/graph/graph.h"

namespace mote::testing {

// Weights with `sparsity` of their elements zero (and `zero_rows` of every 4 rows all zero).
std::vector<std::int8_t> random_weights(std::mt19937& rng, std::size_t rows, std::size_t row_length,
                                        double sparsity, std::size_t zero_rows_per_4 = 0);

// input [batches, depth] -> FULLY_CONNECTED (weights [units, depth], per-channel) -> output.
tools::Graph fc_model(std::mt19937& rng, std::int32_t batches, std::int32_t depth,
                      std::int32_t units, double sparsity, std::size_t zero_rows_per_4 = 0);

// input [1, h, w, in_c] -> CONV_2D (filter [out_c, k, k, in_c], stride, SAME/VALID) -> output.
tools::Graph conv_model(std::mt19937& rng, std::int32_t h, std::int32_t w, std::int32_t in_c,
                        std::int32_t out_c, std::int32_t k, std::int32_t stride, bool same,
                        double sparsity);

// Runs `graph` on the runtime with random int8 input bytes from `seed`; returns output 0.
std::vector<std::uint8_t> run_int8(const tools::Graph& graph, std::uint32_t seed);

}  // namespace mote::testing
