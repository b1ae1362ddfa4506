// Seeded mutations of the small golden models through the fuzz target: a deterministic slice of
// what the fuzzer does, run in every build so that a regression shows up without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tests/fuzz/model_fuzz_target.h"
#include "tests/support/golden_cases.h"
#include "tools/io/file_io.h"

namespace mote::testing {
namespace {

constexpr std::size_t kMaxSeedBytes = 64 * 1024;
constexpr int kMutationsPerModel = 300;

TEST(ModelMutation, MutatedModelsNeverCrash) {
  std::mt19937 rng(20261122);
  int models = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(golden_dir() / "models")) {
    if (entry.path().extension() != ".tflite" || entry.file_size() > kMaxSeedBytes) continue;
    const auto original = tools::read_file(entry.path());
    ++models;
    for (int m = 0; m < kMutationsPerModel; ++m) {
      std::vector<std::uint8_t> bytes(original.bytes().begin(), original.bytes().end());
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = rng() % bytes.size();
        switch (rng() % 4) {
          case 0:  // flip a bit
            bytes[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            break;
          case 1:  // an interesting byte
            bytes[at] = static_cast<std::uint8_t>(
                (const std::uint8_t[]){0, 1, 0x7F, 0x80, 0xFF}[rng() % 5]);
            break;
          case 2:  // a large little-endian word
            for (std::size_t k = 0; k < 4 && at + k < bytes.size(); ++k) bytes[at + k] = 0xFF;
            break;
          default:  // truncate
            bytes.resize(at);
            break;
        }
        if (bytes.empty()) break;
      }
      run_model_bytes(bytes.data(), bytes.size());
    }
  }
  EXPECT_GT(models, 10);
}

}  // namespace
}  // namespace mote::testing
