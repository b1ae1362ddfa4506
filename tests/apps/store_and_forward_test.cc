// Store and forward through a real Mosquitto on loopback: a node publishes a few hundred events
// while the broker is stopped and started (and, in a second test, while the node itself restarts);
// the gateway's store must end with every event exactly once: 0 lost, 0 duplicates delivered.
// Skips only when mosquitto is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/gateway/gateway.h"
#include "apps/gateway/mosquitto_broker.h"
#include "apps/seismic/link/host/node_link.h"

namespace mote::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using seismic::Event;
using seismic::NodeLink;
using seismic::NodeLinkConfig;

Event event_at(uint32_t i) {
  Event e;
  e.type = (i % 3) == 2 ? seismic::EventType::kS : seismic::EventType::kP;
  e.time_cs = 171077712300ull + uint64_t{i} * 137;
  e.confidence = 0.5f + static_cast<float>(i % 50) / 100.0f;
  e.amplitude = static_cast<float>(100 + (17 * i) % 3900);  // exact in the packet (< 4096)
  return e;
}

class StoreAndForward : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MosquittoBroker::find_executable()) {
      GTEST_SKIP() << "mosquitto is not installed: scripts/install-deps.sh installs it";
    }
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterized names hold a slash
    dir_ = fs::temp_directory_path() / ("mote_saf_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    broker_ = std::make_unique<MosquittoBroker>(BrokerOptions{dir_ / "broker"});
    broker_->start();
    GatewayConfig g;
    g.port = broker_->port();
    g.database = dir_ / "gateway.db";
    g.backoff_min = 20ms;
    g.backoff_max = 200ms;
    gateway_ = std::make_unique<Gateway>(g);
    wait_for([&] { return gateway_->ready(); }, 5s, "gateway subscribed");
  }

  void TearDown() override {
    node_.reset();
    gateway_.reset();
    broker_.reset();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  NodeLinkConfig node_config() const {
    NodeLinkConfig c;
    c.mqtt.port = broker_->port();
    c.mqtt.node_id = "node-0001";
    c.mqtt.keepalive_s = 5;
    c.mqtt.backoff_min = 20ms;
    c.mqtt.backoff_max = 200ms;
    c.queue_file = dir_ / "node-queue.bin";
    c.queue_capacity = 1024;
    c.uplink.window = 16;
    c.status_interval = 500ms;
    c.battery_mv = 3600;
    return c;
  }

  // Runs node and gateway until `done` or `timeout`; fails naming `what` on timeout.
  template <typename Done>
  void wait_for(Done done, std::chrono::milliseconds timeout, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "timed out waiting for: " << what << "\nbroker log:\n"
          << broker_->log_tail();
      pump();
    }
  }

  void pump() {
    if (node_) node_->poll(1ms);
    if (gateway_) gateway_->poll(1ms);
  }

  uint64_t received() {
    const auto report = gateway_->store().report();
    return report.empty() ? 0 : report[0].received;
  }

  // Submits events [from, to), polling between them as a picker's loop would.
  void submit(uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) {
      EXPECT_EQ(node_->submit(event_at(i)), i);
      pump();
    }
  }

  void expect_everything_once(uint32_t total) {
    const auto report = gateway_->store().report();
    ASSERT_EQ(report.size(), 1u);
    const NodeReport& r = report[0];
    EXPECT_EQ(r.node, "node-0001");
    EXPECT_EQ(r.received, total);
    EXPECT_EQ(r.first_sequence, 0);
    EXPECT_EQ(r.last_sequence, int64_t{total} - 1);
    EXPECT_EQ(r.missing, 0u) << "lost events";
    EXPECT_EQ(r.malformed, 0u);
    EXPECT_EQ(r.conflicts, 0u);
    const auto events = gateway_->store().events("node-0001");
    ASSERT_EQ(events.size(), total);  // each (node, seq) exactly once in the application's store
    for (uint32_t i = 0; i < total; ++i) {
      EXPECT_EQ(events[i].sequence, int64_t{i});
      const Event e = seismic::event_from_packet(events[i].packet);
      EXPECT_EQ(e.type, event_at(i).type) << i;
      EXPECT_EQ(e.time_cs, event_at(i).time_cs) << i;
      EXPECT_NEAR(e.confidence, event_at(i).confidence, 0.5f / 255.0f + 1e-6f) << i;
      EXPECT_FLOAT_EQ(e.amplitude, event_at(i).amplitude) << i;
    }
    EXPECT_EQ(node_->queue().counters().dropped, 0u);
    EXPECT_EQ(node_->queue().counters().corrupt, 0u);
    std::printf(
        "[ figures  ] %u events: %llu duplicates dropped at the gateway, %llu resent by the "
        "node, %llu connections\n",
        total, static_cast<unsigned long long>(r.duplicates),
        static_cast<unsigned long long>(node_->uplink().counters().resent),
        static_cast<unsigned long long>(node_->radio().counters().connects));
  }

  fs::path dir_;
  std::unique_ptr<MosquittoBroker> broker_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<NodeLink> node_;
};

