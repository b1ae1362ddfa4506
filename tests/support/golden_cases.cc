#include "tests/support/golden_cases.h"

#include "tools/io/csv.h"

namespace mote::testing {
namespace {

std::int64_t to_int(const std::string& s) { return s.empty() ? -1 : std::stoll(s); }
double to_double(const std::string& s) { return s.empty() ? -1.0 : std::stod(s); }

}  // namespace

std::filesystem::path golden_dir() { return std::filesystem::path(MOTE_SHARED_DIR) / "golden"; }

std::vector<GoldenCase> golden_cases() {
  const auto table = tools::CsvTable::read(golden_dir() / "manifest.csv");
  std::vector<GoldenCase> cases;
  for (std::size_t r = 0; r < table.size(); ++r) {
    GoldenCase c;
    c.name = table.at(r, "case");
    c.model = golden_dir() / table.at(r, "model");
    c.directory = golden_dir() / "cases" / c.name;
    c.status = table.at(r, "status");
    c.tflm_arena = to_int(table.at(r, "tflm_x86_arena_used"));
    c.tflm_us = to_double(table.at(r, "tflm_x86_us"));
    c.tflm_m4_cmsisnn_insns = to_int(table.at(r, "tflm_m4_cmsisnn_insns"));
    c.tflm_m4_ref_insns = to_int(table.at(r, "tflm_m4_ref_insns"));
    c.tflm_m4_cmsisnn_arena = to_int(table.at(r, "tflm_m4_cmsisnn_arena"));
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<std::filesystem::path> case_files(const GoldenCase& c, const std::string& prefix) {
  std::vector<std::filesystem::path> files;
  for (int k = 0;; ++k) {
    const auto path = c.directory / (prefix + "_" + std::to_string(k) + ".bin");
    if (!std::filesystem::exists(path)) break;
    files.push_back(path);
  }
  return files;
}

std::string sanitized(const std::string& name) {
  std::string s = name;
  for (char& ch : s) {
    const bool ok =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!ok) ch = '_';
  }
  return s;
}

}  // namespace mote::testing
