// Collects the runtime's error messages so that host tools can put them in exceptions and
// reports.
#pragma once

#include <string>
#include <vector>

#include "runtime/core/error_reporter.h"

namespace mote::tools {

class ErrorCollector {
 public:
  ErrorCollector() : reporter_{&ErrorCollector::collect, this} {}
  ErrorCollector(const ErrorCollector&) = delete;
  ErrorCollector& operator=(const ErrorCollector&) = delete;

  const ErrorReporter* reporter() const { return &reporter_; }
  const std::vector<std::string>& messages() const { return messages_; }
  // The last message, or `fallback` when there is none.
  std::string last(const std::string& fallback = "no message") const {
    return messages_.empty() ? fallback : messages_.back();
  }
  void clear() { messages_.clear(); }

 private:
  static void collect(void* user, const char* message) {
    static_cast<ErrorCollector*>(user)->messages_.emplace_back(message);
  }
  ErrorReporter reporter_;
  std::vector<std::string> messages_;
};

}  // namespace mote::tools
