// The seismic node firmware on the emulated Cortex-M4: a tiny hand-built int8 phase model and a
// synthetic recording with a burst are built into the firmware, run in QEMU, and the events the
// device prints must be the host node's, packet for packet and float bit for float bit.
#include "apps/seismic/firmware/node_firmware_run.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "tests/support/model_builder.h"
#include "tools/io/file_io.h"

namespace mote::seismic {
namespace {

using testing::ModelBuilder;
using testing::quant;
using tflite::BuiltinOperator;
using tflite::TensorType;

constexpr int kWindow = 50;

// int8 [1,1,W,3] -> FULLY_CONNECTED (logits: noise 0, P = +3 x newest Z, S = -3 x newest Z) ->
// SOFTMAX -> int8 [1,3] probabilities: a positive swing of the newest vertical sample reads as P,
// a negative one as S.
std::filesystem::path write_model(const std::filesystem::path& dir) {
  ModelBuilder b;
  const float in_scale = 0.1f;
  const float w_scale = 3.0f / 127.0f;
  const int in = b.tensor(TensorType::INT8, {1, 1, kWindow, 3}, quant(in_scale, 0));
  std::vector<std::int8_t> w(3 * kWindow * 3, 0);
  const int newest_z = (kWindow - 1) * 3 + 2;
  w[1 * kWindow * 3 + newest_z] = 127;
  w[2 * kWindow * 3 + newest_z] = -127;
  const int weights =
      b.constant<std::int8_t>(TensorType::INT8, {3, kWindow * 3}, w, quant(w_scale, 0));
  const int bias =
      b.constant<std::int32_t>(TensorType::INT32, {3}, {0, 0, 0}, quant(in_scale * w_scale, 0));
  const int logits = b.tensor(TensorType::INT8, {1, 3}, quant(0.25f, 0));
  b.op(BuiltinOperator::FULLY_CONNECTED, {in, weights, bias}, {logits},
       tflite::BuiltinOptions::FullyConnectedOptions,
       tflite::CreateFullyConnectedOptions(b.fbb()).Union());
  const int probabilities = b.tensor(TensorType::INT8, {1, 3}, quant(1.0f / 256.0f, -128));
  b.op(BuiltinOperator::SOFTMAX, {logits}, {probabilities}, tflite::BuiltinOptions::SoftmaxOptions,
       tflite::CreateSoftmaxOptions(b.fbb(), 1.0f).Union());
  b.inputs({in});
  b.outputs({probabilities});
  const tools::AlignedBuffer model = b.build();
  std::filesystem::create_directories(dir);
  const auto path = dir / "tiny_phase_int8.tflite";
  tools::write_file(path, {model.data(), model.size()});
  return path;
}

// 40 s of integer counts: a small deterministic noise on every component, and from 20 s a 4 Hz
// burst on Z (and a weaker one on E, N) that decays over a few seconds.
tools::NodeRecording synthetic_recording() {
  tools::NodeRecording r;
  r.name = "synthetic-burst";
  r.stream_start_cs = 171077712300;
  const int samples = 4000;
  std::uint32_t state = 12345;
  auto noise = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(static_cast<int>(state >> 24) - 128);
  };
  for (int i = 0; i < samples; ++i) {
    float burst = 0.0f;
    if (i >= 2000) {
      const double t = (i - 2000) / 100.0;
      burst = static_cast<float>(
          std::round(20000.0 * std::exp(-t / 2.0) * std::sin(2.0 * M_PI * 4.0 * t)));
    }
    r.samples.push_back(noise() + std::round(0.3f * burst));
    r.samples.push_back(noise() - std::round(0.2f * burst));
    r.samples.push_back(noise() + burst);
  }
  return r;
}

TEST(NodeFirmware, ChoosesTheNarrowestLosslessStorage) {
  const std::vector<float> small = {0.0f, -32768.0f, 32767.0f};
  const std::vector<float> wide = {40000.0f, -8388607.0f};
  const std::vector<float> fractional = {1.5f};
  EXPECT_EQ(tools::lossless_sample_storage(small), tools::SampleStorage::kInt16);
  EXPECT_EQ(tools::lossless_sample_storage(wide), tools::SampleStorage::kInt32);
  EXPECT_EQ(tools::lossless_sample_storage(fractional), tools::SampleStorage::kFloat32);
}

TEST(NodeFirmware, DeviceEventsEqualTheHostNodesOnTheCortexM4) {
  const std::filesystem::path work = MOTE_NODE_FIRMWARE_TEST_WORK;
  const auto model = write_model(work);
  const tools::NodeRecording recording = synthetic_recording();
  tools::NodeFirmwareOptions options;
  options.target = tools::FirmwareTarget::kCortexM4;
  options.mote_source_dir = MOTE_NODE_FIRMWARE_TEST_SOURCE_DIR;
  options.threshold = 0.8f;
  const NodeFirmwareResult r = run_node_firmware(model, recording, options, work / "firmware");

  EXPECT_EQ(r.samples, 4000u);
  EXPECT_EQ(r.sample_storage, "int16");
  EXPECT_EQ(r.board, "mps2-an386");
  ASSERT_GT(r.device_events.size(), 0u) << node_firmware_text(r);
  EXPECT_TRUE(r.json_matches_packet) << r.difference;
  EXPECT_TRUE(r.events_equal) << node_firmware_text(r);
  EXPECT_TRUE(r.bits_equal) << node_firmware_text(r);
  // The node model ran: every hop from the warm-up on costs instructions.
  EXPECT_GT(r.instructions, 4000u * 10u);
  EXPECT_GT(r.duty_at_64mhz, 0.0);
  EXPECT_GT(r.size.flash_total, r.recording_flash_bytes);
  EXPECT_EQ(r.recording_flash_bytes, 4000u * 3u * 2u);  // int16 in flash
}

}  // namespace
}  // namespace mote::seismic
