#include "apps/gateway/mosquitto_broker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tools/io/executable_path.h"

extern char** environ;

namespace mote::gateway {
namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// True when the log, from byte `from` on, holds Mosquitto's "mosquitto version ... running".
bool log_says_running(const std::filesystem::path& log, std::uintmax_t from) {
  std::ifstream in(log);
  in.seekg(static_cast<std::streamoff>(from));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("mosquitto version") != std::string::npos &&
        line.find(" running") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("cannot open a socket: ") + strerror(errno));
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error(std::string("cannot find a free port: ") + strerror(errno));
  return ntohs(addr.sin_port);
}

bool loopback_port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = loopback(port);
  const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return open;
}

std::optional<std::filesystem::path> MosquittoBroker::find_executable() {
  if (const char* env = std::getenv("MOTE_MOSQUITTO"); env != nullptr && *env != '\0') {
    if (::access(env, X_OK) == 0) return std::filesystem::path(env);
    return std::nullopt;
  }
  if (::access("/usr/sbin/mosquitto", X_OK) == 0)
    return std::filesystem::path("/usr/sbin/mosquitto");
  return tools::find_on_path("mosquitto");
}

MosquittoBroker::MosquittoBroker(BrokerOptions options) : options_(std::move(options)) {
  const auto executable = find_executable();
  if (!executable) {
    throw std::runtime_error(
        "mosquitto is not installed (looked at $MOTE_MOSQUITTO, /usr/sbin/mosquitto and PATH): "
        "install it with scripts/install-deps.sh");
  }
  executable_ = *executable;
  std::filesystem::create_directories(options_.work_dir);
  config_path_ = options_.work_dir / "mosquitto.conf";
  log_path_ = options_.work_dir / "mosquitto.log";
  port_ = options_.port;
  if (port_ == 0) {
    port_ = free_loopback_port();
    port_chosen_ = true;
  }
  write_config();
}

MosquittoBroker::~MosquittoBroker() {
  try {
    if (running()) stop(std::chrono::seconds(2));
  } catch (...) {  // a destructor must not throw; the process is reaped either way
  }
}

void MosquittoBroker::write_config() {
  std::ofstream out(config_path_);
  out << "# Written by mote (apps/gateway/mosquitto_broker.cc) for tests and the demo.\n"
      << "listener " << port_ << " 127.0.0.1\n"
      << "allow_anonymous true\n"
      << "set_tcp_nodelay true\n"
      // Room for a node's replay after an outage: QoS 1 messages beyond these limits would be
      // dropped by the broker for a slow subscriber without the publisher knowing.
      << "max_inflight_messages " << options_.max_inflight_messages << "\n"
      << "max_queued_messages " << options_.max_queued_messages << "\n"
      << "persistence " << (options_.persistence ? "true" : "false") << "\n"
      << "persistence_location " << options_.work_dir.string() << "/\n"
      << "persistence_file mosquitto.db\n"
      << "autosave_interval " << options_.autosave_interval_s << "\n"
      << "log_dest file " << log_path_.string() << "\n"
      << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
      << "connection_messages true\n";
  // As root, Mosquitto 2 switches to user "mosquitto", who cannot write our work folder.
  if (::geteuid() == 0) out << "user root\n";
  if (!out) throw std::runtime_error("cannot write " + config_path_.string());
}

std::string MosquittoBroker::log_tail(int lines) const {
  std::ifstream in(log_path_);
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string text;
  for (const auto& l : tail) text += "  " + l + "\n";
  return text.empty() ? "  (the log is empty)\n" : text;
}

void MosquittoBroker::start(std::chrono::milliseconds timeout) {
  if (running()) return;
  for (int attempt = 0;; ++attempt) {
    // The log is appended to across restarts; readiness is judged on what this start writes.
    std::error_code ec;
    const auto log_start = std::filesystem::exists(log_path_, ec)
                               ? std::filesystem::file_size(log_path_, ec)
                               : std::uintmax_t{0};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // The broker must not inherit our sockets (a client's socket kept open by the child would
    // hide a disconnect) or files.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    const std::string exe = executable_.string();
    const std::string config = config_path_.string();
    char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>("-c"),
                    const_cast<char*>(config.c_str()), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + exe + ": " + strerror(rc));
    pid_ = pid;

    const auto deadline = Clock::now() + timeout;
    std::string failure;
    while (true) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        failure = "mosquitto exited at start";
        break;
      }
      // Ready when the broker says it runs (written after its listeners are bound) and the port
      // answers: the port alone could be another process's.
      if (log_says_running(log_path_, log_start) && loopback_port_open(port_)) {
        port_chosen_ = false;  // clients know this port now: restarts keep it
        return;
      }
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        failure = "mosquitto did not listen on port " + std::to_string(port_) + " in time";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Another process may have taken the port between choosing and binding: choose again, once
    // or twice, if the port was ours to choose and the broker never ran on it.
    const std::string log = log_tail();
    if (port_chosen_ && attempt < 3 && log.find("Address already in use") != std::string::npos) {
      port_ = free_loopback_port();
      write_config();
      continue;
    }
    throw std::runtime_error(failure + " (config " + config_path_.string() + "); its log ends:\n" +
                             log);
  }
}

void MosquittoBroker::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const pid_t r = ::waitpid(pid_, nullptr, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) break;
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  pid_ = -1;
}

void MosquittoBroker::stop(std::chrono::milliseconds timeout) {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  wait_exit(timeout);
}

void MosquittoBroker::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait_exit(std::chrono::seconds(5));
}

void MosquittoBroker::restart() {
  stop();
  start();
}

}  // namespace mote::gateway
