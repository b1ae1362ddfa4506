#include "tools/quantize/representative_data.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "tools/io/csv.h"

namespace mote::tools {
namespace {

std::string shape_text(std::span<const std::int64_t> shape) {
  return fmt::format("[{}]", fmt::join(shape, ","));
}

std::string shape_text(std::span<const std::int32_t> shape) {
  std::vector<std::int64_t> wide(shape.begin(), shape.end());
  return shape_text(wide);
}

template <typename T>
std::vector<std::int64_t> without_ones(std::span<const T> shape) {
  std::vector<std::int64_t> kept;
  for (T d : shape) {
    if (d != 1) kept.push_back(static_cast<std::int64_t>(d));
  }
  return kept;
}

template <typename T>
void convert(const std::uint8_t* data, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, data + i * sizeof(T), sizeof(T));
    out[i] = static_cast<float>(v);
  }
}

std::vector<float> to_float(const NpyArray& array, const std::string& what) {
  const std::size_t n = array.elements();
  std::vector<float> values(n);
  const std::uint8_t* data = array.data.data();
  switch (array.type) {
    case TensorType::FLOAT32:
      if (n != 0) std::memcpy(values.data(), data, n * sizeof(float));
      break;
    case TensorType::FLOAT64:
      convert<double>(data, n, values.data());
      break;
    case TensorType::INT8:
      convert<std::int8_t>(data, n, values.data());
      break;
    case TensorType::UINT8:
      convert<std::uint8_t>(data, n, values.data());
      break;
    case TensorType::INT16:
      convert<std::int16_t>(data, n, values.data());
      break;
    case TensorType::INT32:
      convert<std::int32_t>(data, n, values.data());
      break;
    case TensorType::INT64:
      convert<std::int64_t>(data, n, values.data());
      break;
    default:
      throw std::runtime_error(fmt::format("{}: dtype {} cannot be used as sample data", what,
                                           tensor_type_name(array.type)));
  }
  return values;
}

void check_finite(std::span<const float> values, std::size_t per_sample, const std::string& what) {
  std::size_t bad = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      if (bad++ == 0) first = i;
    }
  }
  if (bad == 0) return;
  throw std::runtime_error(
      fmt::format("{}: sample {}, element {} is {} ({} NaN or infinite value(s) in all); "
                  "calibration and evaluation need finite values: clean or drop those samples",
                  what, first / per_sample, first % per_sample, values[first], bad));
}

}  // namespace

std::size_t InputSpec::elements() const {
  std::size_t n = 1;
  for (std::int32_t d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

std::vector<InputSpec> input_specs(const Graph& graph) {
  std::vector<InputSpec> specs;
  for (std::int32_t t : graph.inputs) {
    const GraphTensor& tensor = graph.tensors.at(static_cast<std::size_t>(t));
    specs.push_back({tensor.name, tensor.shape});
  }
  return specs;
}

std::span<const float> SampleSet::sample(std::size_t input, std::size_t n) const {
  const std::vector<float>& all = inputs.at(input);
  const std::size_t per = count == 0 ? 0 : all.size() / count;
  return std::span<const float>(all).subspan(n * per, per);
}

std::vector<float> samples_from_array(const NpyArray& array, const InputSpec& input,
                                      const std::string& what, std::size_t* count) {
  const std::span<const std::int64_t> shape(array.shape);
  const std::span<const std::int64_t> sample_shape = shape.empty() ? shape : shape.subspan(1);
  const bool fits =
      !shape.empty() && shape[0] > 0 &&
      without_ones(sample_shape) == without_ones(std::span<const std::int32_t>(input.shape));
  if (!fits) {
    const std::string example =
        input.shape.empty() ? "[N]" : fmt::format("[N,{}]", fmt::join(input.shape, ","));
    throw std::runtime_error(fmt::format(
        "{}: array shape {} does not hold samples of model input '{}' {}: expected N samples "
        "first, then the input's shape, e.g. {} (dimensions of size 1 may be left out)",
        what, shape_text(shape), input.name, shape_text(std::span<const std::int32_t>(input.shape)),
        example));
  }
  *count = static_cast<std::size_t>(shape[0]);
  std::vector<float> values = to_float(array, what);
  check_finite(values, input.elements(), what);
  return values;
}

std::vector<float> samples_from_csv(const std::filesystem::path& path, const InputSpec& input,
                                    std::size_t* count) {
  const std::string what = path.string();
  const CsvTable table = CsvTable::read(path);
  const std::size_t per = input.elements();
  if (table.header().size() != per) {
    throw std::runtime_error(fmt::format(
        "{}: {} columns, but model input '{}' {} has {} elements; each row (after the header "
        "row) must hold one sample's values in C order",
        what, table.header().size(), input.name,
        shape_text(std::span<const std::int32_t>(input.shape)), per));
  }
  if (table.size() == 0) throw std::runtime_error(what + ": no samples after the header row");
  std::vector<float> values;
  values.reserve(table.size() * per);
  for (std::size_t r = 0; r < table.size(); ++r) {
    const auto& row = table.rows()[r];
    for (std::size_t c = 0; c < per; ++c) {
      const std::string& cell = row[c];
      const char* begin = cell.data();
      const char* end = begin + cell.size();
      while (begin < end && *begin == ' ') ++begin;
      while (end > begin && end[-1] == ' ') --end;
      float v = 0.0f;
      const auto parsed = std::from_chars(begin, end, v);
      if (parsed.ec != std::errc() || parsed.ptr != end) {
        throw std::runtime_error(
            fmt::format("{}: row {} (line {}), column {} ('{}'): '{}' is not "
                        "a number",
                        what, r + 1, r + 2, c + 1, table.header()[c], cell));
      }
      values.push_back(v);
    }
  }
  *count = table.size();
  check_finite(values, per, what);
  return values;
}

SampleSet read_samples(std::span<const std::filesystem::path> files,
                       std::span<const InputSpec> inputs, std::size_t limit) {
  if (files.size() != inputs.size()) {
    throw std::runtime_error(fmt::format(
        "the model has {} input(s); give one data file (.npy or .csv) per input, in order "
        "(got {})",
        inputs.size(), files.size()));
  }
  SampleSet set;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::size_t count = 0;
    std::vector<float> values;
    const std::string ext = files[i].extension().string();
    if (ext == ".csv") {
      values = samples_from_csv(files[i], inputs[i], &count);
    } else if (ext == ".npy") {
      values = samples_from_array(read_npy(files[i]), inputs[i], files[i].string(), &count);
    } else {
      throw std::runtime_error(fmt::format("{}: data files are .npy or .csv", files[i].string()));
    }
    if (i > 0 && count != set.count) {
      throw std::runtime_error(
          fmt::format("{} holds {} samples but {} holds {}; every input "
                      "needs the same number",
                      files[i].string(), count, files[0].string(), set.count));
    }
    set.count = count;
    set.inputs.push_back(std::move(values));
  }
  if (limit > 0 && limit < set.count) {
    for (std::size_t i = 0; i < set.inputs.size(); ++i) {
      set.inputs[i].resize(limit * inputs[i].elements());
    }
    set.count = limit;
  }
  return set;
}

}  // namespace mote::tools
