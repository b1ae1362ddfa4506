// NumPy .npy arrays (format versions 1.0-3.0, little-endian, C order). Debian has no C++ package
// for the format, and the subset mote needs (one header dict and raw data) is small.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "runtime/core/tensor_type.h"
#include "tools/io/aligned_buffer.h"

namespace mote::tools {

struct NpyArray {
  TensorType type = TensorType::FLOAT32;
  std::vector<std::int64_t> shape;
  AlignedBuffer data;  // C order, little-endian

  std::size_t elements() const;
};

// Parses .npy bytes; throws std::runtime_error naming the problem (Fortran order, big-endian,
// unsupported dtype, truncated data).
NpyArray parse_npy(std::span<const std::uint8_t> bytes, const std::string& what);

// Reads a .npy file.
NpyArray read_npy(const std::filesystem::path& path);

// Encodes an array as .npy version 1.0 bytes.
std::vector<std::uint8_t> encode_npy(TensorType type, std::span<const std::int64_t> shape,
                                     std::span<const std::uint8_t> data);

// Writes an array to a .npy file.
void write_npy(const std::filesystem::path& path, TensorType type,
               std::span<const std::int64_t> shape, std::span<const std::uint8_t> data);

// The NumPy dtype string of a tensor type ("<f4", "|i1"); throws for types NumPy lacks.
std::string npy_descr(TensorType type);

}  // namespace mote::tools
