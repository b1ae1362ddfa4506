// Runs the node's detector over recordings on the host: one sample at a time, exactly as the
// node's loop feeds it, so that an evaluation measures the code the node runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "apps/seismic/detector.h"
#include "apps/seismic/model_detector_config.h"
#include "apps/seismic/model_source.h"
#include "apps/seismic/sta_lta_source.h"
#include "apps/seismic/stalta_baseline.h"
#include "dsp/sample_ring.h"
#include "tools/host_runtime/error_collector.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/seismic/pick_metrics.h"

namespace mote::tools {

// A detector with its ring, its source and an error collector, owned together on the host.
class HostDetector {
 public:
  virtual ~HostDetector() = default;
  seismic::Detector& detector() { return *detector_; }
  const ErrorCollector& errors() const { return errors_; }

  // Resets the detector, streams a [3][samples] component-major recording through it and flushes;
  // throws with the detector's message on failure.
  TraceDetections run(std::span<const float> components, std::size_t samples);

 protected:
  // Initialises the detector over `ring_capacity` samples of ring and `source`; throws on refusal.
  void init(seismic::ScoreSource* source, std::uint32_t ring_capacity,
            const seismic::DetectorConfig& config);

  ErrorCollector errors_;

 private:
  std::vector<float> ring_storage_;
  std::unique_ptr<dsp::SampleRing> ring_;
  std::unique_ptr<seismic::Detector> detector_;
};

// The STA/LTA baseline (apps/seismic/stalta_baseline.h) on the host. For experiments, `off`
// replaces the detrigger level and `classic` turns off the unbiased averages (dsp/sta_lta.h).
class StaLtaHostDetector : public HostDetector {
 public:
  explicit StaLtaHostDetector(float off = seismic::kStaLtaOff, bool classic = false);

 private:
  seismic::StaLtaSource source_;
};

// A trained model (see apps/seismic/model_source.h for its contract) through the runtime, with
// an arena of exactly the planned size.
class ModelHostDetector : public HostDetector {
 public:
  // Reads and verifies `model`; throws when it is refused or breaks the contract.
  ModelHostDetector(const std::filesystem::path& model, const seismic::DetectorConfig& config);

  const seismic::ModelSource& source() const { return source_; }
  std::size_t arena_bytes() const { return interpreter_->arena_bytes(); }

 private:
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<HostInterpreter> interpreter_;
  std::vector<float> window_;
  seismic::ModelSource source_;
};

}  // namespace mote::tools
