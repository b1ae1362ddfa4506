// Power profiles of the parts the energy model adds up: microcontrollers, radios and batteries.
// Data, not code: each entry carries its source (energy_profiles.cc).
#pragma once

#include <span>
#include <string>

namespace mote::seismic::report {

struct McuProfile {
  std::string name;
  double run_ua_per_mhz;  // run current from flash, per MHz of core clock
  double stop_ua;         // deepest state that keeps RAM and a wake-up timer
  std::string source;
};

struct RadioProfile {
  std::string name;
  double joules_per_message;  // one event (or status) message, connection set-up included
  double idle_ua;             // between messages (sleep, PSM); 0 when counted elsewhere
  std::string source;
};

struct BatteryProfile {
  std::string name;
  double capacity_mah;
  double voltage_v;
  std::string source;
};

std::span<const McuProfile> mcu_profiles();
std::span<const RadioProfile> radio_profiles();
std::span<const BatteryProfile> battery_profiles();

// The profile named `name`; throws std::invalid_argument listing the names there are.
const McuProfile& find_mcu_profile(const std::string& name);
const RadioProfile& find_radio_profile(const std::string& name);
const BatteryProfile& find_battery_profile(const std::string& name);

}  // namespace mote::seismic::report
