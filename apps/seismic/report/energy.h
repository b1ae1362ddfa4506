// Average current and battery life of a streaming node:
//
//   duty        = (instructions per inference × inferences per second
//                  + instructions per sample × samples per second) × cycles per instruction
//                 / (clock MHz × 10^6)
//   I_mcu       = run µA/MHz × clock MHz × duty + stop µA × (1 − duty)
//   I_radio     = messages per hour × J per message / 3600 s / battery V (as µA) + radio idle µA
//   I_total     = I_mcu + I_radio + front end µA
//   life        = battery mAh / I_total
//
// Messages per hour = events per hour / events per message (batching) + statuses per hour.
// Instructions per inference is an input: the Cortex-M4 count (QEMU) replaces the placeholder
// when it exists; the report says which it is.
#pragma once

#include <string>

#include "apps/seismic/report/energy_profiles.h"

namespace mote::seismic::report {

struct EnergyInputs {
  McuProfile mcu;
  RadioProfile radio;
  BatteryProfile battery;
  double clock_mhz = 64.0;
  double instructions_per_inference = 640000.0;  // issue 5's budget until the M4 count exists
  std::string instructions_source = "budget (issue 5 item 3), not measured";
  double inferences_per_second = 5.0;      // a hop of 0.2 s
  double instructions_per_sample = 300.0;  // sample interrupt + DSP for 3 channels, assumed
  double sample_rate_hz = 100.0;
  double cycles_per_instruction = 1.0;  // as the 640 k instructions = 10 ms at 64 MHz
  double frontend_ua = 0.0;             // sensor and ADC, continuous; not modelled by default
  double events_per_hour = 12.0;
  double events_per_message = 1.0;  // >1: events batched into one message
  double statuses_per_hour = 1.0;
  double budget_ua = 1000.0;  // issue 5: average current under 1 mA
};

struct EnergyReport {
  double duty = 0;  // fraction of time the MCU runs
  double mcu_run_ua = 0;
  double mcu_stop_ua = 0;
  double radio_messages_per_hour = 0;
  double radio_ua = 0;  // transmissions, averaged
  double radio_idle_ua = 0;
  double frontend_ua = 0;
  double total_ua = 0;
  double battery_hours = 0;
  double battery_years = 0;
  bool within_budget = false;
};

// Computes the report; throws std::invalid_argument for non-positive clocks, capacities or
// voltages, negative rates, or a duty above 1 (the MCU cannot keep up).
EnergyReport compute_energy(const EnergyInputs& inputs);

}  // namespace mote::seismic::report
