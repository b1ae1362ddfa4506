// The runner behind tests/device/gtest/gtest/gtest.h: registration, failures, traces, the
// GoogleTest command-line flags CTest uses, and main(). Output follows GoogleTest's, with the
// instructions each test took in place of milliseconds.
#include "gtest/gtest.h"

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "targets/cortex-m/board.h"

namespace testing {
namespace {

internal::Registration* first_test = nullptr;
internal::Registration* last_test = nullptr;

struct CurrentTest {
  bool running = false;
  bool failed = false;
  bool fatal = false;
  bool skipped = false;
  std::jmp_buf abort_point;
};
CurrentTest current;

struct Trace {
  const char* file;
  int line;
  char text[160];
};
constexpr int kMaxTraces = 16;
Trace traces[kMaxTraces];
int trace_count = 0;

void out(const char* text) { mote::board::print(text); }
void out(const std::string& text) { mote::board::write(text.data(), text.size()); }

void print_location(const char* file, int line) {
  std::string text = file;
  text += ':';
  internal::append_signed(text, line);
  out(text);
}

void report_failure(const char* file, int line, const char* text, const std::string& message) {
  current.failed = true;
  if (file != nullptr) {
    print_location(file, line);
    out(": Failure\n");
  }
  out(text);
  if (!message.empty()) {
    out("\n");
    out(message);
  }
  out("\n");
  if (trace_count > 0) {
    out("Google Test trace:\n");
    for (int i = trace_count - 1; i >= 0; --i) {
      print_location(traces[i].file, traces[i].line);
      out(": ");
      out(traces[i].text);
      out("\n");
    }
  }
}

// GoogleTest's --gtest_filter: POSITIVE[-NEGATIVE], each a ':'-separated list of patterns with
// '*' (any text) and '?' (any character).
bool glob(const char* pattern, const char* pattern_end, const char* text) {
  if (pattern == pattern_end) return *text == '\0';
  if (*pattern == '*') {
    for (const char* t = text;; ++t) {
      if (glob(pattern + 1, pattern_end, t)) return true;
      if (*t == '\0') return false;
    }
  }
  if (*text == '\0') return false;
  if (*pattern == '?' || *pattern == *text) return glob(pattern + 1, pattern_end, text + 1);
  return false;
}

bool matches_any(const char* patterns, const char* end, const char* name) {
  while (patterns < end) {
    const char* colon = patterns;
    while (colon < end && *colon != ':') ++colon;
    if (colon > patterns && glob(patterns, colon, name)) return true;
    patterns = colon + 1;
  }
  return false;
}

bool selected(const char* filter, const char* full_name) {
  const char* end = filter + std::strlen(filter);
  const char* dash = std::strchr(filter, '-');
  const char* positive_end = dash != nullptr ? dash : end;
  const bool positive =
      positive_end == filter ? true : matches_any(filter, positive_end, full_name);
  return positive && !(dash != nullptr && matches_any(dash + 1, end, full_name));
}

bool starts_with(const char* text, const char* prefix) {
  return std::strncmp(text, prefix, std::strlen(prefix)) == 0;
}

}  // namespace

void Test::RecordProperty(const std::string& key, const std::string& value) {
  out("property " + key + "=" + value + "\n");
}

void Test::RecordProperty(const std::string& key, long long value) {
  std::string text;
  internal::append_signed(text, value);
  RecordProperty(key, text);
}

bool Test::HasFailure() { return current.failed; }
bool Test::HasFatalFailure() { return current.fatal; }
bool Test::IsSkipped() { return current.skipped; }

ScopedTrace::ScopedTrace(const char* file, int line, const char* message) {
  if (trace_count < kMaxTraces) {
    Trace& t = traces[trace_count];
    t.file = file;
    t.line = line;
    std::strncpy(t.text, message, sizeof(t.text) - 1);
    t.text[sizeof(t.text) - 1] = '\0';
  }
  ++trace_count;
}

ScopedTrace::~ScopedTrace() {
  if (trace_count > 0) --trace_count;
}

namespace internal {

void AssertHelper::operator=(const Message& message) const {
  report_failure(file_, line_, text_, message.text());
  if (fatal_) current.fatal = true;
}

void SkipHelper::operator=(const Message& message) const {
  current.skipped = true;
  print_location(file_, line_);
  out(": Skipped\n");
  if (!message.text().empty()) out(message.text() + "\n");
}

void abort_current_test(const char* what) {
  const std::string text =
      std::string("C++ exception with description \"") + what + "\" thrown in the test body.";
  report_failure(nullptr, 0, text.c_str(), "");
  if (current.running) {
    current.fatal = true;
    std::longjmp(current.abort_point, 1);
  }
  mote::board::exit(1);
}

Registration::Registration(const char* suite_name, const char* test_name, TestFunction function)
    : suite(suite_name), name(test_name), run(function) {
  if (last_test == nullptr) {
    first_test = this;
  } else {
    last_test->next = this;
  }
  last_test = this;
}

// Frames between the test body and a longjmp out of it are abandoned without their destructors:
// what they allocated leaks, which a failing test may afford.
void run_test(Test& test) {
  current.running = true;
  if (setjmp(current.abort_point) == 0) {
    test.SetUp();
    if (!current.fatal && !current.skipped) test.TestBody();
  }
  trace_count = 0;
  if (setjmp(current.abort_point) == 0) test.TearDown();
  trace_count = 0;
  current.running = false;
}

std::string boolean_failure(const char* expression, const AssertionResult& result, bool expected) {
  std::string text = "Value of: ";
  text += expression;
  text += expected ? "\n  Actual: false\nExpected: true" : "\n  Actual: true\nExpected: false";
  if (result.message()[0] != '\0') {
    text += "\n";
    text += result.message();
  }
  return text;
}

AssertionResult compare_near(const char* expression_a, const char* expression_b,
                             const char* expression_error, double a, double b, double error) {
  const double difference = std::fabs(a - b);
  if (difference <= error) return AssertionSuccess();
  std::string text = "The difference between ";
  text += expression_a;
  text += " and ";
  text += expression_b;
  text += " is ";
  append_double(text, difference, 17);
  text += ", which exceeds ";
  text += expression_error;
  text += ", where\n";
  text += expression_a;
  text += " evaluates to ";
  append_double(text, a, 17);
  text += ",\n";
  text += expression_b;
  text += " evaluates to ";
  append_double(text, b, 17);
  text += ", and\n";
  text += expression_error;
  text += " evaluates to ";
  append_double(text, error, 17);
  text += ".";
  return AssertionFailure() << text;
}

namespace {

// Distance in units in the last place between two finite or infinite values of one sign
// convention (sign-magnitude bits mapped to a biased order).
template <typename Bits, typename Float>
Bits biased(Float value) {
  Bits bits;
  std::memcpy(&bits, &value, sizeof(bits));
  constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
  return (bits & kSign) != 0 ? ~bits + 1 : bits | kSign;
}

template <typename Bits, typename Float>
bool almost_equal(Float a, Float b) {
  if (std::isnan(a) || std::isnan(b)) return false;
  const Bits x = biased<Bits>(a);
  const Bits y = biased<Bits>(b);
  return (x >= y ? x - y : y - x) <= 4;
}

template <typename Float>
AssertionResult float_failure(const char* expression_a, const char* expression_b, Float a, Float b,
                              int digits) {
  std::string text = "Expected equality of these values:\n  ";
  text += expression_a;
  text += "\n    Which is: ";
  append_double(text, a, digits);
  text += "\n  ";
  text += expression_b;
  text += "\n    Which is: ";
  append_double(text, b, digits);
  return AssertionFailure() << text;
}

}  // namespace

AssertionResult compare_float_eq(const char* expression_a, const char* expression_b, float a,
                                 float b) {
  if (almost_equal<uint32_t>(a, b)) return AssertionSuccess();
  return float_failure(expression_a, expression_b, a, b, 9);
}

AssertionResult compare_double_eq(const char* expression_a, const char* expression_b, double a,
                                  double b) {
  if (almost_equal<uint64_t>(a, b)) return AssertionSuccess();
  return float_failure(expression_a, expression_b, a, b, 17);
}

AssertionResult compare_streq(const char* expression_a, const char* expression_b, const char* a,
                              const char* b, bool equal) {
  const bool same = (a == nullptr || b == nullptr) ? a == b : std::strcmp(a, b) == 0;
  if (same == equal) return AssertionSuccess();
  if (!equal) {
    std::string text = "Expected: (";
    text += expression_a;
    text += ") != (";
    text += expression_b;
    text += "), actual: ";
    append_value(text, a, true);
    text += " vs ";
    append_value(text, b, true);
    return AssertionFailure() << text;
  }
  std::string text = "Expected equality of these values:\n  ";
  text += expression_a;
  text += "\n    Which is: ";
  append_value(text, a, true);
  text += "\n  ";
  text += expression_b;
  text += "\n    Which is: ";
  append_value(text, b, true);
  return AssertionFailure() << text;
}

void append_signed(std::string& out, long long value) {
  if (value < 0) {
    out += '-';
    append_unsigned(out, 0ull - static_cast<unsigned long long>(value));
  } else {
    append_unsigned(out, static_cast<unsigned long long>(value));
  }
}

void append_unsigned(std::string& out, unsigned long long value) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void append_double(std::string& out, double value, int significant_digits) {
  char text[40];
  std::snprintf(text, sizeof(text), "%.*g", significant_digits, value);
  out += text;
}

void append_pointer(std::string& out, const void* pointer) {
  char text[16];
  std::snprintf(text, sizeof(text), "%p", pointer);
  out += text;
}

void append_string(std::string& out, const char* text, size_t length, bool quoted) {
  if (quoted) out += '"';
  out.append(text, length);
  if (quoted) out += '"';
}

}  // namespace internal
}  // namespace testing

