#include "apps/seismic/firmware/node_firmware_run.h"

#include <fmt/format.h>

#include <cstring>
#include <sstream>
#include <stdexcept>

#include "apps/seismic/link/event_text.h"
#include "apps/seismic/link/host/packet_json.h"
#include "apps/seismic/model_detector_config.h"
#include "apps/seismic/node.h"
#include "tools/firmware/firmware_output.h"
#include "tools/firmware/map_file.h"
#include "tools/io/file_io.h"
#include "tools/seismic/run_detector.h"

namespace mote::seismic {
namespace {

// Traces without a start time in their label stream from here (2023-11-14), as in the replay.
constexpr std::uint64_t kFallbackEpochS = 1700000000;

// The host's twin of the firmware's printing sink: the same packet and text code, kept in memory.
class RecordingSink final : public EventSink {
 public:
  Status on_event(const Event& event, const Pick& pick) override {
    NodeEventRecord r;
    r.sequence = static_cast<std::uint32_t>(events.size());
    EventPacket packet;
    if (make_event_packet(event, r.sequence, &packet, nullptr) != Status::kOk ||
        encode_event_packet(packet, r.packet.data(), nullptr) != Status::kOk) {
      return Status::kInvalidArgument;
    }
    char json[kEventJsonChars];
    event_packet_json_text(packet, json, sizeof(json));
    r.json = json;
    std::memcpy(&r.sample_bits, &pick.sample, sizeof(r.sample_bits));
    std::memcpy(&r.confidence_bits, &event.confidence, sizeof(r.confidence_bits));
    std::memcpy(&r.amplitude_bits, &event.amplitude, sizeof(r.amplitude_bits));
    r.has_bits = true;
    events.push_back(std::move(r));
    return Status::kOk;
  }
  std::vector<NodeEventRecord> events;
};

std::vector<NodeEventRecord> run_host_node(const std::filesystem::path& model,
                                           const tools::NodeRecording& recording, float threshold) {
  tools::ModelHostDetector detector(model, model_detector_config(threshold));
  RecordingSink sink;
  SeismicNode node(&detector.detector(), &sink);
  NodeClock clock;
  clock.stream_start_cs = recording.stream_start_cs;
  clock.utc = recording.utc;
  node.start(clock);
  for (std::size_t i = 0; i < recording.sample_count(); ++i) {
    if (node.push(&recording.samples[3 * i]) != Status::kOk) {
      throw std::runtime_error(
          fmt::format("host node at sample {}: {}", i, detector.errors().last()));
    }
  }
  if (node.finish() != Status::kOk) {
    throw std::runtime_error("host node at the end: " + detector.errors().last());
  }
  return sink.events;
}

std::array<std::uint8_t, kEventPacketBytes> parse_packet_hex(const std::string& hex) {
  if (hex.size() != 2 * kEventPacketBytes) {
    throw std::runtime_error("node firmware: an event packet of " + std::to_string(hex.size()) +
                             " hex digits");
  }
  std::array<std::uint8_t, kEventPacketBytes> out{};
  for (std::size_t i = 0; i < kEventPacketBytes; ++i) {
    out[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  }
  return out;
}

// The "event:" and "event_bits:" lines of the firmware's output, in order.
std::vector<NodeEventRecord> parse_device_events(const std::string& output) {
  std::vector<NodeEventRecord> events;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("event: ", 0) == 0) {
      std::istringstream fields(line.substr(7));
      NodeEventRecord r;
      std::string hex;
      if (!(fields >> r.sequence >> hex)) {
        throw std::runtime_error("node firmware: malformed line '" + line + "'");
      }
      r.packet = parse_packet_hex(hex);
      std::getline(fields >> std::ws, r.json);
      events.push_back(std::move(r));
    } else if (line.rfind("event_bits: ", 0) == 0) {
      std::istringstream fields(line.substr(12));
      std::uint32_t sequence = 0;
      if (events.empty() || !(fields >> sequence) || events.back().sequence != sequence ||
          !(fields >> std::hex >> events.back().sample_bits >> events.back().confidence_bits >>
            events.back().amplitude_bits)) {
        throw std::runtime_error("node firmware: malformed line '" + line + "'");
      }
      events.back().has_bits = true;
    }
  }
  return events;
}

std::string hex_of(const std::array<std::uint8_t, kEventPacketBytes>& packet) {
  std::string s;
  for (std::uint8_t b : packet) s += fmt::format("{:02x}", b);
  return s;
}

// Fills events_equal, bits_equal, json_matches_packet and difference.
void compare(NodeFirmwareResult& r) {
  r.json_matches_packet = true;
  for (const NodeEventRecord& e : r.device_events) {
    EventPacket decoded;
    PacketError error = PacketError::kNone;
    bool same = decode_event_packet(e.packet.data(), e.packet.size(), &decoded, &error, nullptr) ==
                Status::kOk;
    if (same) {
      try {
        const EventPacket from_json = event_packet_from_json(nlohmann::json::parse(e.json));
        same = from_json.type == decoded.type && from_json.sequence == decoded.sequence &&
               from_json.time_cs == decoded.time_cs && from_json.flags == decoded.flags &&
               from_json.confidence == decoded.confidence &&
               from_json.amplitude == decoded.amplitude;
      } catch (const std::exception&) {
        same = false;
      }
    }
    if (!same && r.json_matches_packet) {
      r.json_matches_packet = false;
      r.difference = fmt::format("device event {}: its JSON {} does not describe its packet {}",
                                 e.sequence, e.json, hex_of(e.packet));
    }
  }
  r.events_equal = r.device_events.size() == r.host_events.size();
  r.bits_equal = r.events_equal;
  if (!r.events_equal && r.difference.empty()) {
    r.difference = fmt::format("the device made {} events, the host {}", r.device_events.size(),
                               r.host_events.size());
  }
  const std::size_t n = std::min(r.device_events.size(), r.host_events.size());
  for (std::size_t i = 0; i < n; ++i) {
    const NodeEventRecord& d = r.device_events[i];
    const NodeEventRecord& h = r.host_events[i];
    if (d.packet != h.packet) {
      if (r.events_equal && r.difference.empty()) {
        r.difference = fmt::format("event {}: device {} {}, host {} {}", i, hex_of(d.packet),
                                   d.json, hex_of(h.packet), h.json);
      }
      r.events_equal = false;
      r.bits_equal = false;
    } else if (!d.has_bits || d.sample_bits != h.sample_bits ||
               d.confidence_bits != h.confidence_bits || d.amplitude_bits != h.amplitude_bits) {
      if (r.bits_equal && r.difference.empty()) {
        double ds = 0, hs = 0;
        float dc = 0, hc = 0, da = 0, ha = 0;
        std::memcpy(&ds, &d.sample_bits, 8);
        std::memcpy(&hs, &h.sample_bits, 8);
        std::memcpy(&dc, &d.confidence_bits, 4);
        std::memcpy(&hc, &h.confidence_bits, 4);
        std::memcpy(&da, &d.amplitude_bits, 4);
        std::memcpy(&ha, &h.amplitude_bits, 4);
        r.difference = fmt::format(
            "event {} (same packet): sample {:.17g} vs {:.17g}, confidence {:.9g} vs {:.9g}, "
            "amplitude {:.9g} vs {:.9g} (device vs host)",
            i, ds, hs, dc, hc, da, ha);
      }
      r.bits_equal = false;
    }
  }
  if (!r.json_matches_packet) r.events_equal = false;
}

// Flash beyond runtime, kernels, model and recording: board support, the node's code, libc.
std::uint64_t other_flash(const NodeFirmwareResult& r) {
  return r.size.flash_other >= r.recording_flash_bytes
             ? r.size.flash_other - r.recording_flash_bytes
             : r.size.flash_other;
}

}  // namespace

