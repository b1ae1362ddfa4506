#include "apps/seismic/report/energy_profiles.h"

#include <stdexcept>
#include <vector>

namespace mote::seismic::report {
namespace {

// Microcontrollers.
// - stm32l4: figures given in issue 5 item 7 (120 uA/MHz run, stop about 1 uA). ST's STM32L4
//   datasheets give run currents of roughly 100-120 uA/MHz from flash in range 1 and Stop 2 near
//   1 uA with the RTC (ST AN4621, "STM32L4 and STM32L4+ ultra-low-power features overview").
// - nrf52840: Nordic nRF52840 product specification: CPU running CoreMark from flash at 64 MHz
//   with the DC/DC regulator about 3.3 mA (52 uA/MHz); System ON idle with RTC about 1.5 uA.
//   Recalled from the specification, not re-checked for this table.
const std::vector<McuProfile> kMcus = {
    {"stm32l4", 120.0, 1.0, "issue 5 item 7; ST AN4621 (STM32L4 ultra-low-power overview)"},
    {"nrf52840", 52.0, 1.5,
     "Nordic nRF52840 product specification (CoreMark from flash, DC/DC; System ON idle)"},
};

// Radios: energy per message dominates; for cellular links the connection (attach, RRC set-up,
// tail) costs far more than the bytes.
// - ble-adv: issue 5 item 7, BLE advertising about 17 uJ per event (one advertising event on
//   three channels); the radio is part of the SoC whose sleep current the MCU profile counts.
// - lora-sf7 / lora-sf12: issue 5 item 7, about 6.4 mJ (SF7) and 0.47 J (SF12) per 16-byte
//   packet. Cross-check with the time on air of Semtech AN1200.13 (16 bytes, 125 kHz, CR 4/5,
//   explicit header, CRC): 51 ms at SF7, 1.32 s at SF12. 0.47 J over 1.32 s is 0.36 W, about an
//   SX1276 at +20 dBm (PA_BOOST, about 120 mA at 3 V); 6.4 mJ over 51 ms is 0.12 W, a lower
//   transmit power: the two figures assume different power settings. Idle: SX1276 sleep 0.2 uA
//   typical (Semtech SX1276 datasheet).
// - lte-m / nb-iot: issue 5 item 7, about 0.55 J (LTE-M) and 0.27 J (NB-IoT) per message with
//   PSM between messages; measured energies of this order are reported by Sorensen et al.,
//   "Modelling and Experimental Validation for Battery Lifetime Estimation in NB-IoT and LTE-M"
//   (arXiv 2106.13286). Idle: PSM floor about 2.7 uA (Nordic nRF9160 product specification,
//   recalled, not re-checked).
const std::vector<RadioProfile> kRadios = {
    {"ble-adv", 17e-6, 0.0, "issue 5 item 7 (BLE advertising event)"},
    {"lora-sf7", 6.4e-3, 0.2, "issue 5 item 7; Semtech AN1200.13 airtime; SX1276 datasheet"},
    {"lora-sf12", 0.47, 0.2, "issue 5 item 7; Semtech AN1200.13 airtime; SX1276 datasheet"},
    {"lte-m", 0.55, 2.7, "issue 5 item 7; Sorensen et al. arXiv 2106.13286; nRF9160 PSM"},
    {"nb-iot", 0.27, 2.7, "issue 5 item 7; Sorensen et al. arXiv 2106.13286; nRF9160 PSM"},
};

// Batteries (nominal capacity; no derating for temperature, self-discharge or pulse load).
// - li-socl2-d: Saft LS 33600, D-size lithium-thionyl chloride, 3.6 V, 17 Ah (Saft datasheet),
//   the usual primary cell of remote seismic and metering nodes.
// - 2xaa-lithium: two Energizer L91 in series, 3.0 V, about 3 Ah (Energizer datasheet).
const std::vector<BatteryProfile> kBatteries = {
    {"li-socl2-d", 17000.0, 3.6, "Saft LS 33600 datasheet (D cell, 3.6 V, 17 Ah)"},
    {"2xaa-lithium", 3000.0, 3.0, "Energizer L91 datasheet (AA Li-FeS2, about 3 Ah), 2 in series"},
};

template <typename Profile>
const Profile& find(const std::vector<Profile>& profiles, const std::string& name,
                    const char* kind) {
  std::string names;
  for (const Profile& p : profiles) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  throw std::invalid_argument(std::string("no ") + kind + " profile \"" + name +
                              "\"; there are: " + names);
}

}  // namespace

std::span<const McuProfile> mcu_profiles() { return kMcus; }
std::span<const RadioProfile> radio_profiles() { return kRadios; }
std::span<const BatteryProfile> battery_profiles() { return kBatteries; }

const McuProfile& find_mcu_profile(const std::string& name) { return find(kMcus, name, "MCU"); }
const RadioProfile& find_radio_profile(const std::string& name) {
  return find(kRadios, name, "radio");
}
const BatteryProfile& find_battery_profile(const std::string& name) {
  return find(kBatteries, name, "battery");
}

}  // namespace mote::seismic::report
