// The node link's hot paths on the host: packet encode and decode, queue push and acknowledge in
// RAM, and in a file with and without fdatasync (what durability costs per event).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "apps/seismic/link/event_queue.h"
#include "apps/seismic/link/host/file_queue_storage.h"
#include "apps/seismic/link/ram_queue_storage.h"

namespace mote::seismic {
namespace {

Event sample_event() {
  Event e;
  e.time_cs = 171077712345;
  e.confidence = 0.94f;
  e.amplitude = 52000.0f;
  return e;
}

void BM_EncodeDecodeEventPacket(benchmark::State& state) {
  const Event e = sample_event();
  uint32_t sequence = 0;
  for (auto _ : state) {
    EventPacket p;
    uint8_t bytes[kEventPacketBytes];
    make_event_packet(e, sequence++, &p, nullptr);
    encode_event_packet(p, bytes, nullptr);
    EventPacket q;
    benchmark::DoNotOptimize(decode_event_packet(bytes, sizeof(bytes), &q, nullptr, nullptr));
  }
}
BENCHMARK(BM_EncodeDecodeEventPacket);

void push_and_ack(benchmark::State& state, QueueStorage& storage) {
  EventQueue queue(storage, {}, nullptr);
  if (queue.open() != Status::kOk) {
    state.SkipWithError("queue did not open");
    return;
  }
  const Event e = sample_event();
  for (auto _ : state) {
    uint32_t sequence = 0;
    queue.push(e, &sequence);
    queue.acknowledge(sequence);
    queue.commit();
  }
}

void BM_QueuePushAckRam(benchmark::State& state) {
  static RamQueueStorage<1024> storage;
  push_and_ack(state, storage);
}
BENCHMARK(BM_QueuePushAckRam);

void BM_QueuePushAckFile(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mote_link_bench_" + std::to_string(::getpid()) + ".bin");
  std::filesystem::remove(path);
  {
    FileQueueStorage storage(path, 1024);
    storage.set_sync_enabled(state.range(0) != 0);
    push_and_ack(state, storage);
  }
  std::filesystem::remove(path);
  state.SetLabel(state.range(0) != 0 ? "fdatasync" : "no sync");
}
BENCHMARK(BM_QueuePushAckFile)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mote::seismic

BENCHMARK_MAIN();
