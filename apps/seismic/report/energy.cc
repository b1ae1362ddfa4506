#include "apps/seismic/report/energy.h"

#include <stdexcept>

namespace mote::seismic::report {

EnergyReport compute_energy(const EnergyInputs& in) {
  if (!(in.clock_mhz > 0) || !(in.cycles_per_instruction > 0) || !(in.battery.capacity_mah > 0) ||
      !(in.battery.voltage_v > 0) || !(in.events_per_message >= 1)) {
    throw std::invalid_argument(
        "energy: clock, cycles per instruction, battery capacity and voltage must be > 0 and "
        "events per message >= 1");
  }
  if (in.instructions_per_inference < 0 || in.inferences_per_second < 0 ||
      in.instructions_per_sample < 0 || in.sample_rate_hz < 0 || in.frontend_ua < 0 ||
      in.events_per_hour < 0 || in.statuses_per_hour < 0 || in.mcu.run_ua_per_mhz < 0 ||
      in.mcu.stop_ua < 0 || in.radio.joules_per_message < 0 || in.radio.idle_ua < 0) {
    throw std::invalid_argument("energy: rates, counts, currents and energies must be >= 0");
  }
  EnergyReport r;
  const double instructions_per_second = in.instructions_per_inference * in.inferences_per_second +
                                         in.instructions_per_sample * in.sample_rate_hz;
  r.duty = instructions_per_second * in.cycles_per_instruction / (in.clock_mhz * 1e6);
  if (r.duty > 1.0) {
    throw std::invalid_argument("energy: the MCU would need " + std::to_string(r.duty * 100.0) +
                                " % of its time at " + std::to_string(in.clock_mhz) +
                                " MHz: it cannot keep up with the stream");
  }
  r.mcu_run_ua = in.mcu.run_ua_per_mhz * in.clock_mhz * r.duty;
  r.mcu_stop_ua = in.mcu.stop_ua * (1.0 - r.duty);
  r.radio_messages_per_hour = in.events_per_hour / in.events_per_message + in.statuses_per_hour;
  // J/h ÷ 3600 s = W; ÷ V = A; × 10^6 = µA.
  r.radio_ua =
      r.radio_messages_per_hour * in.radio.joules_per_message / 3600.0 / in.battery.voltage_v * 1e6;
  r.radio_idle_ua = in.radio.idle_ua;
  r.frontend_ua = in.frontend_ua;
  r.total_ua = r.mcu_run_ua + r.mcu_stop_ua + r.radio_ua + r.radio_idle_ua + r.frontend_ua;
  r.battery_hours = in.battery.capacity_mah * 1000.0 / r.total_ua;
  r.battery_years = r.battery_hours / (24.0 * 365.25);
  r.within_budget = r.total_ua <= in.budget_ua;
  return r;
}

}  // namespace mote::seismic::report
