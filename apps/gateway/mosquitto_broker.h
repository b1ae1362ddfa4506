// A Mosquitto broker on a free loopback port, for tests and the demo: a generated configuration,
// start, stop (SIGTERM: the broker saves its persistence file, so sessions and queued QoS 1
// messages survive), kill (SIGKILL: a crash) and restart on the same port.
//
// The configuration raises Mosquitto's per-client limits for the replay after an outage: by
// default a subscriber may have 20 QoS 1 messages in flight and 1000 queued, beyond which the
// broker drops QoS 1 messages without telling the publisher. As root, Mosquitto 2 drops to user
// "mosquitto" unless told `user root`; as another user it keeps running as that user.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace mote::gateway {

struct BrokerOptions {
  std::filesystem::path work_dir;  // config, log and persistence go here (created if missing)
  int port = 0;                    // 0: a free loopback port, chosen once and kept on restart
  bool persistence = true;
  int max_inflight_messages = 100;   // per client, broker to subscriber
  int max_queued_messages = 100000;  // per client, beyond the in-flight ones
  int autosave_interval_s = 1;       // how often the persistence file is rewritten
};

class MosquittoBroker {
 public:
  // Returns the mosquitto executable ($MOTE_MOSQUITTO, then /usr/sbin/mosquitto, then PATH), or
  // nothing when it is not installed.
  static std::optional<std::filesystem::path> find_executable();

  // Writes the configuration; does not start. Throws std::runtime_error when mosquitto is missing
  // ("install it with scripts/install-deps.sh") or the work folder cannot be written.
  explicit MosquittoBroker(BrokerOptions options);
  // Stops the broker if it runs.
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  // Starts the broker and waits until it accepts connections. Throws std::runtime_error with the
  // end of the broker's log when it exits or does not listen within `timeout`.
  void start(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Stops with SIGTERM and waits for the exit (SIGKILL after `timeout`).
  void stop(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Kills with SIGKILL, as a crash: nothing since the last autosave is saved.
  void kill();
  // stop() then start() on the same port.
  void restart();

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  const std::filesystem::path& config_path() const { return config_path_; }
  const std::filesystem::path& log_path() const { return log_path_; }
  // The last `lines` lines of the broker's log.
  std::string log_tail(int lines = 20) const;

 private:
  void write_config();
  void wait_exit(std::chrono::milliseconds timeout);

  BrokerOptions options_;
  std::filesystem::path executable_;
  std::filesystem::path config_path_;
  std::filesystem::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool port_chosen_ = false;
};

// Returns a TCP port on 127.0.0.1 that is free now (the kernel's choice for port 0).
int free_loopback_port();

// Returns true when something accepts TCP connections on 127.0.0.1:`port`.
bool loopback_port_open(int port);

}  // namespace mote::gateway
