// mote demo seismic: the seismic system end to end in one command (apps/seismic/demo) — train or
// reuse the phase model, score it against STA/LTA on held-out stations, replay those stations
// through nodes, a Mosquitto broker that restarts mid-way and a gateway, and report.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "apps/seismic/demo/seismic_demo.h"
#include "cli/commands.h"
#include "cli/progress.h"

namespace mote::cli {
namespace {

struct DemoCommandOptions {
  seismic::demo::DemoOptions demo;
  std::string shared;
  bool json = false;
};

std::string default_shared_dir() {
  const char* env = std::getenv("MOTE_SHARED_DIR");
  return env != nullptr && *env != '\0' ? env : "../shared";
}

void run_demo(DemoCommandOptions o) {
  const std::filesystem::path data = std::filesystem::path(o.shared) / "data/seismic/ncedc154";
  if (o.demo.waveforms.empty()) o.demo.waveforms = data / "waveforms.npy";
  if (o.demo.labels.empty()) o.demo.labels = data / "labels.csv";
  for (const auto& p : {o.demo.waveforms, o.demo.labels}) {
    if (!std::filesystem::exists(p)) {
      throw std::runtime_error(fmt::format(
          "{} not found: give --shared DIR (or MOTE_SHARED_DIR) holding data/seismic/ncedc154, "
          "or --waveforms and --labels",
          p.string()));
    }
  }
  // One line per stage on stderr (so logs show where the time goes) and a bar on a terminal.
  std::string current;
  std::unique_ptr<ProgressBar> bar;
  auto progress = [&](const std::string& stage, std::uint64_t done, std::uint64_t total) {
    if (stage != current) {
      if (bar) bar->finish();
      current = stage;
      std::fprintf(stderr, "demo: %s\n", stage.c_str());
      bar = std::make_unique<ProgressBar>(stage, total > 0 ? total : 1);
    }
    bar->update(done);
  };
  const seismic::demo::DemoReport report = seismic::demo::run_seismic_demo(o.demo, progress);
  if (bar) bar->finish();
  if (o.json) {
    fmt::print("{}\n", report.json.dump(2));
  } else {
    fmt::print("{}", report.text);
  }
}

}  // namespace

void add_demo_command(CLI::App& app) {
  CLI::App* demo = app.add_subcommand("demo", "End-to-end demonstrations");
  demo->require_subcommand(1);
  auto o = std::make_shared<DemoCommandOptions>();
  o->shared = default_shared_dir();
  o->demo.out_dir = "build/demo-seismic";
  CLI::App* s = demo->add_subcommand(
      "seismic",
      "Train (or reuse) the P/S phase model, score it against STA/LTA on held-out stations, "
      "replay those stations through nodes over MQTT with a broker outage, and report detection, "
      "delivery, bandwidth and energy (text, JSON and HTML)");
  s->add_option("--shared", o->shared, "Folder holding data/seismic/ncedc154 (or MOTE_SHARED_DIR)")
      ->capture_default_str();
  s->add_option("--waveforms", o->demo.waveforms, "Waveforms .npy [N, 3, T] (overrides --shared)");
  s->add_option("--labels", o->demo.labels, "Labels CSV (overrides --shared)");
  s->add_option("--out", o->demo.out_dir, "Reports, network state and the model cache")
      ->capture_default_str();
  s->add_option("--model", o->demo.model, "Use this phase model instead of training")
      ->check(CLI::ExistingFile);
  s->add_flag("--retrain", o->demo.retrain, "Train again even if the cache holds a model");
  s->add_option("--steps", o->demo.train.steps, "Training steps (0: the trainer's default)")
      ->capture_default_str();
  s->add_option("--seed", o->demo.train.seed, "Training seed")->capture_default_str();
  s->add_option("--threshold", o->demo.threshold,
                "Trigger threshold of the node's picker (default: chosen on the validation "
                "stations of the training side)")
      ->check(CLI::Range(0.01, 1.0));
  s->add_option("--max-traces", o->demo.max_traces, "Replay only the first N held-out traces");
  s->add_option("--instructions-per-inference", o->demo.instructions_per_inference,
                "Cortex-M4 instructions per inference for the energy budget (default: an "
                "estimate from the MACs, labelled so)");
  s->add_option("--node-firmware-seconds", o->demo.node_firmware_seconds,
                "Seconds of one held-out recording (around P) streamed through the node firmware "
                "in QEMU (0: skip)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 90.0));
  s->add_flag("--json", o->json, "Print the report as one JSON object");
  s->callback([o] { run_demo(*o); });
}

}  // namespace mote::cli
