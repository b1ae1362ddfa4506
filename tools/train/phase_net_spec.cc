#include "tools/train/phase_net_spec.h"

#include <sstream>
#include <stdexcept>
#include <string>

namespace mote::tools {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

int positive(const std::string& text, const std::string& what) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || value < 1) {
    throw std::invalid_argument(what + ": '" + text + "' is not a positive integer");
  }
  return value;
}

}  // namespace

std::vector<ConvLayerSpec> parse_convs(const std::string& text) {
  std::vector<ConvLayerSpec> convs;
  if (text.empty() || text == "none") return convs;
  for (const std::string& layer : split(text, ',')) {
    const std::vector<std::string> f = split(layer, 'x');
    if (f.size() != 3) {
      throw std::invalid_argument("convs: '" + layer + "' is not channels x kernel x stride");
    }
    convs.push_back({positive(f[0], "conv channels"), positive(f[1], "conv kernel"),
                     positive(f[2], "conv stride")});
  }
  return convs;
}

std::vector<int> parse_hidden(const std::string& text) {
  std::vector<int> hidden;
  if (text.empty() || text == "none") return hidden;
  for (const std::string& h : split(text, ',')) hidden.push_back(positive(h, "hidden units"));
  return hidden;
}

std::string convs_text(const std::vector<ConvLayerSpec>& convs) {
  std::string text;
  for (const ConvLayerSpec& c : convs) {
    if (!text.empty()) text += ',';
    text += std::to_string(c.out_channels) + 'x' + std::to_string(c.kernel) + 'x' +
            std::to_string(c.stride);
  }
  return text.empty() ? "none" : text;
}

std::string hidden_text(const std::vector<int>& hidden) {
  std::string text;
  for (int h : hidden) {
    if (!text.empty()) text += ',';
    text += std::to_string(h);
  }
  return text.empty() ? "none" : text;
}

std::vector<int> conv_output_lengths(const PhaseNetSpec& spec) {
  if (spec.window_samples < 1 || spec.in_channels < 1 || spec.classes < 2) {
    throw std::invalid_argument("phase net: window, channels and classes must be positive");
  }
  std::vector<int> lengths;
  int length = spec.window_samples;
  for (std::size_t i = 0; i < spec.convs.size(); ++i) {
    const ConvLayerSpec& c = spec.convs[i];
    const std::string name = "phase net: conv " + std::to_string(i + 1);
    if (c.out_channels < 1 || c.kernel < 1 || c.stride < 1) {
      throw std::invalid_argument(name + " needs positive channels, kernel and stride");
    }
    if (c.kernel > length) {
      throw std::invalid_argument(name + ": kernel " + std::to_string(c.kernel) +
                                  " is longer than its input of " + std::to_string(length));
    }
    // A VALID convolution whose last position does not end on the last input sample would
    // never see the newest samples, which hold the onset the label is about.
    if ((length - c.kernel) % c.stride != 0) {
      throw std::invalid_argument(name + ": (input " + std::to_string(length) + " - kernel " +
                                  std::to_string(c.kernel) + ") is not a multiple of stride " +
                                  std::to_string(c.stride) + ": the newest samples would be lost");
    }
    length = (length - c.kernel) / c.stride + 1;
    lengths.push_back(length);
  }
  for (int h : spec.hidden) {
    if (h < 1) throw std::invalid_argument("phase net: hidden layers need at least one unit");
  }
  if (!(spec.dropout >= 0.0 && spec.dropout < 1.0)) {
    throw std::invalid_argument("phase net: dropout must be in [0, 1)");
  }
  return lengths;
}

int flattened_features(const PhaseNetSpec& spec) {
  const std::vector<int> lengths = conv_output_lengths(spec);
  if (lengths.empty()) return spec.window_samples * spec.in_channels;
  return lengths.back() * spec.convs.back().out_channels;
}

std::uint64_t phase_net_macs(const PhaseNetSpec& spec) {
  const std::vector<int> lengths = conv_output_lengths(spec);
  std::uint64_t macs = 0;
  int channels = spec.in_channels;
  for (std::size_t i = 0; i < spec.convs.size(); ++i) {
    const ConvLayerSpec& c = spec.convs[i];
    macs += static_cast<std::uint64_t>(lengths[i]) * c.out_channels * c.kernel * channels;
    channels = c.out_channels;
  }
  int features = flattened_features(spec);
  for (int h : spec.hidden) {
    macs += static_cast<std::uint64_t>(features) * h;
    features = h;
  }
  return macs + static_cast<std::uint64_t>(features) * spec.classes;
}

std::uint64_t phase_net_parameters(const PhaseNetSpec& spec) {
  conv_output_lengths(spec);
  std::uint64_t parameters = 0;
  int channels = spec.in_channels;
  for (const ConvLayerSpec& c : spec.convs) {
    parameters += static_cast<std::uint64_t>(c.out_channels) * (c.kernel * channels + 1);
    channels = c.out_channels;
  }
  int features = flattened_features(spec);
  for (int h : spec.hidden) {
    parameters += static_cast<std::uint64_t>(h) * (features + 1);
    features = h;
  }
  return parameters + static_cast<std::uint64_t>(spec.classes) * (features + 1);
}

void check_weights(const PhaseNetWeights& w) {
  conv_output_lengths(w.spec);
  if (w.convs.size() != w.spec.convs.size() || w.dense.size() != w.spec.hidden.size() + 1) {
    throw std::invalid_argument("phase net weights: layer count differs from the spec");
  }
  int channels = w.spec.in_channels;
  for (std::size_t i = 0; i < w.convs.size(); ++i) {
    const ConvWeights& c = w.convs[i];
    const ConvLayerSpec& s = w.spec.convs[i];
    if (c.in_channels != channels || c.layer.out_channels != s.out_channels ||
        c.layer.kernel != s.kernel || c.layer.stride != s.stride ||
        c.weights.size() != static_cast<std::size_t>(s.out_channels * channels * s.kernel) ||
        c.bias.size() != static_cast<std::size_t>(s.out_channels)) {
      throw std::invalid_argument("phase net weights: conv " + std::to_string(i + 1) +
                                  " does not match the spec");
    }
    channels = s.out_channels;
  }
  int features = flattened_features(w.spec);
  for (std::size_t i = 0; i < w.dense.size(); ++i) {
    const DenseWeights& d = w.dense[i];
    const int out = i < w.spec.hidden.size() ? w.spec.hidden[i] : w.spec.classes;
    if (d.in_features != features || d.out_features != out ||
        d.weights.size() != static_cast<std::size_t>(out) * features ||
        d.bias.size() != static_cast<std::size_t>(out)) {
      throw std::invalid_argument("phase net weights: dense " + std::to_string(i + 1) +
                                  " does not match the spec");
    }
    features = out;
  }
}

}  // namespace mote::tools
