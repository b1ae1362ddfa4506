#include "tools/data/training_windows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tools/data/trace_features.h"
#include "tools/host_runtime/error_collector.h"

namespace mote::tools {
namespace {

double rms(const float* x, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return n == 0 ? 0.0 : std::sqrt(sum / static_cast<double>(n));
}

// End (exclusive) of the noise before the first onset of `label`, minus `guard`; the whole trace
// when it has no onset.
std::int64_t noise_end(const SeismicLabel& label, std::int64_t samples, std::int64_t guard) {
  std::int64_t first = samples + guard;
  if (label.p_index >= 0)
    first = label.p_index;
  else if (label.s_index >= 0)
    first = label.s_index;
  return std::min(first - guard, samples);
}

}  // namespace

const char* window_kind_name(WindowKind kind) {
  switch (kind) {
    case WindowKind::kP:
      return "P";
    case WindowKind::kS:
      return "S";
    case WindowKind::kNoise:
      return "noise";
    case WindowKind::kCoda:
      return "coda";
  }
  return "unknown";
}

seismic::Phase window_label(std::int64_t p_index, std::int64_t s_index, std::int64_t end,
                            std::uint32_t hop) {
  const auto in_hop = [&](std::int64_t onset) {
    return onset >= 0 && onset <= end && onset > end - static_cast<std::int64_t>(hop);
  };
  if (in_hop(s_index)) return seismic::Phase::kS;
  if (in_hop(p_index)) return seismic::Phase::kP;
  return seismic::Phase::kNoise;
}

WindowSampler::WindowSampler(const SeismicDataset& data, std::vector<std::size_t> traces,
                             WindowConfig config, AugmentConfig augment, std::uint64_t seed)
    : data_(data), traces_(std::move(traces)), config_(config), augment_(augment), random_(seed) {
  if (config_.window_samples == 0 || config_.hop_samples == 0 ||
      config_.hop_samples > config_.window_samples) {
    throw std::runtime_error(
        fmt::format("training windows: window {} and hop {} samples need "
                    "0 < hop <= window",
                    config_.window_samples, config_.hop_samples));
  }
  const double shares[] = {config_.p_share, config_.s_share, config_.noise_share,
                           config_.coda_share};
  double total = 0.0;
  for (double s : shares) {
    if (!(s >= 0.0)) throw std::runtime_error("training windows: kind shares must be >= 0");
    total += s;
  }
  if (!(total > 0.0)) throw std::runtime_error("training windows: all kind shares are 0");
  if (augment_.enabled &&
      (!(augment_.mix_min_ratio > 0.0 && augment_.mix_min_ratio <= augment_.mix_max_ratio) ||
       !(augment_.gain_min > 0.0 && augment_.gain_min <= augment_.gain_max) ||
       !(augment_.gaussian_max_ratio >= 0.0))) {
    throw std::runtime_error(
        "augmentation: need 0 < mix_min_ratio <= mix_max_ratio, 0 < gain_min <= gain_max and "
        "gaussian_max_ratio >= 0");
  }
  if (traces_.empty()) throw std::runtime_error("training windows: no traces to draw from");
  const std::size_t length =
      static_cast<std::size_t>(config_.window_samples) + config_.warmup_samples;
  if (length > data_.samples_per_trace()) {
    throw std::runtime_error(fmt::format(
        "training windows: window {} + warm-up {} samples exceed the traces' {} samples",
        config_.window_samples, config_.warmup_samples, data_.samples_per_trace()));
  }
  const auto samples = static_cast<std::int64_t>(data_.samples_per_trace());
  for (std::size_t t : traces_) {
    if (t >= data_.size()) {
      throw std::runtime_error(
          fmt::format("training windows: trace {} outside the {} traces", t, data_.size()));
    }
    if (noise_end(data_.label(t), samples, config_.noise_guard_samples) >=
        static_cast<std::int64_t>(length)) {
      noise_traces_.push_back(t);
    }
  }
  ErrorCollector errors;
  if (extractor_.init(config_.features, errors.reporter()) != Status::kOk) {
    throw std::runtime_error("training windows: " + errors.last());
  }
}

std::int64_t WindowSampler::draw_end(WindowKind kind, std::size_t trace) {
  const SeismicLabel& label = data_.label(trace);
  const auto samples = static_cast<std::int64_t>(data_.samples_per_trace());
  const std::int64_t first_end =
      static_cast<std::int64_t>(config_.window_samples) + config_.warmup_samples - 1;
  const std::int64_t hop = config_.hop_samples;
  const std::int64_t shift = config_.max_time_shift;
  std::int64_t lo = first_end;
  std::int64_t hi = samples - 1;
  switch (kind) {
    case WindowKind::kP:
    case WindowKind::kS: {
      const std::int64_t onset = kind == WindowKind::kP ? label.p_index : label.s_index;
      if (onset < 0) return -1;
      lo = std::max(lo, onset - shift);
      hi = std::min(hi, onset + hop - 1 + shift);
      break;
    }
    case WindowKind::kNoise:
      hi = std::min(hi, noise_end(label, samples, config_.noise_guard_samples) - 1);
      break;
    case WindowKind::kCoda:
      if (label.p_index < 0) return -1;
      lo = std::max(lo, label.p_index + hop);
      break;
  }
  if (lo > hi) return -1;
  return random_.between(lo, hi);
}

void WindowSampler::mix_noise(std::vector<float>& segment, std::size_t length, std::size_t trace) {
  if (noise_traces_.empty()) return;
  std::size_t source = noise_traces_[random_.below(noise_traces_.size())];
  if (source == trace && noise_traces_.size() > 1) {
    source = noise_traces_[random_.below(noise_traces_.size())];
  }
  const auto samples = static_cast<std::int64_t>(data_.samples_per_trace());
  const std::int64_t end = noise_end(data_.label(source), samples, config_.noise_guard_samples);
  const std::int64_t start = random_.between(0, end - static_cast<std::int64_t>(length));
  const double ratio = random_.log_uniform(augment_.mix_min_ratio, augment_.mix_max_ratio);
  for (int c = 0; c < SeismicDataset::kComponents; ++c) {
    const float* noise = data_.component(source, c).data() + start;
    float* target = segment.data() + c * length;
    const double noise_rms = rms(noise, length);
    const double target_rms = rms(target, length);
    if (noise_rms == 0.0 || target_rms == 0.0) continue;
    const double scale = ratio * target_rms / noise_rms;
    for (std::size_t i = 0; i < length; ++i) {
      target[i] = static_cast<float>(target[i] + scale * noise[i]);
    }
  }
}

TrainingWindow WindowSampler::next() {
  const double shares[] = {config_.p_share, config_.s_share, config_.noise_share,
                           config_.coda_share};
  const double total = shares[0] + shares[1] + shares[2] + shares[3];
  for (int attempt = 0; attempt < 10000; ++attempt) {
    double u = random_.uniform() * total;
    int k = 0;
    while (k < 3 && u >= shares[k]) u -= shares[k++];
    const auto kind = static_cast<WindowKind>(k);
    const std::size_t trace = traces_[random_.below(traces_.size())];
    const std::int64_t end = draw_end(kind, trace);
    if (end < 0) continue;

    const std::size_t length =
        static_cast<std::size_t>(config_.window_samples) + config_.warmup_samples;
    const std::size_t first = static_cast<std::size_t>(end) + 1 - length;
    std::vector<float> segment(SeismicDataset::kComponents * length);
    for (int c = 0; c < SeismicDataset::kComponents; ++c) {
      const auto source = data_.component(trace, c).subspan(first, length);
      std::copy(source.begin(), source.end(), segment.begin() + c * length);
    }
    if (augment_.enabled) {
      if (random_.chance(augment_.mix_probability)) mix_noise(segment, length, trace);
      if (random_.chance(augment_.gaussian_probability)) {
        const double ratio = random_.uniform(0.0, augment_.gaussian_max_ratio);
        for (int c = 0; c < SeismicDataset::kComponents; ++c) {
          float* x = segment.data() + c * length;
          const double sigma = ratio * rms(x, length);
          if (sigma == 0.0) continue;
          for (std::size_t i = 0; i < length; ++i) {
            x[i] = static_cast<float>(x[i] + sigma * random_.normal());
          }
        }
      }
      const auto gain =
          static_cast<float>(random_.log_uniform(augment_.gain_min, augment_.gain_max));
      for (float& x : segment) x *= gain;
      if (random_.chance(augment_.dropout_probability)) {
        if (random_.chance(0.5)) {
          std::fill(segment.begin(), segment.begin() + 2 * length, 0.0f);
        } else {
          const auto c = static_cast<std::size_t>(random_.below(SeismicDataset::kComponents));
          std::fill(segment.begin() + c * length, segment.begin() + (c + 1) * length, 0.0f);
        }
      }
    }

    ErrorCollector errors;
    extractor_.reset();
    std::vector<float> filtered(segment.size());
    for (int c = 0; c < SeismicDataset::kComponents; ++c) {
      if (extractor_.filter_component(
              c, segment.data() + c * length, static_cast<std::uint32_t>(length),
              filtered.data() + c * length, errors.reporter()) != Status::kOk) {
        throw std::runtime_error("training windows: " + errors.last());
      }
    }

    TrainingWindow w;
    w.features = window_features(filtered, length, length - 1, config_.window_samples);
    const SeismicLabel& label = data_.label(trace);
    w.label = window_label(label.p_index, label.s_index, end, config_.hop_samples);
    const std::int64_t window_first = end + 1 - config_.window_samples;
    const auto offset = [&](std::int64_t onset) -> std::int64_t {
      return onset >= window_first && onset <= end ? onset - window_first : -1;
    };
    w.p_offset = offset(label.p_index);
    w.s_offset = offset(label.s_index);
    w.trace = trace;
    w.end = end;
    w.kind = kind;
    return w;
  }
  throw std::runtime_error(
      "training windows: 10000 draws found no window; the traces are too short for the window, "
      "warm-up and noise guard, or hold no picks for the requested kinds");
}

}  // namespace mote::tools
