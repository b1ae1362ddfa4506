// The bandwidth and energy budgets as text and JSON, for `mote node-budget` and the demo report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "apps/seismic/report/bandwidth.h"
#include "apps/seismic/report/energy.h"

namespace mote::seismic::report {

nlohmann::ordered_json bandwidth_json(const BandwidthInputs& inputs, const BandwidthReport& r);
std::string bandwidth_text(const BandwidthInputs& inputs, const BandwidthReport& r);

// One energy report per radio (same MCU, battery and duty).
using EnergyCase = std::pair<EnergyInputs, EnergyReport>;
nlohmann::ordered_json energy_json(const std::vector<EnergyCase>& cases);
std::string energy_text(const std::vector<EnergyCase>& cases);

}  // namespace mote::seismic::report
