#include "apps/seismic/report/budget_format.h"

#include <fmt/format.h>

namespace mote::seismic::report {

nlohmann::ordered_json bandwidth_json(const BandwidthInputs& in, const BandwidthReport& r) {
  return {{"inputs",
           {{"node_id", in.node_id},
            {"events_per_hour", in.events_per_hour},
            {"statuses_per_hour", in.statuses_per_hour},
            {"keepalive_s", in.keepalive_s},
            {"connection_hours", in.connection_hours},
            {"raw", fmt::format("{} components x {} Hz x {} bytes", in.components,
                                in.sample_rate_hz, in.bytes_per_sample)}}},
          {"bytes_per_event_on_wire", r.event_total},
          {"event_publish_bytes", r.event_publish},
          {"event_puback_bytes", r.event_puback},
          {"status_bytes", r.status_total},
          {"connect_bytes", r.connect_total},
          {"ping_bytes", r.ping_total},
          {"link_bytes_per_hour", r.link_per_hour_bytes},
          {"raw_bytes_per_hour", r.raw_payload_per_hour_bytes},
          {"raw_mqtt_bytes_per_hour", r.raw_mqtt_per_hour_bytes},
          {"ratio", r.ratio},
          {"ratio_vs_raw_mqtt", r.ratio_vs_raw_mqtt}};
}

std::string bandwidth_text(const BandwidthInputs& in, const BandwidthReport& r) {
  std::string t;
  t += fmt::format("bandwidth (MQTT 3.1.1, QoS 1, node id \"{}\", both directions)\n", in.node_id);
  t += fmt::format("  per event      {:>4} B  = PUBLISH {} (15-byte packet) + PUBACK {}\n",
                   r.event_total, r.event_publish, r.event_puback);
  t +=
      fmt::format("  per status     {:>4} B  (16-byte retained status + PUBACK)\n", r.status_total);
  t += fmt::format("  per connection {:>4} B  (CONNECT with will + CONNACK), one per {} h\n",
                   r.connect_total, in.connection_hours);
  t += fmt::format("  per keep-alive {:>4} B  (PINGREQ + PINGRESP), every {} s at most\n",
                   r.ping_total, in.keepalive_s);
  t += fmt::format(
      "  per hour at {:.4g} events/h, {:.4g} status/h: events {:.0f} + status {:.0f} + pings "
      "{:.0f} + "
      "connects {:.1f} = {:.1f} B\n",
      in.events_per_hour, in.statuses_per_hour, r.events_per_hour_bytes, r.status_per_hour_bytes,
      r.keepalive_per_hour_bytes, r.connect_per_hour_bytes, r.link_per_hour_bytes);
  t += fmt::format("  raw {}x{} Hz x {}-bit: {:.0f} B/h of samples ({:.0f} B/h in MQTT)\n",
                   in.components, in.sample_rate_hz, in.bytes_per_sample * 8,
                   r.raw_payload_per_hour_bytes, r.raw_mqtt_per_hour_bytes);
  t += fmt::format("  ratio: {:.4f} % of the raw samples (target < 1 %)\n", r.ratio * 100.0);
  return t;
}

nlohmann::ordered_json energy_json(const std::vector<EnergyCase>& cases) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [in, r] : cases) {
    out.push_back(
        {{"mcu", in.mcu.name},
         {"radio", in.radio.name},
         {"battery", in.battery.name},
         {"clock_mhz", in.clock_mhz},
         {"instructions_per_inference", in.instructions_per_inference},
         {"instructions_source", in.instructions_source},
         {"inferences_per_second", in.inferences_per_second},
         {"events_per_hour", in.events_per_hour},
         {"events_per_message", in.events_per_message},
         {"duty", r.duty},
         {"mcu_run_ua", r.mcu_run_ua},
         {"mcu_stop_ua", r.mcu_stop_ua},
         {"radio_ua", r.radio_ua},
         {"radio_idle_ua", r.radio_idle_ua},
         {"frontend_ua", r.frontend_ua},
         {"average_ua", r.total_ua},
         {"within_1ma_budget", r.within_budget},
         {"battery_years", r.battery_years},
         {"sources",
          {{"mcu", in.mcu.source}, {"radio", in.radio.source}, {"battery", in.battery.source}}}});
  }
  return out;
}

std::string energy_text(const std::vector<EnergyCase>& cases) {
  if (cases.empty()) return "";
  const EnergyInputs& in = cases.front().first;
  const EnergyReport& first = cases.front().second;
  std::string t;
  t += fmt::format(
      "energy ({} at {} MHz; {:.0f} instructions per inference [{}] x {}/s, {:.0f} per sample x "
      "{} Hz: duty {:.2f} %)\n",
      in.mcu.name, in.clock_mhz, in.instructions_per_inference, in.instructions_source,
      in.inferences_per_second, in.instructions_per_sample, in.sample_rate_hz, first.duty * 100.0);
  t += fmt::format(
      "  battery {}: {} mAh at {} V; {:.4g} events/h, {:.4g} per message, {:.4g} status/h\n",
      in.battery.name, in.battery.capacity_mah, in.battery.voltage_v, in.events_per_hour,
      in.events_per_message, in.statuses_per_hour);
  t += fmt::format("  {:<10} {:>10} {:>10} {:>10} {:>10} {:>11} {:>8}  {}\n", "radio", "MCU run",
                   "MCU stop", "radio tx", "radio idle", "average", "life", "1 mA budget");
  for (const auto& [c, r] : cases) {
    t += fmt::format(
        "  {:<10} {:>7.1f} uA {:>7.2f} uA {:>7.1f} uA {:>7.2f} uA {:>8.1f} uA {:>6.2f} y  {}\n",
        c.radio.name, r.mcu_run_ua, r.mcu_stop_ua, r.radio_ua, r.radio_idle_ua, r.total_ua,
        r.battery_years, r.within_budget ? "met" : "MISSED");
  }
  t += fmt::format("  front end (sensor, ADC): {} uA{}\n", in.frontend_ua,
                   in.frontend_ua == 0 ? ", not modelled: set --frontend-ua" : "");
  return t;
}

}  // namespace mote::seismic::report
