// Per-window normalisation: each component of a window is shifted to zero mean and scaled to unit
// standard deviation, so a model sees the same numbers whatever the instrument's gain (raw counts
// of broadband, short-period and strong-motion sensors differ by orders of magnitude).
//
//   mean_c = sum_t x[t][c] / T
//   std_c  = sqrt(sum_t (x[t][c] - mean_c)^2 / T)
//   y[t][c] = (x[t][c] - mean_c) * (1 / (std_c + epsilon))
//
// A dead component (all zeros, as E and N of a vertical-only station) stays exactly zero.
// Sums run in float in time order: the node and the training side compute the same bits.
#pragma once

#include <cstdint>

#include "dsp/sample_ring.h"
#include "runtime/core/error_reporter.h"

namespace mote::dsp {

// Default epsilon: far below any real signal's deviation in counts, enough to keep 1/x finite.
constexpr float kNormalizeEpsilon = 1e-6f;

// Normalises `samples` interleaved [samples][kComponents] values from `in` into `out` (which may
// be `in`). Refuses null pointers, zero samples and an epsilon that is not finite and positive.
Status normalize_window(const float* in, uint32_t samples, float epsilon, float* out,
                        const ErrorReporter* reporter);

}  // namespace mote::dsp
