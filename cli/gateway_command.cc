// mote gateway --db FILE [--host H] [--port P] [--duration S] [--report] [--json]: the receiving
// side of the seismic nodes. Subscribes to mote/+/event and mote/+/status, stores every event once
// per (node, sequence) in SQLite and reports per node what arrived, what came twice, what was
// refused and what is missing.
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "apps/gateway/gateway.h"
#include "apps/gateway/report_format.h"
#include "cli/commands.h"
#include "cli/progress.h"

namespace mote::cli {
namespace {

struct GatewayOptions {
  std::string database;
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "mote-gateway";
  double duration_s = 0;
  bool report_only = false;
  bool json = false;
};

volatile std::sig_atomic_t g_stop = 0;

void request_stop(int) { g_stop = 1; }

void print_report(gateway::EventStore& store, const gateway::GatewayCounters* session, bool json) {
  const auto reports = store.report();
  if (json) {
    nlohmann::ordered_json out = {{"nodes", gateway::node_reports_json(reports)}};
    if (session != nullptr) {
      out["session"] = {{"messages", session->messages},     {"stored", session->stored},
                        {"duplicates", session->duplicates}, {"conflicts", session->conflicts},
                        {"malformed", session->malformed},   {"statuses", session->statuses},
                        {"connects", session->connects},     {"losses", session->losses}};
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("{}", gateway::node_reports_text(reports));
  if (session != nullptr) {
    fmt::print(
        "this session: {} messages, {} new events, {} duplicates dropped, {} malformed, {} "
        "statuses, {} connections\n",
        session->messages, session->stored, session->duplicates, session->malformed,
        session->statuses, session->connects);
  }
}

void run_gateway(const GatewayOptions& options) {
  if (options.report_only) {
    if (!std::filesystem::exists(options.database)) {
      throw std::runtime_error("no gateway database at " + options.database +
                               ": run `mote gateway --db " + options.database + "` first");
    }
    gateway::EventStore store(options.database);
    print_report(store, nullptr, options.json);
    return;
  }
  gateway::GatewayConfig config;
  config.host = options.host;
  config.port = options.port;
  config.client_id = options.client_id;
  config.database = options.database;
  gateway::Gateway gateway(config);

  g_stop = 0;
  auto previous_int = std::signal(SIGINT, request_stop);
  auto previous_term = std::signal(SIGTERM, request_stop);
  std::fprintf(stderr, "gateway: %s:%d -> %s (%s)\n", options.host.c_str(), options.port,
               options.database.c_str(),
               options.duration_s > 0 ? fmt::format("for {} s", options.duration_s).c_str()
                                      : "until interrupted");
  const auto start = std::chrono::steady_clock::now();
  const auto total_ms = static_cast<std::uint64_t>(options.duration_s * 1000);
  ProgressBar bar("gateway", total_ms);
  std::string last_error;
  while (g_stop == 0) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    if (total_ms > 0 && static_cast<std::uint64_t>(elapsed) >= total_ms) break;
    gateway.poll(std::chrono::milliseconds(50));
    if (gateway.last_error() != last_error) {
      last_error = gateway.last_error();
      if (!last_error.empty())
        std::fprintf(stderr, "\ngateway: %s (retrying)\n", last_error.c_str());
    }
    if (total_ms > 0) {
      bar.update(static_cast<std::uint64_t>(elapsed),
                 fmt::format("{} events, {} duplicates, {} malformed", gateway.counters().stored,
                             gateway.counters().duplicates, gateway.counters().malformed));
    }
  }
  bar.finish();
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  print_report(gateway.store(), &gateway.counters(), options.json);
}

}  // namespace

void add_gateway_command(CLI::App& app) {
  auto options = std::make_shared<GatewayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "gateway", "Receive seismic node events over MQTT, deduplicate, store, report per node");
  cmd->add_option("--db", options->database, "SQLite database of received events")->required();
  cmd->add_option("--host", options->host, "MQTT broker host")->capture_default_str();
  cmd->add_option("--port", options->port, "MQTT broker port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  cmd->add_option("--client-id", options->client_id,
                  "MQTT client id (the broker keeps this session's messages while away)")
      ->capture_default_str();
  cmd->add_option("--duration", options->duration_s, "Seconds to run (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--report", options->report_only,
                "Print the report of the database and exit, without connecting");
  cmd->add_flag("--json", options->json, "Print the report as JSON");
  cmd->callback([options] { run_gateway(*options); });
}

}  // namespace mote::cli
