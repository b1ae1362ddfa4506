// mote broker --dir DIR [--port P]: a Mosquitto broker on loopback with the configuration the
// nodes and the gateway need (raised in-flight and queue limits, persistence), in the foreground
// until Ctrl-C. For trying the node and gateway by hand; tests and the demo use the same code.
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "apps/gateway/mosquitto_broker.h"
#include "cli/commands.h"

namespace mote::cli {
namespace {

struct BrokerCommandOptions {
  std::string dir;
  int port = 0;
};

volatile std::sig_atomic_t g_broker_stop = 0;

void run_broker(const BrokerCommandOptions& o) {
  gateway::BrokerOptions options;
  options.work_dir = o.dir;
  options.port = o.port;
  gateway::MosquittoBroker broker(options);
  broker.start();
  fmt::print("mosquitto listening on 127.0.0.1:{} (config {}, log {}); Ctrl-C stops it\n",
             broker.port(), broker.config_path().string(), broker.log_path().string());
  std::fflush(stdout);
  g_broker_stop = 0;
  auto previous_int = std::signal(SIGINT, [](int) { g_broker_stop = 1; });
  auto previous_term = std::signal(SIGTERM, [](int) { g_broker_stop = 1; });
  while (g_broker_stop == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  broker.stop();
}

}  // namespace

void add_broker_command(CLI::App& app) {
  auto o = std::make_shared<BrokerCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("broker", "Run a Mosquitto broker on loopback for nodes and the gateway");
  cmd->add_option("--dir", o->dir, "Folder for its config, log and persistence")->required();
  cmd->add_option("--port", o->port, "Port (default: a free one, printed)")
      ->check(CLI::Range(0, 65535));
  cmd->callback([o] { run_broker(*o); });
}

}  // namespace mote::cli