std::size_t excerpt_start(const tools::SeismicDataset& data, std::size_t trace, std::size_t count) {
  const std::size_t total = data.samples_per_trace();
  if (trace >= data.size() || count == 0 || count >= total) return 0;
  const std::int64_t p = data.label(trace).p_index;
  if (p < 0) return 0;
  const std::size_t half = count / 2;
  const std::size_t start =
      static_cast<std::size_t>(p) > half ? static_cast<std::size_t>(p) - half : 0;
  return start + count > total ? total - count : start;
}

tools::NodeRecording recording_from_trace(const tools::SeismicDataset& data, std::size_t trace,
                                          std::size_t first, std::size_t count) {
  if (trace >= data.size()) {
    throw std::runtime_error(fmt::format("trace {} of a data set of {}", trace, data.size()));
  }
  const std::size_t total = data.samples_per_trace();
  if (first >= total) {
    throw std::runtime_error(
        fmt::format("the excerpt starts at sample {} of a {}-sample trace", first, total));
  }
  if (count == 0 || first + count > total) count = total - first;
  tools::NodeRecording r;
  r.name = data.label(trace).id;
  r.samples.resize(3 * count);
  for (int c = 0; c < 3; ++c) {
    const std::span<const float> x = data.component(trace, c);
    for (std::size_t i = 0; i < count; ++i) r.samples[3 * i + c] = x[first + i];
  }
  const std::int64_t start_s = tools::parse_compact_utc(data.label(trace).start_time);
  r.utc = true;
  r.stream_start_cs =
      (start_s >= 0 ? static_cast<std::uint64_t>(start_s) : kFallbackEpochS) * 100 + first;
  return r;
}

