#include "apps/seismic/demo/seismic_demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "apps/seismic/demo/html_report.h"
#include "apps/seismic/demo/replay.h"
#include "apps/seismic/demo/threshold_choice.h"
#include "apps/seismic/firmware/node_firmware_run.h"
#include "apps/seismic/report/bandwidth.h"
#include "apps/seismic/report/budget_format.h"
#include "apps/seismic/report/energy.h"
#include "apps/seismic/report/energy_profiles.h"
#include "tools/analysis/op_cost.h"
#include "tools/data/seismic_dataset.h"
#include "tools/data/station_split.h"
#include "tools/firmware/firmware_build.h"
#include "tools/firmware/firmware_output.h"
#include "tools/firmware/image_size.h"
#include "tools/firmware/map_file.h"
#include "tools/host_runtime/loaded_model.h"
#include "tools/io/executable_path.h"
#include "tools/io/file_io.h"
#include "tools/seismic/detection_report.h"
#include "tools/seismic/run_detector.h"
#include "tools/train/seismic_training.h"

namespace mote::seismic::demo {
namespace {

// Cortex-M4 instructions per MAC used when no measured count is given: the mote int8 reference
// kernels' figure on the golden conv models in QEMU is of this order; the report labels the
// result an estimate so that nobody takes it for a measurement.
constexpr double kEstimatedInstructionsPerMac = 4.0;
// Fixed cost per inference beyond the MACs (interpreter, requantization, softmax, the window copy
// and normalisation), also an estimate.
constexpr double kEstimatedInstructionsPerInference = 20000.0;

// The node model's figures on the Cortex-M4: measured in QEMU, or why they could not be.
struct DeviceFigures {
  bool measured = false;
  std::string why_not;
  std::uint64_t instructions = 0;  // per inference (invoke)
  std::uint64_t stack_bytes = 0;
  tools::ImageSize size;
};

DeviceFigures measure_on_device(const tools::LoadedModel& model,
                                const std::filesystem::path& path) {
  DeviceFigures f;
  if (!tools::find_on_path("arm-none-eabi-gcc") || !tools::find_on_path("qemu-system-arm")) {
    f.why_not = "arm-none-eabi-gcc or qemu-system-arm is not installed";
    return f;
  }
  try {
    tools::FirmwareOptions options;
    options.target = tools::FirmwareTarget::kCortexM4;
    const tools::CachedFirmware firmware = tools::build_cached_firmware(model, path, options, {});
    const tools::FirmwareRun run =
        tools::run_firmware(firmware.image, options.target, firmware.mote_source_dir);
    const tools::FirmwareReport report = tools::parse_firmware_output(run.output);
    if (run.exit_code != 0 || !report.done) {
      f.why_not = fmt::format("the firmware failed in QEMU (exit code {})", run.exit_code);
      return f;
    }
    auto figure = [&](const char* key) {
      const auto it = report.figures.find(key);
      return it == report.figures.end() ? std::uint64_t{0} : it->second;
    };
    f.instructions = figure("instructions");
    f.stack_bytes = figure("invoke_stack_bytes");
    const auto map_bytes = tools::read_file(firmware.image.map_file);
    f.size = tools::measure_image(
        tools::parse_map_file(
            std::string(reinterpret_cast<const char*>(map_bytes.data()), map_bytes.size())),
        firmware.project.symbol, "mote_firmware_arena", firmware.mote_source_dir);
    f.measured = f.instructions > 0;
    if (!f.measured) f.why_not = "the firmware printed no instruction count";
  } catch (const std::exception& e) {
    f.why_not = e.what();
  }
  return f;
}

// A JSON number with three decimals, "n/a" for null (NaN).
std::string fixed(const nlohmann::json& v) {
  return v.is_number() ? fmt::format("{:.3f}", v.get<double>()) : "n/a";
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

DemoReport run_seismic_demo(const DemoOptions& o, const DemoProgress& progress) {
  auto stage = [&](const std::string& name, std::uint64_t done, std::uint64_t total) {
    if (progress) progress(name, done, total);
  };
  std::filesystem::create_directories(o.out_dir);
  const tools::SeismicDataset data = tools::SeismicDataset::load(o.waveforms, o.labels);
  const tools::StationSplit split =
      tools::split_by_station(data, tools::kDefaultHeldOutFraction, tools::kDefaultSplitSeed);
  std::vector<std::size_t> held_out = split.held_out_traces;
  if (o.max_traces > 0 && held_out.size() > o.max_traces) held_out.resize(o.max_traces);

  // 1. The model: given, or trained on the training stations (or reused).
  CachedModel model;
  if (o.model.empty()) {
    model = ensure_model(data, o.waveforms, o.labels, o.train, o.out_dir / "model-cache", o.retrain,
                         progress);
  } else {
    model.int8_model = o.model;
    model.summary = nlohmann::json::object();
  }
  const auto loaded = tools::LoadedModel::from_file(model.int8_model);
  const std::uint64_t macs = tools::model_macs(loaded->model());
  const tools::WeightTotals weights = tools::weight_totals(loaded->model());
  const std::uint64_t model_bytes = std::filesystem::file_size(model.int8_model);

  // 2. The trigger level: given, or chosen on the validation stations of the training side (the
  //    trainer's own split), never on the held-out stations scored below.
  float threshold = o.threshold;
  std::optional<ThresholdChoice> threshold_choice;
  if (threshold <= 0.0f) {
    tools::SeismicTrainOptions train_options;
    train_options.train.seed = o.train.seed;
    const tools::ValidationSplit validation = tools::seismic_validation_split(data, train_options);
    if (validation.validation_traces.empty()) {
      threshold = 0.5f;  // no station to choose on (e.g. labels without station names)
    } else {
      stage("threshold on validation stations", 0, 0);
      threshold_choice = choose_threshold(data, validation.validation_traces, model.int8_model,
                                          default_threshold_candidates());
      threshold = threshold_choice->threshold;
    }
  }

  // 3. The nodes: the model's detection happens inside the replay, on the node's own code path,
  //    and is scored from what the nodes picked.
  ReplayConfig replay_config;
  replay_config.work_dir = o.out_dir / "network";
  replay_config.model = model.int8_model;
  replay_config.threshold = threshold;
  replay_config.durable = o.durable;
  const ReplayResult replay = replay_stations(data, held_out, replay_config, progress);

  // 4. The baseline on the same traces, in the replay's order, and both scored.
  tools::StaLtaHostDetector stalta;
  std::vector<tools::TruePicks> truth;
  std::vector<tools::TraceDetections> stalta_ordered;
  for (std::size_t i = 0; i < replay.traces.size(); ++i) {
    const std::size_t t = replay.traces[i];
    truth.push_back({data.label(t).p_index, data.label(t).s_index});
    stalta_ordered.push_back(stalta.run(data.trace(t), data.samples_per_trace()));
    stage("STA/LTA", i + 1, replay.traces.size());
  }
  const std::vector<double> tolerances = tools::kDefaultTolerances;
  const tools::DetectionScores model_scores = tools::score_detections(
      truth, replay.detections, tools::SeismicDataset::kSampleRateHz, tolerances);
  const tools::DetectionScores stalta_scores = tools::score_detections(
      truth, stalta_ordered, tools::SeismicDataset::kSampleRateHz, tolerances);

  // 5. Budgets. The replayed recordings are all earthquakes; a node on quiet ground sends what
  //    it picks in noise, so the steady state uses the model's false triggers per hour (plus one
  //    real arrival pair an hour, generous for a local network).
  report::BandwidthInputs bw;
  bw.node_id = replay.nodes.empty() ? "node-0001" : replay.nodes.front().node;
  bw.events_per_hour = model_scores.false_triggers_per_hour + 2.0;
  const report::BandwidthReport bandwidth = report::compute_bandwidth(bw);
  const double raw_replay_bytes = replay.data_seconds * bw.sample_rate_hz * bw.components *
                                  static_cast<double>(bw.bytes_per_sample);
  const double replay_ratio =
      raw_replay_bytes > 0 ? static_cast<double>(replay.wire_bytes) / raw_replay_bytes : 0.0;

  report::EnergyInputs energy;
  energy.mcu = report::find_mcu_profile("stm32l4");
  energy.battery = report::find_battery_profile("li-socl2-d");
  energy.inferences_per_second = 10.0;  // one inference per 0.1 s hop
  energy.events_per_hour = bw.events_per_hour;
  DeviceFigures device;
  if (o.device_figures) {
    stage("Cortex-M4 firmware in QEMU", 0, 0);
    device = measure_on_device(*loaded, model.int8_model);
  } else {
    device.why_not = "not asked for";
  }
  // The node itself as firmware: one held-out recording with a P pick, an excerpt of
  // o.node_firmware_seconds around it in flash, through the node code in QEMU; its events must be
  // the host node's.
  std::optional<NodeFirmwareResult> node_firmware;
  std::string node_firmware_why_not = "not asked for";
  std::size_t node_firmware_trace = 0;
  std::size_t node_firmware_first = 0;
  if (o.device_figures && o.node_firmware_seconds > 0) {
    node_firmware_why_not = "no held-out recording has a P pick";
    for (std::size_t t : held_out) {
      if (data.label(t).p_index < 0) continue;
      stage("node firmware on the Cortex-M4 in QEMU", 0, 0);
      node_firmware_trace = t;
      const auto count =
          static_cast<std::size_t>(o.node_firmware_seconds * tools::SeismicDataset::kSampleRateHz);
      node_firmware_first = excerpt_start(data, t, count);
      try {
        if (!tools::find_on_path("arm-none-eabi-gcc") || !tools::find_on_path("qemu-system-arm")) {
          throw std::runtime_error("arm-none-eabi-gcc or qemu-system-arm is not installed");
        }
        tools::NodeFirmwareOptions options;
        options.threshold = threshold;
        node_firmware = run_node_firmware(
            model.int8_model, recording_from_trace(data, t, node_firmware_first, count), options);
      } catch (const std::exception& e) {
        node_firmware_why_not = e.what();
      }
      break;
    }
  }
  if (device.measured && o.instructions_per_inference <= 0) {
    energy.instructions_per_inference = static_cast<double>(device.instructions);
    energy.instructions_source = "measured: Cortex-M4 in QEMU (mps2-an386), mote firmware";
  } else if (o.instructions_per_inference > 0) {
    energy.instructions_per_inference = o.instructions_per_inference;
    energy.instructions_source = o.instructions_source.empty() ? "given" : o.instructions_source;
  } else {
    energy.instructions_per_inference = kEstimatedInstructionsPerMac * static_cast<double>(macs) +
                                        kEstimatedInstructionsPerInference;
    energy.instructions_source = fmt::format(
        "estimate: {:g} instructions per MAC x {} MACs + {:g}, not a QEMU count ({})",
        kEstimatedInstructionsPerMac, macs, kEstimatedInstructionsPerInference, device.why_not);
  }
  // The rest of the node (sample handling, filters, normalisation, picker) from the node
  // firmware's own count when it ran: its instructions per second of data beyond the inferences.
  if (node_firmware && device.measured && o.instructions_per_inference <= 0) {
    const double rest = node_firmware->instructions_per_second -
                        energy.instructions_per_inference * energy.inferences_per_second;
    if (rest > 0) {
      energy.instructions_per_sample = rest / energy.sample_rate_hz;
      energy.instructions_source +=
          "; per sample: the node firmware's instructions per second of data less the "
          "inferences'";
    }
  }
  std::vector<report::EnergyCase> energy_cases;
  for (const report::RadioProfile& radio : report::radio_profiles()) {
    report::EnergyInputs in = energy;
    in.radio = radio;
    energy_cases.emplace_back(in, report::compute_energy(in));
  }

  // 5. The report.
  DemoReport out;
  nlohmann::ordered_json& j = out.json;
  j["data"] = {{"waveforms", o.waveforms.string()},
               {"labels", o.labels.string()},
               {"held_out_stations", split.held_out_stations.size()},
               {"held_out_traces", held_out.size()},
               {"train_stations", split.train_stations.size()},
               {"train_traces", split.train_traces.size()}};
  j["model"] = tools::detection_json(model_scores, true);
  j["stalta"] = tools::detection_json(stalta_scores, false);
  j["node_model"] = {{"path", model.int8_model.string()},
                     {"float_path", model.float_model.string()},
                     {"cache_key", model.key},
                     {"reused_from_cache", model.reused},
                     {"training", model.summary},
                     {"arena_bytes", replay.arena_bytes},
                     {"model_bytes", model_bytes},
                     {"weight_bytes", weights.bytes},
                     {"parameters", weights.parameters},
                     {"macs", macs},
                     {"instructions_per_inference", energy.instructions_per_inference},
                     {"instructions_source", energy.instructions_source},
                     {"threshold", threshold}};
  if (threshold_choice) {
    nlohmann::ordered_json trials = nlohmann::ordered_json::array();
    for (const ThresholdTrial& trial : threshold_choice->trials) {
      trials.push_back({{"threshold", trial.threshold},
                        {"p_f1_0.5s", trial.p_f1},
                        {"s_f1_0.5s", trial.s_f1},
                        {"p_recall_0.5s", trial.p_recall},
                        {"false_triggers_per_hour", trial.false_triggers_per_hour}});
    }
    j["node_model"]["threshold_choice"] = {{"validation_traces", threshold_choice->traces},
                                           {"rule", "best P F1 + S F1 at 0.5 s"},
                                           {"trials", trials}};
  }
  if (device.measured) {
    j["node_model"]["cortex_m4"] = {
        {"instructions_per_inference", device.instructions},
        {"duty_at_64mhz_10_per_s", static_cast<double>(device.instructions) * 10.0 / 64e6},
        {"invoke_stack_bytes", device.stack_bytes},
        {"flash",
         {{"runtime_core", device.size.flash_runtime_core},
          {"kernels", device.size.flash_kernels},
          {"model", device.size.flash_model},
          {"other", device.size.flash_other},
          {"total", device.size.flash_total}}},
        {"ram",
         {{"data", device.size.ram_data},
          {"bss", device.size.ram_bss},
          {"arena", device.size.ram_arena},
          {"stack_reserved", device.size.ram_stack},
          {"total", device.size.ram_total}}}};
  } else {
    j["node_model"]["cortex_m4"] = {{"measured", false}, {"why_not", device.why_not}};
  }

  if (node_firmware) {
    j["node_firmware"] = node_firmware_json(*node_firmware);
    j["node_firmware"]["trace"] = node_firmware_trace;
    j["node_firmware"]["first_sample"] = node_firmware_first;
    j["node_firmware"]["p_index_in_excerpt"] =
        data.label(node_firmware_trace).p_index - static_cast<std::int64_t>(node_firmware_first);
  } else {
    j["node_firmware"] = {{"measured", false}, {"why_not", node_firmware_why_not}};
  }

  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const NodeOutcome& n : replay.nodes) {
    nodes.push_back({{"node", n.node},
                     {"traces", n.traces},
                     {"submitted", n.submitted},
                     {"sent", n.sent},
                     {"resent", n.resent},
                     {"acknowledged", n.acknowledged},
                     {"still_queued", n.still_queued},
                     {"dropped", n.dropped},
                     {"queued_at_reconnect", n.queued_at_reconnect}});
  }
  j["delivery"] = {{"nodes", nodes},
                   {"events_sent", replay.submitted},
                   {"events_delivered", replay.delivered},
                   {"events_lost", replay.lost},
                   {"duplicates_dropped_by_gateway", replay.duplicates},
                   {"duplicates_delivered", 0},
                   {"malformed", replay.gateway.malformed},
                   {"events_during_outage", replay.events_during_outage},
                   {"outage_traces", replay.outage_end_trace - replay.outage_first_trace},
                   {"data_seconds", replay.data_seconds},
                   {"replay_seconds", replay.replay_seconds},
                   {"speedup_vs_real_time",
                    replay.replay_seconds > 0 ? replay.data_seconds / replay.replay_seconds : 0.0}};
  j["bandwidth"] = {
      {"replay_event_wire_bytes", replay.wire_bytes},
      {"replay_raw_bytes", raw_replay_bytes},
      {"replay_ratio", replay_ratio},
      {"steady_state", report::bandwidth_json(bw, bandwidth)},
  };
  j["energy"] = report::energy_json(energy_cases);

  std::string& t = out.text;
  t += fmt::format(
      "mote demo seismic: {} held-out traces ({:.1f} h of recordings) from {} stations that "
      "training never saw ({} training stations, {} traces)\n",
      held_out.size(), replay.data_seconds / 3600.0, split.held_out_stations.size(),
      split.train_stations.size(), split.train_traces.size());
  t += fmt::format("\n== node model\n{}  ({})\n", model.int8_model.string(),
                   o.model.empty() ? (model.reused ? "reused from the cache, key " + model.key
                                                   : "trained now, cache key " + model.key)
                                   : std::string("given"));
  t += fmt::format(
      "arena {} B (exact)   model {} B   weights {} B ({} parameters)   {} MACs per inference\n"
      "Cortex-M4 instructions per inference: {:.0f} ({})\n",
      replay.arena_bytes, model_bytes, weights.bytes, weights.parameters, macs,
      energy.instructions_per_inference, energy.instructions_source);
  if (device.measured) {
    t += fmt::format(
        "Cortex-M4 image (runtime + the model's kernels + model, QEMU mps2-an386): flash {} B "
        "(runtime {} + kernels {} + model {} + other {}), RAM {} B (arena {} + stack reserved {} "
        "+ data/bss {}); invoke stack {} B; {:.2f} % duty at 64 MHz for 10 inferences/s\n",
        device.size.flash_total, device.size.flash_runtime_core, device.size.flash_kernels,
        device.size.flash_model, device.size.flash_other, device.size.ram_total,
        device.size.ram_arena, device.size.ram_stack, device.size.ram_data + device.size.ram_bss,
        device.stack_bytes, 100.0 * static_cast<double>(device.instructions) * 10.0 / 64e6);
  }
  if (threshold_choice) {
    t += fmt::format(
        "trigger level {:.2f}: chosen on {} validation recordings (stations of the training side, "
        "not the held-out ones) as the best P F1 + S F1 at 0.5 s\n  level  ",
        threshold, threshold_choice->traces);
    for (const ThresholdTrial& trial : threshold_choice->trials) {
      t += fmt::format("{:>6.2f}", trial.threshold);
    }
    t += "\n  P F1  ";
    for (const ThresholdTrial& trial : threshold_choice->trials)
      t += fmt::format("{:>6.2f}", trial.p_f1);
    t += "\n  S F1  ";
    for (const ThresholdTrial& trial : threshold_choice->trials)
      t += fmt::format("{:>6.2f}", trial.s_f1);
    t += "\n  FT/h  ";
    for (const ThresholdTrial& trial : threshold_choice->trials) {
      t += fmt::format("{:>6.0f}", trial.false_triggers_per_hour);
    }
    t += "\n";
  } else {
    t += fmt::format(
        "trigger level {:.2f} ({})\n", threshold,
        o.threshold > 0.0f ? "given" : "no validation stations to choose on: the default");
  }
  if (model.summary.is_object() && model.summary.contains("validation_int8")) {
    const auto& s = model.summary;
    t += fmt::format(
        "training: {} steps (seed {}), loss {} -> {}; int8 on validation windows of training "
        "stations: noise {}, P {}, S {}\n",
        s.value("steps", 0), s.value("seed", 0), fixed(s["initial_loss"]), fixed(s["final_loss"]),
        fixed(s["validation_int8"]["noise"]), fixed(s["validation_int8"]["p"]),
        fixed(s["validation_int8"]["s"]));
  }

  t += "\n== node firmware on Cortex-M4 (the node's code and an excerpt in flash, QEMU)\n";
  if (node_firmware) {
    t += fmt::format("trace {} from sample {} (P at {:.2f} s of the excerpt), threshold {:g}\n",
                     node_firmware_trace, node_firmware_first,
                     static_cast<double>(data.label(node_firmware_trace).p_index -
                                         static_cast<std::int64_t>(node_firmware_first)) /
                         tools::SeismicDataset::kSampleRateHz,
                     threshold);
    t += node_firmware_text(*node_firmware);
  } else {
    t += "not run: " + node_firmware_why_not + "\n";
  }

  t += "\n== detection on the held-out stations (the node's streaming code, int8 model)\n";
  t += tools::detection_table({{"model", &model_scores, true}, {"stalta", &stalta_scores, false}},
                              tolerances);
  t += fmt::format(
      "\n== delivery: {} nodes -> Mosquitto on loopback (QoS 1) -> gateway (SQLite)\n"
      "broker stopped for traces {}..{} of {} ({} events made while it was down)\n",
      replay.nodes.size(), replay.outage_first_trace + 1, replay.outage_end_trace,
      replay.traces.size(), replay.events_during_outage);
  t += fmt::format(
      "events sent {}   delivered {}   lost {}   duplicates dropped by the gateway {} (delivered "
      "twice to the application: 0)   malformed {}\n",
      replay.submitted, replay.delivered, replay.lost, replay.duplicates, replay.gateway.malformed);
  std::uint64_t resent = 0, still = 0, dropped = 0;
  for (const NodeOutcome& n : replay.nodes) {
    resent += n.resent;
    still += n.still_queued;
    dropped += n.dropped;
  }
  t += fmt::format(
      "resent after the outage {}   still queued at the end {}   dropped by full queues {}\n"
      "replayed {:.0f} s of recordings in {:.1f} s ({:.0f}x real time)\n",
      resent, still, dropped, replay.data_seconds, replay.replay_seconds,
      replay.replay_seconds > 0 ? replay.data_seconds / replay.replay_seconds : 0.0);
  t += fmt::format(
      "\n== bandwidth\nreplay: {} B of event PUBLISHes (MQTT framing included) for {:.0f} B of raw "
      "3 x 24-bit samples = {:.4f} %\n",
      replay.wire_bytes, raw_replay_bytes, 100.0 * replay_ratio);
  t += fmt::format(
      "steady state ({:.1f} events/h: the model's false triggers on noise + 2 arrivals):\n{}",
      bw.events_per_hour, report::bandwidth_text(bw, bandwidth));
  t += "\n== energy (STM32L4 at 64 MHz, Saft LS 33600 D cell)\n";
  t += report::energy_text(energy_cases);

  out.html = o.out_dir / "report.html";
  write_text(out.html, html_report(data, replay, stalta_ordered, out.text));
  write_text(o.out_dir / "report.txt", out.text);
  write_text(o.out_dir / "report.json", out.json.dump(2) + "\n");
  t += fmt::format("\nreports: {}, {}, {}\n", (o.out_dir / "report.txt").string(),
                   (o.out_dir / "report.json").string(), out.html.string());
  return out;
}

}  // namespace mote::seismic::demo
