// The queue in a file: recovery after the process is killed mid-stream (a real restart, by fork
// and SIGKILL), and refusal of files that are not queues or were made for another capacity.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "apps/seismic/link/event_queue.h"
#include "apps/seismic/link/host/file_queue_storage.h"

namespace mote::seismic {
namespace {

namespace fs = std::filesystem;

class FileQueueStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mote_queue_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "queue.bin";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  fs::path path_;
};

Event event_at(uint64_t t) {
  Event e;
  e.time_cs = 171077712300ull + t;
  e.confidence = 0.75f;
  e.amplitude = static_cast<float>(t);
  return e;
}

TEST_F(FileQueueStorageTest, SurvivesAKilledProcess) {
  // The child stores 50 events, acknowledges the first 20, commits, stores 3 more and is killed
  // without any cleanup. The parent reopens the file.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    FileQueueStorage storage(path_, 64);
    EventQueue q(storage, {}, nullptr);
    if (q.open() != Status::kOk) ::_exit(2);
    for (uint64_t i = 0; i < 50; ++i) {
      if (q.push(event_at(i), nullptr) != Status::kOk) ::_exit(3);
    }
    for (uint32_t i = 0; i < 20; ++i) q.acknowledge(i);
    if (q.commit() != Status::kOk) ::_exit(4);
    for (uint64_t i = 50; i < 53; ++i) {
      if (q.push(event_at(i), nullptr) != Status::kOk) ::_exit(5);
    }
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);

  FileQueueStorage storage(path_, 64);
  EventQueue q(storage, {}, nullptr);
  ASSERT_EQ(q.open(), Status::kOk);
  EXPECT_EQ(q.head_sequence(), 20u);
  EXPECT_EQ(q.next_sequence(), 53u);
  for (uint32_t s = 20; s < 53; ++s) {
    uint8_t bytes[kEventPacketBytes];
    ASSERT_EQ(q.read(s, bytes), Status::kOk);
    EventPacket p;
    ASSERT_EQ(decode_event_packet(bytes, sizeof(bytes), &p, nullptr, nullptr), Status::kOk);
    EXPECT_EQ(p.time_cs, event_at(s).time_cs);
  }
}

TEST_F(FileQueueStorageTest, ANewFileIsErasedAndSized) {
  { FileQueueStorage storage(path_, 32); }
  EXPECT_EQ(fs::file_size(path_), FileQueueStorage::slot_offset(32));
  EXPECT_FALSE(fs::exists(path_.string() + ".new"));
  FileQueueStorage storage(path_, 32);
  uint8_t slot[kEventPacketBytes];
  ASSERT_EQ(storage.read_slot(31, slot), Status::kOk);
  for (uint8_t b : slot) EXPECT_EQ(b, 0xFF);
  EXPECT_EQ(storage.read_slot(32, slot), Status::kInvalidArgument);
}

TEST_F(FileQueueStorageTest, RefusesAnotherCapacity) {
  { FileQueueStorage storage(path_, 32); }
  try {
    FileQueueStorage storage(path_, 64);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("holds 32 slots"), std::string::npos) << e.what();
  }
}

TEST_F(FileQueueStorageTest, RefusesFilesThatAreNotQueues) {
  std::ofstream(path_) << "hello, not a queue";
  EXPECT_THROW(FileQueueStorage(path_, 32), std::runtime_error);
}

TEST_F(FileQueueStorageTest, RefusesATruncatedQueue) {
  { FileQueueStorage storage(path_, 32); }
  fs::resize_file(path_, FileQueueStorage::slot_offset(16));
  try {
    FileQueueStorage storage(path_, 32);
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST_F(FileQueueStorageTest, RefusesAMissingFolder) {
  EXPECT_THROW(FileQueueStorage(dir_ / "no" / "such" / "queue.bin", 32), std::runtime_error);
}

}  // namespace
}  // namespace mote::seismic
