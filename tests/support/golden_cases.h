// The cases of ../shared/golden/manifest.csv: TFLM's outputs, arena sizes and instruction counts
// for each model and input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace mote::testing {

struct GoldenCase {
  std::string name;                 // case folder
  std::filesystem::path model;      // absolute model path
  std::filesystem::path directory;  // absolute case folder
  std::string status;               // "OK" or why TFLM cannot run it
  std::int64_t tflm_arena = -1;     // tflm_x86_arena_used, -1 when absent
  double tflm_us = -1;              // tflm_x86_us
  std::int64_t tflm_m4_cmsisnn_insns = -1;
  std::int64_t tflm_m4_ref_insns = -1;
  std::int64_t tflm_m4_cmsisnn_arena = -1;
};

// gtest prints a case by its name.
inline void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

// The golden folder (../shared/golden beside the checkout, as configured at build time).
std::filesystem::path golden_dir();

// Every row of the manifest.
std::vector<GoldenCase> golden_cases();

// Files input_0.bin, input_1.bin, ... (or output_K.bin) of a case, in order.
std::vector<std::filesystem::path> case_files(const GoldenCase& c, const std::string& prefix);

// `name` with every character outside [A-Za-z0-9_] replaced, for test names.
std::string sanitized(const std::string& name);

}  // namespace mote::testing
