#include "apps/seismic/demo/replay.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>

#include "apps/gateway/mosquitto_broker.h"
#include "apps/seismic/event.h"
#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/host/node_link.h"
#include "apps/seismic/node.h"
#include "apps/seismic/report/mqtt_framing.h"
#include "tools/seismic/run_detector.h"

namespace mote::seismic::demo {
namespace {

using Clock = std::chrono::steady_clock;

// Hands the node's events to its store-and-forward link and keeps a copy for the report. The
// link throws on a queue that cannot be written; the portable node is built without exceptions,
// so the failure crosses it as a status and is rethrown by the replay.
class LinkSink final : public EventSink {
 public:
  LinkSink(NodeLink* link, std::vector<ReplayedEvent>* log, std::vector<Pick>* picks)
      : link_(link), log_(log), picks_(picks) {}
  void set_trace(std::size_t trace) { trace_ = trace; }
  const std::string& error() const { return error_; }

  Status on_event(const Event& event, const Pick& pick) override {
    try {
      link_->submit(event);
    } catch (const std::exception& e) {
      error_ = e.what();
      return Status::kIoError;
    }
    log_->push_back({trace_, event, pick.sample});
    picks_->push_back(pick);
    return Status::kOk;
  }

 private:
  NodeLink* link_;
  std::vector<ReplayedEvent>* log_;
  std::vector<Pick>* picks_;
  std::size_t trace_ = 0;
  std::string error_;
};

struct StationNode {
  std::string id;
  std::unique_ptr<NodeLink> link;
  std::vector<std::size_t> traces;
  std::uint64_t queued_at_reconnect = 0;
};

// MQTT node ids allow [A-Za-z0-9._-]; station codes are already in that set, but a data set with
// other characters must not break the topic.
std::string node_id_for(const std::string& station, std::size_t index) {
  std::string id = station.empty() ? fmt::format("node{}", index) : station;
  for (char& c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return id;
}

}  // namespace

ReplayResult replay_stations(const tools::SeismicDataset& data,
                             const std::vector<std::size_t>& traces, const ReplayConfig& config,
                             const ReplayProgress& progress) {
  if (traces.empty()) throw std::runtime_error("replay: no traces to replay");
  std::filesystem::create_directories(config.work_dir);
  const auto queue_dir = config.work_dir / "queues";
  std::filesystem::remove_all(queue_dir);  // a new demo starts with empty node queues
  std::filesystem::create_directories(queue_dir);
  const auto database = config.work_dir / "gateway.sqlite";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(database.string() + suffix);
  }

  // One node per station; its traces in time order, as its stream would have delivered them.
  std::map<std::string, std::size_t> by_station;
  std::vector<StationNode> nodes;
  for (std::size_t t : traces) {
    const std::string& station = data.label(t).station;
    auto [it, added] = by_station.emplace(station, nodes.size());
    if (added) {
      nodes.push_back({});
      nodes.back().id = node_id_for(station, nodes.size() - 1);
    }
    nodes[it->second].traces.push_back(t);
  }
  ReplayResult r;
  for (StationNode& n : nodes) {
    std::stable_sort(n.traces.begin(), n.traces.end(), [&](std::size_t a, std::size_t b) {
      return data.label(a).start_time < data.label(b).start_time;
    });
  }
  // Interleave the stations (round robin) so that the outage falls on many nodes at once.
  for (std::size_t k = 0;; ++k) {
    bool any = false;
    for (const StationNode& n : nodes) {
      if (k < n.traces.size()) {
        r.traces.push_back(n.traces[k]);
        any = true;
      }
    }
    if (!any) break;
  }

  gateway::BrokerOptions broker_options;
  broker_options.work_dir = config.work_dir / "broker";
  std::filesystem::remove_all(broker_options.work_dir);
  gateway::MosquittoBroker broker(broker_options);
  broker.start();

  gateway::GatewayConfig gateway_config;
  gateway_config.port = broker.port();
  gateway_config.database = database;
  gateway_config.client_id = "mote-demo-gateway";
  gateway::Gateway gateway(gateway_config);
  const auto ready_by = Clock::now() + std::chrono::seconds(10);
  while (!gateway.ready() && Clock::now() < ready_by) gateway.poll(std::chrono::milliseconds(20));
  if (!gateway.ready()) {
    throw std::runtime_error("replay: the gateway did not subscribe: " + gateway.last_error());
  }

  for (StationNode& n : nodes) {
    NodeLinkConfig link;
    link.mqtt.port = broker.port();
    link.mqtt.node_id = n.id;
    link.mqtt.backoff_max = std::chrono::milliseconds(1000);
    link.queue_file = queue_dir / (n.id + ".queue");
    link.durable = config.durable;
    n.link = std::make_unique<NodeLink>(link);
  }
  std::map<std::size_t, std::size_t> node_of_trace;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (std::size_t t : nodes[i].traces) node_of_trace[t] = i;
  }

