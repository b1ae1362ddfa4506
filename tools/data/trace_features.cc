#include "tools/data/trace_features.h"

#include <fmt/format.h>

#include <stdexcept>

#include "dsp/window_normalize.h"
#include "tools/host_runtime/error_collector.h"

namespace mote::tools {

std::vector<float> filter_trace(std::span<const float> components, std::size_t samples,
                                const dsp::FeatureConfig& config) {
  if (components.size() != dsp::kComponents * samples) {
    throw std::runtime_error(
        fmt::format("filter_trace: {} values are not 3 x {} samples", components.size(), samples));
  }
  if (samples > UINT32_MAX) throw std::runtime_error("filter_trace: recording too long");
  ErrorCollector errors;
  dsp::FeatureExtractor extractor;
  if (extractor.init(config, errors.reporter()) != Status::kOk) {
    throw std::runtime_error("features: " + errors.last());
  }
  std::vector<float> out(components.size());
  for (int c = 0; c < dsp::kComponents; ++c) {
    const std::size_t offset = static_cast<std::size_t>(c) * samples;
    if (extractor.filter_component(c, components.data() + offset,
                                   static_cast<std::uint32_t>(samples), out.data() + offset,
                                   errors.reporter()) != Status::kOk) {
      throw std::runtime_error("features: " + errors.last());
    }
  }
  return out;
}

std::vector<float> window_features(std::span<const float> filtered, std::size_t samples,
                                   std::size_t end, std::uint32_t window, float epsilon) {
  if (filtered.size() != dsp::kComponents * samples) {
    throw std::runtime_error(
        fmt::format("window_features: {} values are not 3 x {} samples", filtered.size(), samples));
  }
  if (window == 0 || end >= samples || end + 1 < window) {
    throw std::runtime_error(
        fmt::format("window_features: a window of {} ending at sample {} does not fit {} samples",
                    window, end, samples));
  }
  std::vector<float> out(static_cast<std::size_t>(window) * dsp::kComponents);
  const std::size_t first = end + 1 - window;
  for (std::uint32_t t = 0; t < window; ++t) {
    for (int c = 0; c < dsp::kComponents; ++c) {
      out[t * dsp::kComponents + c] = filtered[static_cast<std::size_t>(c) * samples + first + t];
    }
  }
  ErrorCollector errors;
  if (dsp::normalize_window(out.data(), window, epsilon, out.data(), errors.reporter()) !=
      Status::kOk) {
    throw std::runtime_error("window_features: " + errors.last());
  }
  return out;
}

}  // namespace mote::tools
