// Broker control: a generated configuration fit for the nodes, restart on the same port, and a
// failure that quotes the broker's log. Skips only when mosquitto is not installed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "apps/gateway/mosquitto_broker.h"

namespace mote::gateway {
namespace {

namespace fs = std::filesystem;

class MosquittoBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MosquittoBroker::find_executable()) {
      GTEST_SKIP() << "mosquitto is not installed: scripts/install-deps.sh installs it";
    }
    dir_ = fs::temp_directory_path() /
           ("mote_broker_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(MosquittoBrokerTest, StartsStopsAndRestartsOnTheSamePort) {
  MosquittoBroker broker(BrokerOptions{dir_});
  std::stringstream config;
  config << std::ifstream(broker.config_path()).rdbuf();
  EXPECT_NE(config.str().find("127.0.0.1"), std::string::npos);
  EXPECT_NE(config.str().find("max_queued_messages 100000"), std::string::npos);
  EXPECT_NE(config.str().find("persistence true"), std::string::npos);
  EXPECT_EQ(config.str().find("user root") != std::string::npos, ::geteuid() == 0);
  broker.start();
  const int port = broker.port();
  EXPECT_TRUE(broker.running());
  EXPECT_TRUE(loopback_port_open(port));
  broker.restart();
  EXPECT_EQ(broker.port(), port);
  EXPECT_TRUE(loopback_port_open(port));
  broker.stop();
  EXPECT_FALSE(broker.running());
  EXPECT_FALSE(loopback_port_open(port));
  EXPECT_TRUE(fs::exists(dir_ / "mosquitto.db"));  // saved on SIGTERM
}

TEST_F(MosquittoBrokerTest, AFailedStartQuotesTheLog) {
  // Hold a port so that the broker cannot listen on it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  BrokerOptions options{dir_};
  options.port = ntohs(addr.sin_port);
  MosquittoBroker broker(options);
  try {
    broker.start(std::chrono::seconds(3));
    ADD_FAILURE() << "the broker started on a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Address already in use"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(broker.running());
  ::close(fd);
}

}  // namespace
}  // namespace mote::gateway
