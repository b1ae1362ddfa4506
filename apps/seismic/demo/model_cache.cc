#include "apps/seismic/demo/model_cache.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "tools/data/seismic_dataset.h"
#include "tools/train/seismic_training.h"

namespace mote::seismic::demo {
namespace {

// Bumped whenever training or export changes what the same inputs produce, so that caches made
// by an older mote train again.
constexpr const char* kTrainerVersion = "phase-net-1";

// 64-bit FNV-1a over `bytes`, continuing from `hash`.
std::uint64_t fnv1a(const char* bytes, std::size_t count, std::uint64_t hash) {
  for (std::size_t i = 0; i < count; ++i) {
    hash ^= static_cast<unsigned char>(bytes[i]);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

nlohmann::json class_json(const tools::ClassScores& s) {
  return {{"noise", number(s.accuracy(Phase::kNoise))},
          {"p", number(s.accuracy(Phase::kP))},
          {"s", number(s.accuracy(Phase::kS))},
          {"all", number(s.overall())}};
}

}  // namespace

std::uint64_t hash_file(const std::filesystem::path& path, std::uint64_t hash) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    hash = fnv1a(buffer, static_cast<std::size_t>(in.gcount()), hash);
  }
  return hash;
}

CachedModel ensure_model(const tools::SeismicDataset& data, const std::filesystem::path& waveforms,
                         const std::filesystem::path& labels, const TrainSettings& settings,
                         const std::filesystem::path& cache_root, bool retrain,
                         const TrainProgress& progress) {
  tools::SeismicTrainOptions options;
  if (settings.steps > 0) options.train.steps = settings.steps;
  options.train.seed = settings.seed;

  std::uint64_t key = 0xcbf29ce484222325ull;
  key = hash_file(waveforms, key);
  key = hash_file(labels, key);
  const std::string settings_text =
      fmt::format("{}|steps={}|seed={}|batch={}", kTrainerVersion, options.train.steps,
                  options.train.seed, options.train.batch);
  key = fnv1a(settings_text.data(), settings_text.size(), key);
  CachedModel out;
  out.key = fmt::format("{:016x}", key);
  const std::filesystem::path dir = cache_root / out.key;
  out.float_model = dir / "seismic_float.tflite";
  out.int8_model = dir / "seismic_int8.tflite";
  const std::filesystem::path summary = dir / "summary.json";
  if (!retrain && std::filesystem::exists(out.int8_model) &&
      std::filesystem::exists(out.float_model) && std::filesystem::exists(summary)) {
    std::ifstream in(summary);
    out.summary = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!out.summary.is_discarded()) {
      out.reused = true;
      return out;
    }
  }

  // Written to a fresh folder and renamed into place, so that an interrupted training never
  // leaves a cache entry that looks complete.
  const std::filesystem::path staging = cache_root / (out.key + ".partial");
  std::filesystem::remove_all(staging);
  std::filesystem::create_directories(staging);
  options.out_dir = staging;
  const tools::SeismicTrainResult r = tools::train_seismic_model(
      data, options,
      [&](std::size_t step, std::size_t steps, float) {
        if (progress) progress("train", step, steps);
      },
      [&](const std::string& stage, std::size_t done, std::size_t total) {
        if (progress) progress("calibrate (" + stage + ")", done, total);
      });
  out.summary = {
      {"steps", options.train.steps},
      {"seed", options.train.seed},
      {"batch", options.train.batch},
      {"train_seconds", r.train.seconds},
      {"initial_loss", number(r.train.losses.empty() ? std::nan("") : r.train.losses.front())},
      {"final_loss", number(tools::final_loss(r.train.losses))},
      {"traces", {{"fit", r.fit_traces}, {"validation", r.validation_traces}}},
      {"validation_float", class_json(r.train.validation_scores)},
      {"validation_int8", class_json(r.int8_validation)},
      {"export_max_error", r.export_max_error},
  };
  {
    std::ofstream s(staging / "summary.json");
    s << out.summary.dump(2) << "\n";
    if (!s) throw std::runtime_error("cannot write " + (staging / "summary.json").string());
  }
  std::filesystem::remove_all(dir);
  std::filesystem::rename(staging, dir);
  return out;
}

}  // namespace mote::seismic::demo
