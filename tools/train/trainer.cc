#include "tools/train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "tools/train/batch_prefetcher.h"
#include "tools/train/phase_net.h"

namespace mote::tools {
namespace {

// A batch's windows [n, W, 3] as a tensor that shares the vector's memory.
torch::Tensor window_tensor(std::vector<float>& features, std::size_t count, int window) {
  return torch::from_blob(features.data(),
                          {static_cast<std::int64_t>(count), window, SeismicDataset::kComponents},
                          torch::kFloat32);
}

// Softmax probabilities of `net` on all windows of `batch`, in chunks, [n][3].
std::vector<float> probabilities(PhaseNet& net, WindowBatch& batch, int window) {
  torch::NoGradGuard no_grad;
  net->eval();
  const torch::Tensor x = window_tensor(batch.features, batch.count, window);
  std::vector<float> out;
  out.reserve(batch.count * seismic::kNumPhases);
  constexpr std::int64_t kChunk = 256;
  for (std::int64_t start = 0; start < x.size(0); start += kChunk) {
    const std::int64_t end = std::min<std::int64_t>(start + kChunk, x.size(0));
    const torch::Tensor p = torch::softmax(net->forward(x.slice(0, start, end)), 1).contiguous();
    out.insert(out.end(), p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
  }
  net->train();
  return out;
}

void check_options(const TrainOptions& o) {
  conv_output_lengths(o.spec);
  if (o.spec.window_samples != static_cast<int>(o.windows.window_samples) ||
      o.spec.in_channels != SeismicDataset::kComponents || o.spec.classes != seismic::kNumPhases) {
    throw std::invalid_argument(
        "train: the net's window must equal the sampler's, with 3 components and 3 classes");
  }
  if (o.steps == 0 || o.batch == 0)
    throw std::invalid_argument("train: steps and batch must be > 0");
  if (!(o.learning_rate > 0.0) || !(o.final_learning_rate > 0.0)) {
    throw std::invalid_argument("train: learning rates must be > 0");
  }
  if (!(o.weight_decay >= 0.0)) throw std::invalid_argument("train: weight decay must be >= 0");
  if (o.threads < 1) throw std::invalid_argument("train: threads must be >= 1");
}

}  // namespace

WindowConfig training_window_config() {
  WindowConfig c;
  c.hop_samples = 30;
  c.noise_share = 1.0;
  return c;
}

std::size_t ClassScores::windows(seismic::Phase c) const {
  std::size_t n = 0;
  for (std::size_t v : confusion[static_cast<std::size_t>(c)]) n += v;
  return n;
}

double ClassScores::accuracy(seismic::Phase c) const {
  const std::size_t n = windows(c);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto i = static_cast<std::size_t>(c);
  return static_cast<double>(confusion[i][i]) / static_cast<double>(n);
}

double ClassScores::overall() const {
  std::size_t right = 0;
  std::size_t all = 0;
  for (std::size_t t = 0; t < confusion.size(); ++t) {
    for (std::size_t p = 0; p < confusion[t].size(); ++p) {
      all += confusion[t][p];
      if (t == p) right += confusion[t][p];
    }
  }
  return all == 0 ? std::numeric_limits<double>::quiet_NaN()
                  : static_cast<double>(right) / static_cast<double>(all);
}

void ClassScores::add(seismic::Phase truth, seismic::Phase predicted) {
  ++confusion[static_cast<std::size_t>(truth)][static_cast<std::size_t>(predicted)];
}

ClassScores score_classes(const std::vector<float>& probabilities,
                          const std::vector<std::int64_t>& labels) {
  if (probabilities.size() != labels.size() * seismic::kNumPhases) {
    throw std::invalid_argument("score_classes: probabilities and labels differ in count");
  }
  ClassScores scores;
  for (std::size_t n = 0; n < labels.size(); ++n) {
    const float* p = probabilities.data() + n * seismic::kNumPhases;
    int best = 0;
    for (int c = 1; c < seismic::kNumPhases; ++c) {
      if (p[c] > p[best]) best = c;
    }
    scores.add(static_cast<seismic::Phase>(labels[n]), static_cast<seismic::Phase>(best));
  }
  return scores;
}

TrainResult train_phase_net(const SeismicDataset& data,
                            const std::vector<std::size_t>& train_traces,
                            const std::vector<std::size_t>& validation_traces,
                            const TrainOptions& options, const TrainProgress& progress) {
  check_options(options);
  const auto started = std::chrono::steady_clock::now();
  torch::set_num_threads(options.threads);
  torch::manual_seed(options.seed);
  const int window = options.spec.window_samples;

  TrainResult result;
  {
    AugmentConfig plain = options.augment;
    plain.enabled = false;
    WindowSampler sampler(data, validation_traces.empty() ? train_traces : validation_traces,
                          options.windows, plain, options.seed ^ 0x5eed'0001ULL);
    BalancedBatches balanced(sampler, {1.0, 1.0, 1.0});
    result.validation = balanced.next(options.validation_windows);
  }

  PhaseNet net(options.spec);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(options.learning_rate));
  WindowSampler sampler(data, train_traces, options.windows, options.augment, options.seed);
  BalancedBatches batches(sampler, options.class_shares);
  {
    BatchPrefetcher prefetcher(batches, options.batch, options.steps);
    float recent = 0.0f;
    for (std::size_t step = 0; step < options.steps; ++step) {
      // Cosine decay from the initial to the final learning rate.
      const double t = options.steps > 1 ? static_cast<double>(step) / (options.steps - 1) : 1.0;
      const double lr = options.final_learning_rate +
                        0.5 * (options.learning_rate - options.final_learning_rate) *
                            (1.0 + std::cos(std::numbers::pi * t));
      for (auto& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      }

      WindowBatch batch = prefetcher.next();
      const torch::Tensor x = window_tensor(batch.features, batch.count, window);
      const torch::Tensor y = torch::from_blob(
          batch.labels.data(), {static_cast<std::int64_t>(batch.count)}, torch::kInt64);
      optimizer.zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x), y);
      loss.backward();
      optimizer.step();

      const float value = loss.item<float>();
      if (!std::isfinite(value)) throw std::runtime_error("train: the loss is not finite");
      result.losses.push_back(value);
      recent = step == 0 ? value : 0.98f * recent + 0.02f * value;
      if (progress) progress(step + 1, options.steps, recent);
    }
  }
  result.windows_drawn = batches.drawn();

  result.weights = net->weights();
  result.validation_probabilities = probabilities(net, result.validation, window);
  result.validation_scores =
      score_classes(result.validation_probabilities, result.validation.labels);
  const std::size_t checks = std::min(options.check_windows, result.validation.count);
  const std::size_t floats = static_cast<std::size_t>(window) * SeismicDataset::kComponents;
  result.check.count = checks;
  result.check.features.assign(result.validation.features.begin(),
                               result.validation.features.begin() + checks * floats);
  result.check.labels.assign(result.validation.labels.begin(),
                             result.validation.labels.begin() + checks);
  result.check_probabilities.assign(
      result.validation_probabilities.begin(),
      result.validation_probabilities.begin() + checks * seismic::kNumPhases);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace mote::tools