int main(int argc, char** argv) {
  using testing::internal::Registration;
  const char* filter = "*";
  bool list = false;
  bool run_disabled = false;
  for (int i = 1; i < argc; ++i) {
    if (testing::starts_with(argv[i], "--gtest_filter=")) {
      filter = argv[i] + std::strlen("--gtest_filter=");
    } else if (std::strcmp(argv[i], "--gtest_list_tests") == 0) {
      list = true;
    } else if (std::strcmp(argv[i], "--gtest_also_run_disabled_tests") == 0) {
      run_disabled = true;
    }  // other --gtest_ flags (output, colour) have no meaning here
  }

  if (list) {
    const char* suite = nullptr;
    for (Registration* r = testing::first_test; r != nullptr; r = r->next) {
      if (suite == nullptr || std::strcmp(suite, r->suite) != 0) {
        suite = r->suite;
        testing::out(std::string(suite) + ".\n");
      }
      testing::out(std::string("  ") + r->name + "\n");
    }
    return 0;
  }

  int run = 0;
  int failed = 0;
  int skipped = 0;
  std::string failures;
  for (Registration* r = testing::first_test; r != nullptr; r = r->next) {
    const std::string full_name = std::string(r->suite) + "." + r->name;
    if (!testing::selected(filter, full_name.c_str())) continue;
    const bool disabled =
        testing::starts_with(r->suite, "DISABLED_") || testing::starts_with(r->name, "DISABLED_");
    if (disabled && !run_disabled) continue;
    testing::current = testing::CurrentTest();
    testing::out("[ RUN      ] " + full_name + "\n");
    const uint64_t start = mote::board::instructions();
    r->run();
    const uint64_t instructions = mote::board::instructions() - start;
    std::string took = " (";
    testing::internal::append_unsigned(took, instructions);
    took += " instructions)\n";
    ++run;
    if (testing::current.failed) {
      ++failed;
      failures += "[  FAILED  ] " + full_name + "\n";
      testing::out("[  FAILED  ] " + full_name + took);
    } else if (testing::current.skipped) {
      ++skipped;
      testing::out("[  SKIPPED ] " + full_name + took);
    } else {
      testing::out("[       OK ] " + full_name + took);
    }
  }
  std::string summary;
  summary += "[==========] ";
  testing::internal::append_signed(summary, run);
  summary += " tests ran on ";
  summary += mote::board::name();
  summary += ".\n[  PASSED  ] ";
  testing::internal::append_signed(summary, run - failed - skipped);
  summary += " tests.\n";
  if (skipped > 0) {
    summary += "[  SKIPPED ] ";
    testing::internal::append_signed(summary, skipped);
    summary += " tests.\n";
  }
  testing::out(summary);
  if (failed > 0) {
    testing::out(failures);
    return 1;
  }
  return 0;
}
