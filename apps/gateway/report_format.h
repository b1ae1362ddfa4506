// The gateway's per-node report as text (a table) and as JSON, for `mote gateway` and the demo.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/gateway/event_store.h"

namespace mote::gateway {

// One JSON object per node: received, duplicates, conflicts, malformed (and by reason), missing
// (lost) with the first gap ranges, first/last sequence, unaccounted (lost at the tail),
// pending_at_node and the last status.
nlohmann::ordered_json node_reports_json(const std::vector<NodeReport>& reports);

// A table, one row per node, then the gaps and malformed reasons where there are any.
std::string node_reports_text(const std::vector<NodeReport>& reports);

}  // namespace mote::gateway