NodeFirmwareResult run_node_firmware(const std::filesystem::path& model,
                                     const tools::NodeRecording& recording,
                                     const tools::NodeFirmwareOptions& options,
                                     const std::filesystem::path& root) {
  NodeFirmwareResult r;
  r.model = model.string();
  r.recording = recording.name;
  r.samples = recording.sample_count();
  r.seconds = static_cast<double>(r.samples) / tools::SeismicDataset::kSampleRateHz;
  r.sample_storage = tools::sample_storage_name(tools::lossless_sample_storage(recording.samples));

  const auto loaded = tools::LoadedModel::from_file(model);
  const tools::CachedFirmware firmware =
      tools::build_cached_node_firmware(*loaded, model, recording, options, root);
  r.image = firmware.image.image;
  const tools::FirmwareRun run =
      tools::run_firmware(firmware.image, options.target, firmware.mote_source_dir);
  const tools::FirmwareReport report = tools::parse_firmware_output(run.output);
  if (run.exit_code != 0 || !report.done) {
    std::string errors;
    for (const auto& e : report.errors) errors += "\n  " + e;
    throw std::runtime_error(
        fmt::format("the node firmware failed (exit code {}){}", run.exit_code, errors));
  }
  auto figure = [&](const char* key) {
    const auto it = report.figures.find(key);
    return it == report.figures.end() ? std::uint64_t{0} : it->second;
  };
  if (figure("samples") != r.samples) {
    throw std::runtime_error(
        fmt::format("the node firmware streamed {} samples of {}", figure("samples"), r.samples));
  }
  r.board = report.board;
  r.instructions = figure("instructions");
  r.print_instructions = figure("print_instructions");
  r.arena_bytes = figure("arena_bytes");
  r.node_stack_bytes = figure("node_stack_bytes");
  r.instructions_per_second = r.seconds > 0 ? static_cast<double>(r.instructions) / r.seconds : 0;
  r.duty_at_64mhz = r.instructions_per_second / 64e6;
  r.device_events = parse_device_events(run.output);
  if (r.device_events.size() != figure("events")) {
    throw std::runtime_error(fmt::format("the node firmware printed {} events and counted {}",
                                         r.device_events.size(), figure("events")));
  }

  if (!firmware.image.map_file.empty()) {
    const auto map_bytes = tools::read_file(firmware.image.map_file);
    const tools::MapFile map = tools::parse_map_file(
        std::string(reinterpret_cast<const char*>(map_bytes.data()), map_bytes.size()));
    r.size = tools::measure_image(map, firmware.project.symbol, "mote_firmware_arena",
                                  firmware.mote_source_dir);
    for (const tools::MapInputSection& s : map.input_sections) {
      if (s.file.find("mote_node_recording.cc") != std::string::npos &&
          s.name.rfind(".rodata", 0) == 0) {
        r.recording_flash_bytes += s.size;
      }
    }
  }

  r.host_events = run_host_node(model, recording, options.threshold);
  compare(r);
  return r;
}