  tools::ModelHostDetector detector(config.model, seismic::model_detector_config(config.threshold));
  r.arena_bytes = detector.arena_bytes();
  const auto armed_from = static_cast<std::int64_t>(detector.detector().armed_from());
  auto poll_all = [&](std::chrono::milliseconds wait) {
    for (StationNode& n : nodes) n.link->poll(std::chrono::milliseconds(0));
    gateway.poll(wait);
  };

  const std::size_t count = r.traces.size();
  r.outage_first_trace = static_cast<std::size_t>(config.outage_from * static_cast<double>(count));
  r.outage_end_trace = static_cast<std::size_t>(config.outage_to * static_cast<double>(count));
  const std::size_t samples = data.samples_per_trace();
  const auto started = Clock::now();
  const std::int64_t fallback_epoch = 1700000000;  // 2023-11-14, for traces without a start time
  bool outage = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (i == r.outage_first_trace && r.outage_end_trace > r.outage_first_trace) {
      broker.stop();
      outage = true;
    }
    if (outage && i == r.outage_end_trace) {
      for (StationNode& n : nodes) n.queued_at_reconnect = n.link->queue().size();
      broker.start();
      outage = false;
    }
    const std::size_t t = r.traces[i];
    StationNode& node = nodes[node_of_trace[t]];
    tools::TraceDetections detections;
    detections.samples = static_cast<std::int64_t>(samples);
    detections.armed_from = armed_from;
    LinkSink sink(node.link.get(), &r.events, &detections.picks);
    sink.set_trace(t);
    SeismicNode seismic_node(&detector.detector(), &sink);
    const std::int64_t start_s = parse_compact_utc(data.label(t).start_time);
    NodeClock clock;
    clock.utc = true;
    clock.stream_start_cs =
        static_cast<std::uint64_t>(start_s >= 0 ? start_s : fallback_epoch + 90 * i) * 100;
    seismic_node.start(clock);
    const std::span<const float> x = data.trace(t);
    const std::size_t events_before = r.events.size();
    for (std::size_t s = 0; s < samples; ++s) {
      const float sample[dsp::kComponents] = {x[s], x[samples + s], x[2 * samples + s]};
      if (seismic_node.push(sample) != Status::kOk) {
        throw std::runtime_error(
            fmt::format("node {} at sample {} of {}: {}", node.id, s, data.label(t).id,
                        sink.error().empty() ? detector.errors().last() : sink.error()));
      }
      // The link runs between samples as the node's main loop would; once a second of data.
      if (s % 100 == 99) poll_all(std::chrono::milliseconds(0));
    }
    if (seismic_node.finish() != Status::kOk) {
      throw std::runtime_error(
          fmt::format("node {} at the end of {}: {}", node.id, data.label(t).id, sink.error()));
    }
    if (outage) r.events_during_outage += r.events.size() - events_before;
    r.detections.push_back(std::move(detections));
    if (progress) progress(outage ? "replay (broker down)" : "replay", i + 1, count);
  }
  if (outage) broker.start();
  r.data_seconds = static_cast<double>(count * samples) / tools::SeismicDataset::kSampleRateHz;

  // Drain: every node's queue empty and every event stored, or the timeout.
  r.submitted = r.events.size();
  const auto drain_by = Clock::now() + std::chrono::milliseconds(
                                           static_cast<std::int64_t>(config.drain_timeout_s * 1e3));
  auto stored = [&] { return gateway.counters().stored; };
  while (Clock::now() < drain_by) {
    std::uint64_t queued = 0;
    for (const StationNode& n : nodes) queued += n.link->queue().size();
    if (queued == 0 && stored() >= r.submitted) break;
    poll_all(std::chrono::milliseconds(10));
    if (progress) progress("drain", std::min<std::uint64_t>(stored(), r.submitted), r.submitted);
  }
  for (StationNode& n : nodes) n.link->disconnect();
  const auto settle_by = Clock::now() + std::chrono::milliseconds(500);
  while (Clock::now() < settle_by) gateway.poll(std::chrono::milliseconds(20));
  r.replay_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  for (const StationNode& n : nodes) {
    NodeOutcome o;
    o.node = n.id;
    o.traces = n.traces.size();
    const auto& u = n.link->uplink().counters();
    o.submitted = u.submitted;
    o.sent = u.sent - u.resent;
    o.resent = u.resent;
    o.acknowledged = u.acknowledged;
    o.still_queued = n.link->queue().size();
    o.dropped = n.link->queue().counters().dropped;
    o.queued_at_reconnect = n.queued_at_reconnect;
    r.nodes.push_back(o);
    const std::size_t topic =
        std::string("mote/").size() + n.id.size() + std::string("/event").size();
    r.wire_bytes += o.sent * report::publish_bytes(topic, kEventPacketBytes, 1);
  }
  r.received = gateway.store().report();
  r.gateway = gateway.counters();
  r.delivered = 0;
  for (const gateway::NodeReport& n : r.received) {
    r.delivered += n.received;
    r.duplicates += n.duplicates;
  }
  r.lost = r.submitted > r.delivered ? r.submitted - r.delivered : 0;
  broker.stop();
  return r;
}

}  // namespace mote::seismic::demo
