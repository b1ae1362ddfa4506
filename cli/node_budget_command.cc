// mote node-budget [--events-per-hour R] [--instructions-per-inference N] [--radio NAME] ...
// [--json]: what the seismic node costs — bytes on the wire with MQTT framing against streaming
// the raw 3-component waveform, and average current and battery life per radio profile.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "apps/seismic/report/budget_format.h"
#include "cli/commands.h"

namespace mote::cli {
namespace {

struct BudgetOptions {
  seismic::report::BandwidthInputs bandwidth;
  seismic::report::EnergyInputs energy;
  std::string mcu = "stm32l4";
  std::string radio = "all";
  std::string battery = "li-socl2-d";
  bool json = false;
};

void run_budget(BudgetOptions options) {
  using namespace seismic::report;
  options.bandwidth.events_per_hour = options.energy.events_per_hour;
  options.bandwidth.statuses_per_hour = options.energy.statuses_per_hour;
  const BandwidthReport bandwidth = compute_bandwidth(options.bandwidth);

  options.energy.mcu = find_mcu_profile(options.mcu);
  options.energy.battery = find_battery_profile(options.battery);
  std::vector<EnergyCase> cases;
  if (options.radio == "all") {
    for (const RadioProfile& radio : radio_profiles()) {
      EnergyInputs in = options.energy;
      in.radio = radio;
      cases.emplace_back(in, compute_energy(in));
    }
  } else {
    EnergyInputs in = options.energy;
    in.radio = find_radio_profile(options.radio);
    cases.emplace_back(in, compute_energy(in));
  }

  if (options.json) {
    const nlohmann::ordered_json out = {{"bandwidth", bandwidth_json(options.bandwidth, bandwidth)},
                                        {"energy", energy_json(cases)}};
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("{}\n{}", bandwidth_text(options.bandwidth, bandwidth), energy_text(cases));
}

std::string names(auto profiles) {
  std::string s;
  for (const auto& p : profiles) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

}  // namespace

void add_node_budget_command(CLI::App& app) {
  auto o = std::make_shared<BudgetOptions>();
  CLI::App* cmd = app.add_subcommand(
      "node-budget",
      "Bandwidth (MQTT bytes vs raw streaming) and energy (average current, battery life) of a "
      "seismic node");
  auto& e = o->energy;
  auto& b = o->bandwidth;
  cmd->add_option("--events-per-hour", e.events_per_hour, "Picks sent per hour")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--statuses-per-hour", e.statuses_per_hour, "Status messages per hour")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--events-per-message", e.events_per_message,
                  "Events batched into one radio message (energy only)")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--node-id", b.node_id, "Node id (its length sets the topic bytes)")
      ->capture_default_str();
  cmd->add_option("--keepalive", b.keepalive_s, "MQTT keep-alive in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--connection-hours", b.connection_hours,
                  "Hours per MQTT connection (CONNECT amortised over it)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--mcu", o->mcu, "MCU profile: " + names(seismic::report::mcu_profiles()))
      ->capture_default_str();
  cmd->add_option("--radio", o->radio,
                  "Radio profile, or all: " + names(seismic::report::radio_profiles()))
      ->capture_default_str();
  cmd->add_option("--battery", o->battery,
                  "Battery profile: " + names(seismic::report::battery_profiles()))
      ->capture_default_str();
  cmd->add_option("--clock-mhz", e.clock_mhz, "MCU clock")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--instructions-per-inference", e.instructions_per_inference,
                  "Cortex-M4 instructions per model inference")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--instructions-source", e.instructions_source,
                  "Where that figure comes from (printed with it)")
      ->capture_default_str();
  cmd->add_option("--inferences-per-second", e.inferences_per_second, "Inferences per second")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--instructions-per-sample", e.instructions_per_sample,
                  "Instructions per 3-component sample (interrupt and DSP)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--cycles-per-instruction", e.cycles_per_instruction, "Cycles per instruction")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--frontend-ua", e.frontend_ua, "Sensor and ADC current (continuous)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o] { run_budget(*o); });
}

}  // namespace mote::cli
