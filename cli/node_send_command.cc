// mote node-send --node-id ID --queue FILE [--events FILE | --synthetic N] [--port P] [--json]:
// the node's communication side on its own — events (the JSON debug form, one per line, or
// synthetic picks) go through the persistent store-and-forward queue and the MQTT radio to a
// broker, exactly as the picker's would. Waits until all are acknowledged (or --timeout), then
// reports what was sent, resent and still queued. Run it again with the same --queue to resume.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "apps/seismic/link/host/node_link.h"
#include "apps/seismic/link/host/packet_json.h"
#include "cli/commands.h"
#include "cli/progress.h"

namespace mote::cli {
namespace {

struct NodeSendOptions {
  std::string node_id;
  std::string queue;
  std::string events;
  int synthetic = 0;
  std::string host = "127.0.0.1";
  int port = 1883;
  unsigned queue_capacity = 4096;
  unsigned window = 16;
  double timeout_s = 30;
  bool json = false;
};

std::vector<seismic::Event> read_events(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) throw std::runtime_error("cannot read events from " + path);
    in = &file;
  }
  std::vector<seismic::Event> events;
  std::string line;
  for (int n = 1; std::getline(*in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      events.push_back(
          seismic::event_from_packet(seismic::event_packet_from_json(nlohmann::json::parse(line))));
    } catch (const std::exception& e) {
      throw std::runtime_error(
          fmt::format("{} line {}: {}", path == "-" ? "stdin" : path, n, e.what()));
    }
  }
  return events;
}

std::vector<seismic::Event> synthetic_events(int count) {
  const auto now_cs = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count() /
                                            10);
  std::vector<seismic::Event> events;
  for (int i = 0; i < count; ++i) {
    seismic::Event e;
    e.type = (i % 2) != 0 ? seismic::EventType::kS : seismic::EventType::kP;
    e.time_cs = now_cs + static_cast<uint64_t>(i) * 250;
    e.confidence = 0.8f + 0.2f * static_cast<float>(i % 10) / 10.0f;
    e.amplitude = static_cast<float>(1000 + 37 * i);
    events.push_back(e);
  }
  return events;
}

void run_node_send(const NodeSendOptions& o) {
  if (!o.events.empty() && o.synthetic > 0) {
    throw std::runtime_error("give either --events or --synthetic, not both");
  }
  const std::vector<seismic::Event> events =
      o.events.empty() ? synthetic_events(o.synthetic) : read_events(o.events);
  seismic::NodeLinkConfig config;
  config.mqtt.host = o.host;
  config.mqtt.port = o.port;
  config.mqtt.node_id = o.node_id;
  config.queue_file = o.queue;
  config.queue_capacity = o.queue_capacity;
  config.uplink.window = o.window;
  seismic::NodeLink node(config);
  const uint32_t recovered = node.queue().size();

  ProgressBar bar("node-send", events.size() + recovered);
  for (const seismic::Event& e : events) {
    node.submit(e);
    node.poll(std::chrono::milliseconds(0));
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000));
  const uint64_t total = events.size() + recovered;
  std::string last_error;
  while (node.queue().size() > 0 && std::chrono::steady_clock::now() < deadline) {
    node.poll(std::chrono::milliseconds(20));
    bar.update(total - node.queue().size(), node.radio().connected() ? "connected" : "connecting");
    if (node.radio().last_error() != last_error) {
      last_error = node.radio().last_error();
      if (!node.radio().connected() && !last_error.empty()) {
        std::fprintf(stderr, "\nnode-send: %s (retrying)\n", last_error.c_str());
      }
    }
  }
  node.disconnect();  // a last status (offline, final queue depth), then DISCONNECT
  bar.finish();

  const auto& u = node.uplink().counters();
  const auto& q = node.queue().counters();
  if (o.json) {
    const nlohmann::ordered_json out = {{"node_id", o.node_id},
                                        {"submitted", events.size()},
                                        {"recovered_from_queue", recovered},
                                        {"sent", u.sent},
                                        {"resent", u.resent},
                                        {"acknowledged", u.acknowledged},
                                        {"still_queued", node.queue().size()},
                                        {"dropped_on_overflow", q.dropped},
                                        {"corrupt_records", q.corrupt},
                                        {"connects", node.radio().counters().connects}};
    fmt::print("{}\n", out.dump(2));
  } else {
    fmt::print(
        "{}: {} submitted, {} recovered from the queue; {} sent ({} resent), {} "
        "acknowledged, {} still queued, {} dropped on overflow, {} corrupt\n",
        o.node_id, events.size(), recovered, u.sent, u.resent, u.acknowledged, node.queue().size(),
        q.dropped, q.corrupt);
  }
  if (node.queue().size() > 0) {
    throw std::runtime_error(
        fmt::format("{} events are still queued in {} (broker unreachable?); run again to resume",
                    node.queue().size(), o.queue));
  }
}

}  // namespace

void add_node_send_command(CLI::App& app) {
  auto o = std::make_shared<NodeSendOptions>();
  CLI::App* cmd = app.add_subcommand(
      "node-send", "Send events through a node's persistent queue and MQTT link to a broker");
  cmd->add_option("--node-id", o->node_id, "Node id (topic mote/<id>/event)")->required();
  cmd->add_option("--queue", o->queue, "The node's queue file (created, or resumed)")->required();
  cmd->add_option(
      "--events", o->events,
      "JSON events, one per line ('-' for stdin), e.g. "
      R"({"event":"P-Arrival","confidence":0.94,"timestamp":1710777123,"amplitude":5})");
  cmd->add_option("--synthetic", o->synthetic, "Send this many synthetic picks instead")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--host", o->host, "MQTT broker host")->capture_default_str();
  cmd->add_option("--port", o->port, "MQTT broker port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  cmd->add_option("--queue-capacity", o->queue_capacity, "Queue slots (power of two)")
      ->capture_default_str();
  cmd->add_option("--window", o->window, "Events in flight at most (1-64)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout_s, "Seconds to wait for acknowledgements")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the counts as JSON");
  cmd->callback([o] { run_node_send(*o); });
}

}  // namespace mote::cli
