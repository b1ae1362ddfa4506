// The training side of the pre-processing: the same dsp/ code the node runs, applied to whole
// recordings stored component by component. filter_trace() followed by window_features() gives,
// for a window ending at sample e, the very numbers the node's detector hands its model after
// streaming the same recording up to e (tests/dsp checks this bit for bit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/feature_extractor.h"
#include "dsp/window_normalize.h"

namespace mote::tools {

// Filters a [3][samples] component-major recording from a fresh filter state (as a node that
// starts at its first sample); returns [3][samples]. Throws on a bad config or size.
std::vector<float> filter_trace(std::span<const float> components, std::size_t samples,
                                const dsp::FeatureConfig& config);

// The window of `window` samples ending at sample `end` (inclusive) of a filtered [3][samples]
// recording, interleaved [window][3] and normalised with dsp::normalize_window. Throws when the
// window does not fit.
std::vector<float> window_features(std::span<const float> filtered, std::size_t samples,
                                   std::size_t end, std::uint32_t window,
                                   float epsilon = dsp::kNormalizeEpsilon);

}  // namespace mote::tools
