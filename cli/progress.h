// A one-line progress bar on stderr, drawn only when stderr is a terminal so that logs and
// scripts see clean output.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mote::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records that `done` of the total units are finished; redraws at most ten times a second.
  void update(std::uint64_t done, const std::string& note = "");
  // Clears the line.
  void finish();

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mote::cli
