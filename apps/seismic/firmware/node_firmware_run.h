// `mote seismic node-firmware` and the demo's "node firmware on Cortex-M4" section: builds the
// seismic node firmware for one recording (tools/firmware/node_firmware.h), runs it in QEMU,
// reads the events and figures it printed, runs the host's SeismicNode over the same samples and
// compares the two event lists: packets byte for byte, and the floats behind them bit for bit.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/seismic/link/event_packet.h"
#include "tools/data/seismic_dataset.h"
#include "tools/firmware/image_size.h"
#include "tools/firmware/node_firmware.h"

namespace mote::seismic {

// One event as a node printed it (or as the host's node made it, in the same form).
struct NodeEventRecord {
  std::uint32_t sequence = 0;
  std::array<std::uint8_t, kEventPacketBytes> packet{};
  std::string json;  // the JSON debug form the node printed
  // Bit patterns of the pick's fractional sample (double) and the event's confidence and
  // amplitude (float): equal bits mean the same arithmetic, not just the same packet.
  std::uint64_t sample_bits = 0;
  std::uint32_t confidence_bits = 0;
  std::uint32_t amplitude_bits = 0;
  bool has_bits = false;
};

struct NodeFirmwareResult {
  std::string model;
  std::string recording;
  std::string board;
  std::string sample_storage;  // how the recording sits in flash: int16, int32 or float32
  std::uint64_t samples = 0;
  double seconds = 0.0;
  std::vector<NodeEventRecord> device_events;
  std::vector<NodeEventRecord> host_events;
  bool events_equal = false;         // same count, same 15 bytes each
  bool bits_equal = false;           // and the same float bits behind them
  bool json_matches_packet = false;  // every device JSON parses back to its own packet
  std::string difference;            // the first difference, when not equal
  std::uint64_t instructions = 0;    // the node's, printing excluded
  std::uint64_t print_instructions = 0;
  double instructions_per_second = 0.0;  // of data
  double duty_at_64mhz = 0.0;            // fraction of the time a 64 MHz core is busy
  std::uint64_t arena_bytes = 0;
  std::uint64_t node_stack_bytes = 0;
  std::uint64_t recording_flash_bytes = 0;  // the recording's array
  tools::ImageSize size;
  std::filesystem::path image;
};

// The recording `trace` of `data` from sample `first` for `count` samples (clipped to the trace;
// 0: to its end) as the node streams it, with the stream's start time from the label (a fixed
// epoch when the label has none) moved to `first`.
tools::NodeRecording recording_from_trace(const tools::SeismicDataset& data, std::size_t trace,
                                          std::size_t first, std::size_t count);

// The first sample of a `count`-sample excerpt of `trace`: centred on its P pick when it has one
// (P then lies mid-excerpt, with noise before it for the filters and the picker), else 0; the
// excerpt stays inside the trace. `count` 0 or beyond the trace: 0.
std::size_t excerpt_start(const tools::SeismicDataset& data, std::size_t trace, std::size_t count);

// Builds (in the firmware cache, or under `root`), runs in QEMU and compares with the host.
// Throws std::runtime_error when the build fails, the firmware fails or prints malformed events.
NodeFirmwareResult run_node_firmware(const std::filesystem::path& model,
                                     const tools::NodeRecording& recording,
                                     const tools::NodeFirmwareOptions& options,
                                     const std::filesystem::path& root = {});

// The result as JSON (events as hex and JSON text, figures, sizes) and as text for a report.
nlohmann::ordered_json node_firmware_json(const NodeFirmwareResult& r);
std::string node_firmware_text(const NodeFirmwareResult& r);

}  // namespace mote::seismic
