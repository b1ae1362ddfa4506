#include "tools/seismic/run_detector.h"

#include <fmt/format.h>

#include <stdexcept>

namespace mote::tools {

void HostDetector::init(seismic::ScoreSource* source, std::uint32_t ring_capacity,
                        const seismic::DetectorConfig& config) {
  ring_storage_.assign(static_cast<std::size_t>(ring_capacity) * dsp::kComponents, 0.0f);
  ring_ = std::make_unique<dsp::SampleRing>(ring_storage_.data(), ring_capacity);
  detector_ = std::make_unique<seismic::Detector>(ring_.get(), source);
  if (detector_->init(config, errors_.reporter()) != Status::kOk) {
    throw std::runtime_error("detector: " + errors_.last());
  }
}

TraceDetections HostDetector::run(std::span<const float> components, std::size_t samples) {
  if (components.size() != dsp::kComponents * samples) {
    throw std::runtime_error(
        fmt::format("detector run: {} values are not 3 x {} samples", components.size(), samples));
  }
  seismic::Detector& d = *detector_;
  d.reset();
  TraceDetections out;
  out.samples = static_cast<std::int64_t>(samples);
  out.armed_from = static_cast<std::int64_t>(d.armed_from());
  std::vector<seismic::Pick> picks(d.max_picks() > 2 ? d.max_picks() : 2);
  const auto capacity = static_cast<std::uint32_t>(picks.size());
  for (std::size_t t = 0; t < samples; ++t) {
    const float sample[dsp::kComponents] = {components[t], components[samples + t],
                                            components[2 * samples + t]};
    std::uint32_t count = 0;
    if (d.push(sample, picks.data(), capacity, &count) != Status::kOk) {
      throw std::runtime_error(fmt::format("detector at sample {}: {}", t, errors_.last()));
    }
    out.picks.insert(out.picks.end(), picks.begin(), picks.begin() + count);
  }
  std::uint32_t count = 0;
  if (d.flush(picks.data(), capacity, &count) != Status::kOk) {
    throw std::runtime_error("detector flush: " + errors_.last());
  }
  out.picks.insert(out.picks.end(), picks.begin(), picks.begin() + count);
  return out;
}

StaLtaHostDetector::StaLtaHostDetector(float off, bool classic) {
  dsp::StaLtaConfig sta_lta = seismic::stalta_config();
  sta_lta.unbiased = !classic;
  if (source_.init(sta_lta, errors_.reporter()) != Status::kOk) {
    throw std::runtime_error("STA/LTA: " + errors_.last());
  }
  seismic::DetectorConfig config = seismic::stalta_detector_config();
  config.picker.p.off = off;
  init(&source_, config.hop_samples, config);
}

ModelHostDetector::ModelHostDetector(const std::filesystem::path& model,
                                     const seismic::DetectorConfig& config)
    : model_(LoadedModel::from_file(model)),
      interpreter_(std::make_unique<HostInterpreter>(*model_)) {
  const Tensor in = interpreter_->interpreter().input(0);
  window_.assign(in.elements, 0.0f);
  if (source_.init(&interpreter_->interpreter(), window_.data(),
                   static_cast<std::uint32_t>(in.elements / dsp::kComponents),
                   errors_.reporter()) != Status::kOk) {
    throw std::runtime_error(model.string() + ": " + errors_.last());
  }
  init(
      &source_,
      source_.window_samples() > config.hop_samples ? source_.window_samples() : config.hop_samples,
      config);
}

}  // namespace mote::tools
