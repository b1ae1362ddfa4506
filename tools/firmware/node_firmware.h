// The seismic node as firmware: a flavour of the generated firmware project (firmware_project.h)
// whose main.cc runs apps/seismic's SeismicNode — the same Detector, ModelSource and event packet
// code as the host — over one recording held in flash, sample by sample, prints every event (its
// 15-byte packet as hex and the JSON debug form) and ends with the node's instruction count.
//
// Printed lines (besides firmware_output.h's "key: value" figures):
//   event: SEQ HEX30 JSON                      one per event, in order
//   event_bits: SEQ SAMPLE64 CONF32 AMP32      the pick's fractional sample (double) and the
//                                              event's confidence and amplitude (float), as hex
//                                              bit patterns, so the host can compare exactly
// and the figures samples, events, instructions (the node's own, printing excluded),
// print_instructions, instructions_per_second (of data), arena_bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tools/firmware/firmware_build.h"
#include "tools/firmware/firmware_project.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::tools {

// How the recording is stored in flash: the narrowest type that holds every sample exactly.
enum class SampleStorage { kInt16, kInt32, kFloat32 };

// "int16", "int32" or "float32".
const char* sample_storage_name(SampleStorage storage);

// The narrowest lossless storage for `samples`: int16 when every value is an integer within
// int16's range, else int32 likewise, else float32 (the samples as they are).
SampleStorage lossless_sample_storage(std::span<const float> samples);

// One recording for the node: interleaved samples (E, N, Z counts per sample, at 100 Hz).
struct NodeRecording {
  std::string name;
  std::vector<float> samples;  // 3 values per sample
  std::uint64_t stream_start_cs = 0;
  bool utc = true;
  std::size_t sample_count() const { return samples.size() / 3; }
};

struct NodeFirmwareOptions {
  FirmwareTarget target = FirmwareTarget::kCortexM4;
  std::filesystem::path mote_source_dir;  // empty: default_mote_source_dir()
  float threshold = 0.5f;                 // the picker's trigger level (model_detector_config)
};

// The files and libraries that turn the model runner into the node firmware for `recording`
// (W samples of window from the model's input 0). Throws std::runtime_error for an empty
// recording, one whose length is not a multiple of 3, or a model input that is not [1, ..., 3].
FirmwareFlavour node_firmware_flavour(const LoadedModel& model, const NodeRecording& recording,
                                      float threshold);

// The cache folder of node firmware builds: firmware_cache_dir(target, tree) + "-node", so that
// the model runner's build folder is not reconfigured back and forth.
std::filesystem::path node_firmware_cache_dir(FirmwareTarget target,
                                              const std::filesystem::path& mote_source_dir);

// Generates and builds the node firmware under `root` (empty: node_firmware_cache_dir()) as
// build_cached_firmware() does. Throws std::runtime_error on a refused model or a failed build.
CachedFirmware build_cached_node_firmware(const LoadedModel& model,
                                          const std::filesystem::path& model_path,
                                          const NodeRecording& recording,
                                          const NodeFirmwareOptions& options,
                                          std::filesystem::path root = {});

}  // namespace mote::tools