TEST_F(StoreAndForward, BrokerStopAndStartLosesNothing) {
  node_ = std::make_unique<NodeLink>(node_config());
  wait_for([&] { return node_->radio().connected(); }, 5s, "node connected");

  submit(0, 100);
  broker_->stop();  // SIGTERM: the broker saves its sessions
  submit(100, 200);
  // While the broker is away the events wait in the node's queue.
  EXPECT_FALSE(node_->radio().connected());
  EXPECT_GE(node_->queue().size(), 100u);
  EXPECT_GT(node_->radio().counters().losses, 1u);  // it kept trying

  broker_->start();
  submit(200, 300);
  wait_for([&] { return node_->queue().size() == 0; }, 10s, "node queue drained");
  wait_for([&] { return received() == 300; }, 10s, "gateway received 300");
  expect_everything_once(300);
  EXPECT_GE(node_->radio().counters().connects, 2u);
  // The retained status reached the gateway too.
  wait_for([&] { return gateway_->counters().statuses > 0; }, 5s, "status");
}

TEST_F(StoreAndForward, NodeRestartDuringAnOutageLosesNothing) {
  node_ = std::make_unique<NodeLink>(node_config());
  wait_for([&] { return node_->radio().connected(); }, 5s, "node connected");
  submit(0, 80);
  broker_->stop();
  submit(80, 160);
  node_.reset();  // the node process ends with 80+ events queued
  node_ = std::make_unique<NodeLink>(node_config());
  EXPECT_GE(node_->queue().size(), 80u);
  EXPECT_EQ(node_->queue().next_sequence(), 160u);
  submit(160, 200);
  broker_->start();
  submit(200, 240);
  wait_for([&] { return node_->queue().size() == 0; }, 10s, "node queue drained");
  wait_for([&] { return received() == 240; }, 10s, "gateway received 240");
  expect_everything_once(240);
}

TEST_F(StoreAndForward, GatewayRestartKeepsItsSessionAndItsStore) {
  node_ = std::make_unique<NodeLink>(node_config());
  wait_for([&] { return node_->radio().connected(); }, 5s, "node connected");
  submit(0, 50);
  gateway_.reset();  // the gateway goes away; the broker queues its QoS 1 messages
  submit(50, 150);
  wait_for([&] { return node_->queue().size() == 0; }, 10s, "node queue drained");
  GatewayConfig g;
  g.port = broker_->port();
  g.database = dir_ / "gateway.db";
  g.backoff_min = 20ms;
  gateway_ = std::make_unique<Gateway>(g);
  wait_for([&] { return received() == 150; }, 10s, "gateway received 150");
  expect_everything_once(150);
}

// Mosquitto keeps at most max_queued_messages (default 1000) QoS 1 messages for a subscriber that
// is away and drops the rest after the publisher already has its PUBACK. The node cannot see it;
// the gateway must: with the default limits the shortfall shows as unaccounted events against
// the node's final status, and with the limits MosquittoBroker sets nothing is lost.
class BrokerQueueLimits : public StoreAndForward, public ::testing::WithParamInterface<bool> {};

TEST_P(BrokerQueueLimits, DropsBeyondTheLimitAreCountedNotSilent) {
  const bool mosquitto_defaults = GetParam();
  gateway_.reset();
  broker_.reset();
  BrokerOptions options{dir_ / "broker2"};
  if (mosquitto_defaults) {
    options.max_inflight_messages = 20;
    options.max_queued_messages = 1000;
  }
  broker_ = std::make_unique<MosquittoBroker>(options);
  broker_->start();
  GatewayConfig g;
  g.port = broker_->port();
  g.database = dir_ / "gateway2.db";
  g.client_id = "mote-gateway-limits";
  g.backoff_min = 20ms;
  gateway_ = std::make_unique<Gateway>(g);
  wait_for([&] { return gateway_->ready(); }, 5s, "gateway subscribed");
  gateway_.reset();  // away: the broker queues for its session

  NodeLinkConfig c = node_config();
  c.queue_capacity = 2048;
  c.durable = false;  // 1500 fsyncs would only slow the test
  node_ = std::make_unique<NodeLink>(c);
  constexpr uint32_t kEvents = 1500;
  for (uint32_t i = 0; i < kEvents; ++i) node_->submit(event_at(i));
  wait_for([&] { return node_->queue().size() == 0; }, 20s, "node queue drained");
  node_->disconnect();  // final status: next sequence 1500, queue depth 0

  gateway_ = std::make_unique<Gateway>(g);
  // Receive until nothing new has come for half a second.
  uint64_t last = 0;
  auto quiet_since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - quiet_since < 500ms) {
    pump();
    const uint64_t now = gateway_->counters().stored;
    if (now != last) {
      last = now;
      quiet_since = std::chrono::steady_clock::now();
    }
  }
  const NodeReport r = gateway_->store().report().at(0);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->next_sequence, kEvents);
  EXPECT_EQ(r.pending_at_node, 0u);
  std::printf("[ figures  ] %s limits: %llu of %u received, %llu missing, %llu unaccounted\n",
              mosquitto_defaults ? "Mosquitto's default" : "raised",
              static_cast<unsigned long long>(r.received), kEvents,
              static_cast<unsigned long long>(r.missing),
              static_cast<unsigned long long>(r.unaccounted));
  // Every event is either received or reported lost.
  EXPECT_EQ(r.received + r.missing + r.unaccounted, kEvents);
  if (mosquitto_defaults) {
    EXPECT_LT(r.received, kEvents);
    EXPECT_GT(r.unaccounted, 0u);
  } else {
    EXPECT_EQ(r.received, kEvents);
    EXPECT_EQ(r.missing + r.unaccounted, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Limits, BrokerQueueLimits, ::testing::Values(true, false),
                         [](const auto& info) {
                           return info.param ? std::string("MosquittoDefaults")
                                             : std::string("Raised");
                         });

}  // namespace
}  // namespace mote::gateway
