#include "tools/io/npy.h"

#include <cstring>
#include <stdexcept>

#include "tools/io/file_io.h"

namespace mote::tools {
namespace {

struct DtypeName {
  const char* descr;
  TensorType type;
};

// '|' marks byte-sized types whose order does not matter; '<' little-endian.
constexpr DtypeName kDtypes[] = {
    {"<f4", TensorType::FLOAT32}, {"<f8", TensorType::FLOAT64}, {"<f2", TensorType::FLOAT16},
    {"|i1", TensorType::INT8},    {"<i1", TensorType::INT8},    {"|u1", TensorType::UINT8},
    {"<u1", TensorType::UINT8},   {"<i2", TensorType::INT16},   {"<u2", TensorType::UINT16},
    {"<i4", TensorType::INT32},   {"<u4", TensorType::UINT32},  {"<i8", TensorType::INT64},
    {"<u8", TensorType::UINT64},  {"|b1", TensorType::BOOL},
};

std::runtime_error npy_error(const std::string& what, const std::string& problem) {
  return std::runtime_error(what + ": " + problem);
}

// The value text after `'key':` in the header dict.
std::string dict_value(const std::string& header, const std::string& key, const std::string& what) {
  const std::string quoted = "'" + key + "'";
  const auto at = header.find(quoted);
  if (at == std::string::npos) throw npy_error(what, "npy header lacks '" + key + "'");
  auto pos = header.find(':', at + quoted.size());
  if (pos == std::string::npos) throw npy_error(what, "malformed npy header");
  ++pos;
  while (pos < header.size() && header[pos] == ' ') ++pos;
  if (pos >= header.size()) throw npy_error(what, "malformed npy header");
  if (header[pos] == '\'') {
    const auto end = header.find('\'', pos + 1);
    if (end == std::string::npos) throw npy_error(what, "malformed npy header");
    return header.substr(pos + 1, end - pos - 1);
  }
  if (header[pos] == '(') {
    const auto end = header.find(')', pos);
    if (end == std::string::npos) throw npy_error(what, "malformed npy header");
    return header.substr(pos, end - pos + 1);
  }
  const auto end = header.find_first_of(",}", pos);
  return header.substr(pos, end - pos);
}

std::vector<std::int64_t> parse_shape(const std::string& text, const std::string& what) {
  std::vector<std::int64_t> shape;
  std::size_t pos = 1;  // past '('
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    if (pos >= text.size() || text[pos] == ')') break;
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text.substr(pos), &used);
    } catch (const std::exception&) {
      throw npy_error(what, "malformed shape " + text);
    }
    if (value < 0) throw npy_error(what, "negative dimension in shape " + text);
    shape.push_back(value);
    pos += used;
  }
  return shape;
}

}  // namespace

std::size_t NpyArray::elements() const {
  std::size_t n = 1;
  for (auto d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

std::string npy_descr(TensorType type) {
  for (const auto& d : kDtypes) {
    if (d.type == type) return d.descr;
  }
  throw std::runtime_error(std::string("no NumPy dtype for tensor type ") + tensor_type_name(type));
}

NpyArray parse_npy(std::span<const std::uint8_t> bytes, const std::string& what) {
  static constexpr std::uint8_t kMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    throw npy_error(what, "not a NumPy .npy file (no \\x93NUMPY magic)");
  }
  const std::uint8_t major = bytes[6];
  std::size_t header_len = 0;
  std::size_t header_start = 0;
  if (major == 1) {
    header_len = bytes[8] | (bytes[9] << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw npy_error(what, "truncated npy header");
    header_len = static_cast<std::size_t>(bytes[8]) | (bytes[9] << 8) | (bytes[10] << 16) |
                 (static_cast<std::size_t>(bytes[11]) << 24);
    header_start = 12;
  } else {
    throw npy_error(what, "unsupported npy format version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) throw npy_error(what, "truncated npy header");
  const std::string header(reinterpret_cast<const char*>(bytes.data() + header_start), header_len);

  NpyArray array;
  const std::string descr = dict_value(header, "descr", what);
  bool known = false;
  for (const auto& d : kDtypes) {
    if (descr == d.descr) {
      array.type = d.type;
      known = true;
    }
  }
  if (!known) {
    throw npy_error(what, "dtype '" + descr +
                              "' is not supported (little-endian float32/64, int8/16/32/64, "
                              "uint8/16/32/64 or bool)");
  }
  if (dict_value(header, "fortran_order", what).find("True") != std::string::npos) {
    throw npy_error(what, "array is in Fortran order; save it with np.ascontiguousarray");
  }
  array.shape = parse_shape(dict_value(header, "shape", what), what);
  const std::size_t data_bytes = array.elements() * tensor_type_size(array.type);
  const std::size_t data_start = header_start + header_len;
  if (bytes.size() - data_start < data_bytes) {
    throw npy_error(what, "holds " + std::to_string(bytes.size() - data_start) +
                              " data bytes, its header promises " + std::to_string(data_bytes));
  }
  array.data = AlignedBuffer(bytes.subspan(data_start, data_bytes));
  return array;
}

NpyArray read_npy(const std::filesystem::path& path) {
  const AlignedBuffer bytes = read_file(path);
  return parse_npy(bytes.bytes(), path.string());
}

std::vector<std::uint8_t> encode_npy(TensorType type, std::span<const std::int64_t> shape,
                                     std::span<const std::uint8_t> data) {
  std::string header = "{'descr': '" + npy_descr(type) + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    header += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) header += ",";
    if (i + 1 < shape.size()) header += " ";
  }
  header += "), }";
  // Pad with spaces and a newline so that the data starts on a 64-byte boundary, as NumPy does.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

void write_npy(const std::filesystem::path& path, TensorType type,
               std::span<const std::int64_t> shape, std::span<const std::uint8_t> data) {
  write_file(path, encode_npy(type, shape, data));
}

}  // namespace mote::tools
