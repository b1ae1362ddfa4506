#include "apps/gateway/report_format.h"

#include <fmt/format.h>

#include "apps/seismic/link/host/packet_json.h"

namespace mote::gateway {

nlohmann::ordered_json node_reports_json(const std::vector<NodeReport>& reports) {
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const NodeReport& r : reports) {
    nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
    for (const auto& [from, to] : r.gaps) gaps.push_back({from, to});
    nlohmann::ordered_json n = {{"node", r.node},
                                {"received", r.received},
                                {"duplicates", r.duplicates},
                                {"conflicts", r.conflicts},
                                {"malformed", r.malformed},
                                {"malformed_by_reason", r.malformed_by_reason},
                                {"missing", r.missing},
                                {"gaps", gaps},
                                {"first_seq", r.first_sequence},
                                {"last_seq", r.last_sequence},
                                {"pending_at_node", r.pending_at_node},
                                {"unaccounted", r.unaccounted}};
    n["status"] = r.status ? nlohmann::ordered_json(seismic::status_packet_json(*r.status))
                           : nlohmann::ordered_json(nullptr);
    nodes.push_back(std::move(n));
  }
  return nodes;
}

std::string node_reports_text(const std::vector<NodeReport>& reports) {
  if (reports.empty()) return "no node has sent anything yet\n";
  std::string text = fmt::format("{:<16} {:>9} {:>10} {:>9} {:>9} {:>8} {:>11} {:>8}  {:<15} {}\n",
                                 "node", "received", "duplicates", "malformed", "conflicts",
                                 "missing", "unaccounted", "pending", "sequences", "status");
  for (const NodeReport& r : reports) {
    const std::string range =
        r.received > 0 ? fmt::format("{}..{}", r.first_sequence, r.last_sequence) : "-";
    std::string status = "-";
    if (r.status) {
      status =
          fmt::format("{}, queue {}, {} dropped, up {} s", r.status->online ? "online" : "offline",
                      r.status->queue_depth, r.status->dropped, r.status->uptime_s);
      if (r.status->battery_mv > 0) status += fmt::format(", {} mV", r.status->battery_mv);
    }
    text += fmt::format("{:<16} {:>9} {:>10} {:>9} {:>9} {:>8} {:>11} {:>8}  {:<15} {}\n", r.node,
                        r.received, r.duplicates, r.malformed, r.conflicts, r.missing,
                        r.unaccounted, r.pending_at_node, range, status);
  }
  for (const NodeReport& r : reports) {
    if (!r.gaps.empty()) {
      text += fmt::format("gaps of {} (lost):", r.node);
      for (const auto& [from, to] : r.gaps) {
        text += from == to ? fmt::format(" {}", from) : fmt::format(" {}-{}", from, to);
      }
      text += r.gaps.size() == 20 ? " ...\n" : "\n";
    }
    if (!r.malformed_by_reason.empty()) {
      text += fmt::format("malformed from {}:", r.node);
      for (const auto& [reason, count] : r.malformed_by_reason) {
        text += fmt::format(" {} {}", reason, count);
      }
      text += "\n";
    }
  }
  return text;
}

}  // namespace mote::gateway