nlohmann::ordered_json node_firmware_json(const NodeFirmwareResult& r) {
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const NodeEventRecord& e : r.device_events) {
    events.push_back({{"packet", hex_of(e.packet)}, {"json", e.json}});
  }
  nlohmann::ordered_json folders = nlohmann::ordered_json::object();
  for (const tools::FolderSize& f : r.size.folders) folders[f.folder] = f.flash;
  return {{"model", r.model},
          {"recording", r.recording},
          {"board", r.board},
          {"sample_storage", r.sample_storage},
          {"samples", r.samples},
          {"seconds", r.seconds},
          {"events_device", r.device_events.size()},
          {"events_host", r.host_events.size()},
          {"events_equal_host", r.events_equal},
          {"bits_equal_host", r.bits_equal},
          {"json_matches_packet", r.json_matches_packet},
          {"difference", r.difference},
          {"instructions", r.instructions},
          {"print_instructions", r.print_instructions},
          {"instructions_per_second_of_data", r.instructions_per_second},
          {"duty_at_64mhz", r.duty_at_64mhz},
          {"arena_bytes", r.arena_bytes},
          {"node_stack_bytes", r.node_stack_bytes},
          {"flash",
           {{"total", r.size.flash_total},
            {"runtime_core", r.size.flash_runtime_core},
            {"kernels", r.size.flash_kernels},
            {"model", r.size.flash_model},
            {"recording", r.recording_flash_bytes},
            {"other", other_flash(r)},
            {"folders", folders}}},
          {"ram",
           {{"total", r.size.ram_total},
            {"data", r.size.ram_data},
            {"bss", r.size.ram_bss},
            {"arena", r.size.ram_arena},
            {"stack_reserved", r.size.ram_stack}}},
          {"events", events}};
}

std::string node_firmware_text(const NodeFirmwareResult& r) {
  std::string t =
      fmt::format("recording {} ({} samples = {:.1f} s, stored in flash as {}), board {}\n",
                  r.recording, r.samples, r.seconds, r.sample_storage, r.board);
  for (const NodeEventRecord& e : r.device_events) {
    t += fmt::format("  event {}  {}  {}\n", e.sequence, hex_of(e.packet), e.json);
  }
  t += fmt::format(
      "events printed by the device {}   by the host {}   events equal host: {}   float bits "
      "equal: {}\n",
      r.device_events.size(), r.host_events.size(), r.events_equal ? "yes" : "no",
      r.bits_equal ? "yes" : "no");
  if (!r.difference.empty()) t += "  first difference: " + r.difference + "\n";
  t += fmt::format(
      "instructions {} (printing excluded: {} more)   {:.0f} instructions per second of data   "
      "duty at 64 MHz {:.3f} %\n",
      r.instructions, r.print_instructions, r.instructions_per_second, 100.0 * r.duty_at_64mhz);
  t += fmt::format(
      "image: flash {} B (runtime {} + kernels {} + model {} + recording {} + other {}), RAM {} B "
      "(arena {} + stack reserved {} + data/bss {}); node stack {} B\n",
      r.size.flash_total, r.size.flash_runtime_core, r.size.flash_kernels, r.size.flash_model,
      r.recording_flash_bytes, other_flash(r), r.size.ram_total, r.size.ram_arena, r.size.ram_stack,
      r.size.ram_data + r.size.ram_bss, r.node_stack_bytes);
  return t;
}

}  // namespace mote::seismic
