// mote seismic node-firmware: the seismic node as Cortex-M4 firmware. Builds the firmware for one
// recording (the int8 model and the samples in flash, apps/seismic's node code), runs it in QEMU,
// prints the events the device made and its instructions per second of data, and checks that
// the host's node makes the same events from the same samples.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "apps/seismic/firmware/node_firmware_run.h"
#include "cli/seismic_options.h"
#include "tools/data/seismic_dataset.h"

namespace mote::cli {
namespace {

struct NodeFirmwareCommandOptions {
  SplitOptions data;
  std::string model;
  std::size_t trace = 0;
  double seconds = 60.0;
  long long first_sample = -1;
  float threshold = 0.8f;
  std::string target = "cortex-m4";
  bool json = false;
};

int run_node_firmware_command(const NodeFirmwareCommandOptions& o) {
  const tools::SeismicDataset data = tools::SeismicDataset::load(o.data.waveforms, o.data.labels);
  if (o.trace >= data.size()) {
    throw std::runtime_error(
        fmt::format("--trace {}: the data set has {} traces", o.trace, data.size()));
  }
  const auto count = static_cast<std::size_t>(o.seconds * tools::SeismicDataset::kSampleRateHz);
  const std::size_t first = o.first_sample >= 0 ? static_cast<std::size_t>(o.first_sample)
                                                : seismic::excerpt_start(data, o.trace, count);
  const tools::NodeRecording recording = seismic::recording_from_trace(data, o.trace, first, count);
  tools::NodeFirmwareOptions options;
  options.target = tools::parse_firmware_target(o.target);
  options.threshold = o.threshold;
  if (!o.json) {
    fmt::print(stderr, "building and running the node firmware ({}) for {} ...\n", o.target,
               recording.name);
  }
  const seismic::NodeFirmwareResult r = seismic::run_node_firmware(o.model, recording, options);
  if (o.json) {
    nlohmann::ordered_json j = seismic::node_firmware_json(r);
    j["trace"] = o.trace;
    j["first_sample"] = first;
    j["threshold"] = o.threshold;
    std::puts(j.dump(2).c_str());
  } else {
    fmt::print("node firmware: {} from sample {} of trace {}\n{}", o.model, first, o.trace,
               seismic::node_firmware_text(r));
  }
  // Scripts and CI read the exit code: the device must make the host's events.
  return r.events_equal ? 0 : 1;
}

}  // namespace

void add_seismic_node_firmware_command(CLI::App* seismic) {
  auto o = std::make_shared<NodeFirmwareCommandOptions>();
  CLI::App* cmd = seismic->add_subcommand(
      "node-firmware",
      "Build the seismic node firmware for one recording (model and samples in flash), run it on "
      "the Cortex-M4 in QEMU, print its events and instructions per second of data, and check "
      "that the host's node makes the same events (exit code 1 when not)");
  add_data_options(cmd, &o->data);
  cmd->add_option("--model", o->model, "int8 phase model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--trace", o->trace, "Index of the recording in the data set")
      ->capture_default_str();
  cmd->add_option("--seconds", o->seconds,
                  "Length of the excerpt streamed (0: the whole recording)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--first-sample", o->first_sample,
                  "First sample of the excerpt (default: centred on the P pick, else 0)");
  cmd->add_option("--threshold", o->threshold, "Model trigger threshold (off at half of it)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1.0));
  cmd->add_option("--target", o->target, "cortex-m4 (QEMU) or host (a native build, no counts)")
      ->capture_default_str()
      ->check(CLI::IsMember({"cortex-m4", "host"}));
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o] {
    const int code = run_node_firmware_command(*o);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mote::cli
