// The network half of `mote demo seismic`: recordings of the held-out stations replayed through
// one node per station (the node's own detector, picker and event code, its persistent queue and
// MQTT link) to a gateway, over a real Mosquitto broker on loopback that is stopped in the middle
// of the replay and started again, as a cellular link drops and returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "apps/gateway/event_store.h"
#include "apps/gateway/gateway.h"
#include "apps/seismic/event.h"
#include "tools/data/seismic_dataset.h"
#include "tools/seismic/pick_metrics.h"

namespace mote::seismic::demo {

struct ReplayConfig {
  std::filesystem::path work_dir;  // broker, queues and the gateway's database go here
  std::filesystem::path model;     // the node's phase model (.tflite)
  float threshold = 0.5f;
  // The broker is down from this share of the replayed traces to that one.
  double outage_from = 0.35;
  double outage_to = 0.65;
  // fdatasync per queue write, as on a node's flash; off makes the replay faster, not less exact.
  bool durable = true;
  // Seconds to wait, once the replay ends, for every queued event to reach the gateway.
  double drain_timeout_s = 60.0;
};

struct ReplayedEvent {
  std::size_t trace = 0;
  Event event;
  double sample = 0.0;  // the pick's stream position in its trace (fractional)
};

struct NodeOutcome {
  std::string node;
  std::size_t traces = 0;
  std::uint64_t submitted = 0;            // events the node made
  std::uint64_t sent = 0;                 // PUBLISH packets, first sends
  std::uint64_t resent = 0;               // PUBLISH packets sent again after a lost link
  std::uint64_t acknowledged = 0;         // PUBACKs
  std::uint64_t still_queued = 0;         // in the node's queue at the end
  std::uint64_t dropped = 0;              // dropped by a full queue
  std::uint64_t queued_at_reconnect = 0;  // held in the queue when the broker came back
};

struct ReplayResult {
  std::vector<std::size_t> traces;                 // in replay order
  std::vector<tools::TraceDetections> detections;  // one per trace, as the node picked
  std::vector<ReplayedEvent> events;               // every event submitted, in order
  std::vector<NodeOutcome> nodes;
  std::vector<gateway::NodeReport> received;  // the gateway's view, per node
  gateway::GatewayCounters gateway;
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;         // distinct (node, sequence) stored by the gateway
  std::uint64_t lost = 0;              // submitted - delivered
  std::uint64_t duplicates = 0;        // deliveries the gateway dropped as repeats
  std::size_t outage_first_trace = 0;  // index into `traces` where the broker stopped
  std::size_t outage_end_trace = 0;    // and where it was back
  std::uint64_t events_during_outage = 0;
  double data_seconds = 0.0;     // recorded time replayed
  double replay_seconds = 0.0;   // wall time the replay took
  std::uint64_t wire_bytes = 0;  // those PUBLISH packets with MQTT framing (QoS 1)
  std::size_t arena_bytes = 0;   // the node model's arena
};

// Progress: (stage, done, total).
using ReplayProgress = std::function<void(const std::string&, std::uint64_t, std::uint64_t)>;

// Replays `traces` of `data` (grouped into one node per station, each node's traces in time order)
// and returns what was picked, sent and received. Throws std::runtime_error when the broker
// cannot start, the model is refused, or a node's queue cannot be written.
ReplayResult replay_stations(const tools::SeismicDataset& data,
                             const std::vector<std::size_t>& traces, const ReplayConfig& config,
                             const ReplayProgress& progress = {});

// Seconds since the Unix epoch of a label's start time (tools/data/seismic_dataset.h).
using tools::parse_compact_utc;

}  // namespace mote::seismic::demo
