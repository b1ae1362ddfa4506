// The demo's phase model: trained once per distinct input and kept. The cache key hashes
// everything training reads — the waveform and label bytes, the training settings and the
// trainer's version — so that a changed input trains again and an unchanged one is reused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "tools/data/seismic_dataset.h"

namespace mote::seismic::demo {

struct TrainSettings {
  std::uint64_t steps = 0;  // 0: the trainer's default
  std::uint64_t seed = 1;
};

struct CachedModel {
  std::filesystem::path float_model;
  std::filesystem::path int8_model;
  nlohmann::json summary;  // what training reported (loss, accuracy, sizes)
  std::string key;         // hex of the cache key
  bool reused = false;
};

using TrainProgress = std::function<void(const std::string&, std::uint64_t, std::uint64_t)>;

// The model for `data` (read from `waveforms` and `labels`, whose bytes key the cache) from
// `cache_root/<key>/`, training it there first when it is missing or `retrain` is set. Throws
// std::runtime_error when training fails.
CachedModel ensure_model(const tools::SeismicDataset& data, const std::filesystem::path& waveforms,
                         const std::filesystem::path& labels, const TrainSettings& settings,
                         const std::filesystem::path& cache_root, bool retrain,
                         const TrainProgress& progress = {});

// 64-bit FNV-1a of a file's bytes, continuing from `hash`.
std::uint64_t hash_file(const std::filesystem::path& path, std::uint64_t hash);

}  // namespace mote::seismic::demo
