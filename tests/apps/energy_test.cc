// The energy model against figures worked by hand.
#include <gtest/gtest.h>

#include "apps/seismic/report/energy.h"

namespace mote::seismic::report {
namespace {

EnergyInputs defaults(const std::string& radio) {
  EnergyInputs in;
  in.mcu = find_mcu_profile("stm32l4");
  in.radio = find_radio_profile(radio);
  in.battery = find_battery_profile("li-socl2-d");
  return in;
}

TEST(Energy, Stm32l4LteMByHand) {
  const EnergyReport r = compute_energy(defaults("lte-m"));
  // Instructions per second: 640 000 × 5 + 300 × 100 = 3 230 000; at 64 MHz, 1 cycle each:
  // duty = 3 230 000 / 64 000 000 = 0.05046875.
  EXPECT_DOUBLE_EQ(r.duty, 0.05046875);
  // Run: 120 µA/MHz × 64 MHz = 7680 µA, × duty = 387.6 µA. Stop: 1 µA × 0.94953125.
  EXPECT_NEAR(r.mcu_run_ua, 387.6, 1e-9);
  EXPECT_NEAR(r.mcu_stop_ua, 0.94953125, 1e-12);
  // Radio: (12 + 1) messages/h × 0.55 J = 7.15 J/h; / 3600 s = 1.98611 mW; / 3.6 V = 551.6975 µA.
  EXPECT_DOUBLE_EQ(r.radio_messages_per_hour, 13.0);
  EXPECT_NEAR(r.radio_ua, 551.697530864, 1e-6);
  EXPECT_DOUBLE_EQ(r.radio_idle_ua, 2.7);
  // Total 942.947 µA: under 1 mA. 17 000 mAh / 0.942947 mA = 18 028.6 h = 2.0567 years.
  EXPECT_NEAR(r.total_ua, 942.947062114, 1e-6);
  EXPECT_TRUE(r.within_budget);
  EXPECT_NEAR(r.battery_hours, 18028.6, 0.1);
  EXPECT_NEAR(r.battery_years, 2.0567, 1e-4);
}

TEST(Energy, BleAdvertisingIsNegligibleBesideTheMcu) {
  const EnergyReport r = compute_energy(defaults("ble-adv"));
  // 13 × 17 µJ / 3600 s / 3.6 V = 0.0170525 µA.
  EXPECT_NEAR(r.radio_ua, 0.0170524691, 1e-9);
  EXPECT_NEAR(r.total_ua, 387.6 + 0.94953125 + 0.0170524691, 1e-6);
}

TEST(Energy, BatchingDividesTheMessageCost) {
  EnergyInputs in = defaults("nb-iot");
  in.events_per_message = 4;
  const EnergyReport r = compute_energy(in);
  // 12 / 4 + 1 = 4 messages/h × 0.27 J = 1.08 J/h → 0.3 mW → 83.333 µA at 3.6 V.
  EXPECT_DOUBLE_EQ(r.radio_messages_per_hour, 4.0);
  EXPECT_NEAR(r.radio_ua, 83.3333333, 1e-6);
}

TEST(Energy, SlowerInferenceNeedsLessCurrent) {
  EnergyInputs in = defaults("lora-sf12");
  in.instructions_per_inference = 100000;
  const EnergyReport fast = compute_energy(in);
  in.inferences_per_second = 1;
  const EnergyReport slow = compute_energy(in);
  EXPECT_LT(slow.total_ua, fast.total_ua);
  // duty = (100 000 × 1 + 30 000) / 64e6 = 0.00203125 → 7680 × that = 15.6 µA.
  EXPECT_NEAR(slow.mcu_run_ua, 15.6, 1e-9);
}

TEST(Energy, RefusesAnMcuThatCannotKeepUp) {
  EnergyInputs in = defaults("lte-m");
  in.instructions_per_inference = 20e6;  // 100 M instructions a second at 64 MHz
  EXPECT_THROW(compute_energy(in), std::invalid_argument);
  in = defaults("lte-m");
  in.battery.capacity_mah = 0;
  EXPECT_THROW(compute_energy(in), std::invalid_argument);
  in = defaults("lte-m");
  in.events_per_hour = -1;
  EXPECT_THROW(compute_energy(in), std::invalid_argument);
}

TEST(EnergyProfiles, EveryProfileHasASourceAndUnknownNamesAreListed) {
  for (const auto& p : mcu_profiles()) EXPECT_FALSE(p.source.empty()) << p.name;
  for (const auto& p : radio_profiles()) EXPECT_FALSE(p.source.empty()) << p.name;
  for (const auto& p : battery_profiles()) EXPECT_FALSE(p.source.empty()) << p.name;
  EXPECT_DOUBLE_EQ(find_radio_profile("lora-sf7").joules_per_message, 6.4e-3);
  EXPECT_DOUBLE_EQ(find_radio_profile("lora-sf12").joules_per_message, 0.47);
  EXPECT_DOUBLE_EQ(find_radio_profile("nb-iot").joules_per_message, 0.27);
  try {
    find_radio_profile("wifi");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("lte-m"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mote::seismic::report
