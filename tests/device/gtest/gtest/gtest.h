// A GoogleTest-compatible subset for device builds. The runtime's unit tests are written against
// GoogleTest; on Cortex-M, where GoogleTest cannot be built (it needs the full libstdc++,
// exceptions and a file system), the same sources compile against this header instead.
//
// Covered: TEST, TEST_F (SetUp, TearDown); EXPECT_/ASSERT_ TRUE FALSE EQ NE LT LE GT GE NEAR
// FLOAT_EQ DOUBLE_EQ STREQ STRNE with streamed messages; FAIL, ADD_FAILURE, SUCCEED, GTEST_SKIP;
// SCOPED_TRACE; ::testing::Message, AssertionResult, Test::RecordProperty and HasFailure;
// --gtest_filter, --gtest_list_tests (so gtest_discover_tests works through QEMU).
//
// Not covered: parameterized tests, matchers (EXPECT_THAT), death tests and anything with
// exceptions (EXPECT_THROW, try/catch: device code has none). tests/device/CMakeLists.txt leaves
// a test source that uses them out of the device build, with a message; it still runs on the host.
//
// Like GoogleTest, ASSERT_* returns from the current (void) function; a C++ "exception" (a
// failing test-support call, a libstdc++ __throw_* without exceptions) ends the current test as
// a failure and the run goes on with the next test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace testing {

class Message;

namespace internal {

// Appends `value` as GoogleTest's printers would: numbers, bools, enums (as integers), strings,
// pointers, containers as { a, b, ... }, pairs, other objects by size. `quoted` puts strings in
// quotes (values in failure messages) or not (text streamed into a message).
template <typename T>
void append_value(std::string& out, const T& value, bool quoted);

void append_signed(std::string& out, long long value);
void append_unsigned(std::string& out, unsigned long long value);
void append_double(std::string& out, double value, int significant_digits);
void append_pointer(std::string& out, const void* pointer);
void append_string(std::string& out, const char* text, size_t length, bool quoted);

template <typename T, typename = void>
struct is_container : std::false_type {};
template <typename T>
struct is_container<T, std::void_t<decltype(std::begin(std::declval<const T&>())),
                                   decltype(std::end(std::declval<const T&>()))>> : std::true_type {
};

template <typename T>
struct is_pair : std::false_type {};
template <typename A, typename B>
struct is_pair<std::pair<A, B>> : std::true_type {};

}  // namespace internal

// Text built with operator<<.
class Message {
 public:
  Message() = default;
  template <typename T>
  Message& operator<<(const T& value) {
    internal::append_value(text_, value, false);
    return *this;
  }
  Message& operator<<(const Message& other) {
    text_ += other.text_;
    return *this;
  }
  std::string GetString() const { return text_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The result of a check: success, or failure with a message.
class AssertionResult {
 public:
  explicit AssertionResult(bool success) : success_(success) {}
  explicit operator bool() const { return success_; }
  template <typename T>
  AssertionResult& operator<<(const T& value) {
    internal::append_value(message_, value, false);
    return *this;
  }
  const char* message() const { return message_.c_str(); }
  const char* failure_message() const { return message(); }

 private:
  bool success_;
  std::string message_;
};

inline AssertionResult AssertionSuccess() { return AssertionResult(true); }
inline AssertionResult AssertionFailure() { return AssertionResult(false); }

class Test {
 public:
  virtual ~Test() = default;
  // Prints `key`=`value` for the current test (GoogleTest writes it to its XML report).
  static void RecordProperty(const std::string& key, const std::string& value);
  static void RecordProperty(const std::string& key, long long value);
  // Whether the current test has failed (fatally) so far.
  static bool HasFailure();
  static bool HasFatalFailure();
  static bool IsSkipped();

  virtual void TestBody() = 0;
  virtual void SetUp() {}
  virtual void TearDown() {}

 protected:
  Test() = default;
};

// Adds a message to every failure reported while it is alive (SCOPED_TRACE).
class ScopedTrace {
 public:
  ScopedTrace(const char* file, int line, const char* message);
  ScopedTrace(const char* file, int line, const std::string& message)
      : ScopedTrace(file, line, message.c_str()) {}
  ScopedTrace(const char* file, int line, const Message& message)
      : ScopedTrace(file, line, message.text().c_str()) {}
  template <typename T>
  ScopedTrace(const char* file, int line, const T& value)
      : ScopedTrace(file, line, (Message() << value)) {}
  ~ScopedTrace();
  ScopedTrace(const ScopedTrace&) = delete;
  ScopedTrace& operator=(const ScopedTrace&) = delete;
};

namespace internal {

// Reports a failure (fatal or not) at file:line with `text` and the streamed message.
class AssertHelper {
 public:
  AssertHelper(bool fatal, const char* file, int line, const char* text)
      : fatal_(fatal), file_(file), line_(line), text_(text) {}
  void operator=(const Message& message) const;

 private:
  bool fatal_;
  const char* file_;
  int line_;
  const char* text_;
};

// Marks the current test skipped (GTEST_SKIP), printing the streamed message.
class SkipHelper {
 public:
  SkipHelper(const char* file, int line) : file_(file), line_(line) {}
  void operator=(const Message& message) const;

 private:
  const char* file_;
  int line_;
};

// Swallows SUCCEED()'s message.
struct SuccessHelper {
  void operator=(const Message&) const {}
};

// Ends the current test as a failure, as an exception escaping the test body would, and goes on
// with the next test. Outside a test, prints `what` and exits with status 1.
[[noreturn]] void abort_current_test(const char* what);

using TestFunction = void (*)();

// A TEST's entry in the list that main() runs; defined at namespace scope by the TEST macros.
class Registration {
 public:
  Registration(const char* suite, const char* name, TestFunction run);
  const char* suite;
  const char* name;
  TestFunction run;
  Registration* next = nullptr;
};

// Runs SetUp, TestBody and TearDown of `test`, catching fatal failures and aborted tests.
void run_test(Test& test);

template <typename T>
AssertionResult to_result(const T& value) {
  return AssertionResult(static_cast<bool>(value));
}
inline AssertionResult to_result(const AssertionResult& result) { return result; }

// "Value of: <expression>\n  Actual: false\nExpected: true", then the result's own message.
std::string boolean_failure(const char* expression, const AssertionResult& result, bool expected);

template <typename A, typename B>
AssertionResult compare_failure(const char* expression_a, const char* expression_b, const char* op,
                                const A& a, const B& b) {
  std::string text = "Expected: (";
  text += expression_a;
  text += ") ";
  text += op;
  text += " (";
  text += expression_b;
  text += "), actual: ";
  append_value(text, a, true);
  text += " vs ";
  append_value(text, b, true);
  return AssertionFailure() << text;
}

template <typename A, typename B>
AssertionResult compare_eq(const char* expression_a, const char* expression_b, const A& a,
                           const B& b) {
  if (a == b) return AssertionSuccess();
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

#define MOTE_GTEST_COMPARE_(function, op)                                                  \
  template <typename A, typename B>                                                        \
  AssertionResult function(const char* expression_a, const char* expression_b, const A& a, \
                           const B& b) {                                                   \
    if (a op b) return AssertionSuccess();                                                 \
    return compare_failure(expression_a, expression_b, #op, a, b);                         \
  }
MOTE_GTEST_COMPARE_(compare_ne, !=)
MOTE_GTEST_COMPARE_(compare_lt, <)
MOTE_GTEST_COMPARE_(compare_le, <=)
MOTE_GTEST_COMPARE_(compare_gt, >)
MOTE_GTEST_COMPARE_(compare_ge, >=)
#undef MOTE_GTEST_COMPARE_

AssertionResult compare_near(const char* expression_a, const char* expression_b,
                             const char* expression_error, double a, double b, double error);
// Within 4 units in the last place, as GoogleTest's EXPECT_FLOAT_EQ / EXPECT_DOUBLE_EQ.
AssertionResult compare_float_eq(const char* expression_a, const char* expression_b, float a,
                                 float b);
AssertionResult compare_double_eq(const char* expression_a, const char* expression_b, double a,
                                  double b);
AssertionResult compare_streq(const char* expression_a, const char* expression_b, const char* a,
                              const char* b, bool equal);

template <typename T>
void append_value(std::string& out, const T& value, bool quoted) {
  using U = std::decay_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_same_v<U, char>) {
    if (quoted) {
      out += '\'';
      out += value;
      out += "' (";
      append_signed(out, value);
      out += ')';
    } else {
      out += value;
    }
  } else if constexpr (std::is_integral_v<U> && std::is_signed_v<U>) {
    append_signed(out, value);
  } else if constexpr (std::is_integral_v<U>) {
    append_unsigned(out, value);
  } else if constexpr (std::is_floating_point_v<U>) {
    append_double(out, static_cast<double>(value), std::is_same_v<U, float> ? 9 : 17);
  } else if constexpr (std::is_enum_v<U>) {
    append_value(out, static_cast<std::underlying_type_t<U>>(value), quoted);
  } else if constexpr (std::is_same_v<U, std::nullptr_t>) {
    out += "(nullptr)";
  } else if constexpr (std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
    if (value == nullptr) {
      out += "NULL";
    } else {
      append_string(out, value, std::strlen(value), quoted);
    }
  } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>) {
    append_string(out, value.data(), value.size(), quoted);
  } else if constexpr (std::is_same_v<U, Message>) {
    out += value.text();
  } else if constexpr (std::is_pointer_v<U>) {
    append_pointer(out, static_cast<const void*>(value));
  } else if constexpr (is_pair<U>::value) {
    out += '(';
    append_value(out, value.first, true);
    out += ", ";
    append_value(out, value.second, true);
    out += ')';
  } else if constexpr (is_container<U>::value) {
    constexpr size_t kMaxElements = 32;
    out += '{';
    size_t count = 0;
    for (const auto& element : value) {
      if (count == kMaxElements) {
        out += ", ...";
        break;
      }
      out += count++ == 0 ? " " : ", ";
      append_value(out, element, true);
    }
    out += count == 0 ? "}" : " }";
  } else {
    out += '<';
    append_unsigned(out, sizeof(U));
    out += "-byte object>";
  }
}

}  // namespace internal
}  // namespace testing

#define MOTE_GTEST_CONCAT_INNER_(a, b) a##b
#define MOTE_GTEST_CONCAT_(a, b) MOTE_GTEST_CONCAT_INNER_(a, b)

// `switch (0) case 0: default:` makes the macro a single statement that an `else` after it in the
// caller's code cannot bind to (GoogleTest's "ambiguous else blocker").
#define MOTE_GTEST_CHECK_(result, fatal)                               \
  switch (0)                                                           \
  case 0:                                                              \
  default:                                                             \
    if (const ::testing::AssertionResult mote_gtest_result = (result)) \
      ;                                                                \
    else                                                               \
      MOTE_GTEST_FAILURE_##fatal(mote_gtest_result.message())

#define MOTE_GTEST_FAILURE_0(text) \
  ::testing::internal::AssertHelper(false, __FILE__, __LINE__, text) = ::testing::Message()
#define MOTE_GTEST_FAILURE_1(text) \
  return ::testing::internal::AssertHelper(true, __FILE__, __LINE__, text) = ::testing::Message()

// The condition is evaluated once; the failure text says what it was and what it gave.
#define MOTE_GTEST_BOOLEAN_(condition, expected, fatal)      \
  switch (0)                                                 \
  case 0:                                                    \
  default:                                                   \
    if (const ::testing::AssertionResult mote_gtest_result = \
            ::testing::internal::to_result(condition);       \
        static_cast<bool>(mote_gtest_result) == (expected))  \
      ;                                                      \
    else                                                     \
      MOTE_GTEST_FAILURE_##fatal(                            \
          ::testing::internal::boolean_failure(#condition, mote_gtest_result, expected).c_str())

#define EXPECT_TRUE(condition) MOTE_GTEST_BOOLEAN_(condition, true, 0)
#define ASSERT_TRUE(condition) MOTE_GTEST_BOOLEAN_(condition, true, 1)
#define EXPECT_FALSE(condition) MOTE_GTEST_BOOLEAN_(condition, false, 0)
#define ASSERT_FALSE(condition) MOTE_GTEST_BOOLEAN_(condition, false, 1)

#define MOTE_GTEST_COMPARE_CHECK_(function, a, b, fatal) \
  MOTE_GTEST_CHECK_(::testing::internal::function(#a, #b, a, b), fatal)
#define EXPECT_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_eq, a, b, 0)
#define ASSERT_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_eq, a, b, 1)
#define EXPECT_NE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_ne, a, b, 0)
#define ASSERT_NE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_ne, a, b, 1)
#define EXPECT_LT(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_lt, a, b, 0)
#define ASSERT_LT(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_lt, a, b, 1)
#define EXPECT_LE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_le, a, b, 0)
#define ASSERT_LE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_le, a, b, 1)
#define EXPECT_GT(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_gt, a, b, 0)
#define ASSERT_GT(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_gt, a, b, 1)
#define EXPECT_GE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_ge, a, b, 0)
#define ASSERT_GE(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_ge, a, b, 1)
#define EXPECT_FLOAT_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_float_eq, a, b, 0)
#define ASSERT_FLOAT_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_float_eq, a, b, 1)
#define EXPECT_DOUBLE_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_double_eq, a, b, 0)
#define ASSERT_DOUBLE_EQ(a, b) MOTE_GTEST_COMPARE_CHECK_(compare_double_eq, a, b, 1)
#define EXPECT_STREQ(a, b) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_streq(#a, #b, a, b, true), 0)
#define ASSERT_STREQ(a, b) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_streq(#a, #b, a, b, true), 1)
#define EXPECT_STRNE(a, b) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_streq(#a, #b, a, b, false), 0)
#define ASSERT_STRNE(a, b) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_streq(#a, #b, a, b, false), 1)
#define EXPECT_NEAR(a, b, error) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_near(#a, #b, #error, a, b, error), 0)
#define ASSERT_NEAR(a, b, error) \
  MOTE_GTEST_CHECK_(::testing::internal::compare_near(#a, #b, #error, a, b, error), 1)

#define FAIL() MOTE_GTEST_FAILURE_1("Failed")
#define ADD_FAILURE() MOTE_GTEST_FAILURE_0("Failed")
#define GTEST_FAIL() FAIL()
#define SUCCEED() ::testing::internal::SuccessHelper() = ::testing::Message()
#define GTEST_SKIP() \
  return ::testing::internal::SkipHelper(__FILE__, __LINE__) = ::testing::Message()

#define SCOPED_TRACE(message)                                                                      \
  const ::testing::ScopedTrace MOTE_GTEST_CONCAT_(mote_gtest_trace_, __LINE__)(__FILE__, __LINE__, \
                                                                               (message))

#define MOTE_GTEST_CLASS_(suite, name) suite##_##name##_Test
#define MOTE_GTEST_TEST_(suite, name, parent)                                                 \
  class MOTE_GTEST_CLASS_(suite, name) : public parent {                                      \
   public:                                                                                    \
    void TestBody() override;                                                                 \
                                                                                              \
   private:                                                                                   \
    static ::testing::internal::Registration mote_gtest_registration_;                        \
  };                                                                                          \
  ::testing::internal::Registration MOTE_GTEST_CLASS_(suite, name)::mote_gtest_registration_( \
      #suite, #name, [] {                                                                     \
        MOTE_GTEST_CLASS_(suite, name) test;                                                  \
        ::testing::internal::run_test(test);                                                  \
      });                                                                                     \
  void MOTE_GTEST_CLASS_(suite, name)::TestBody()

#define TEST(suite, name) MOTE_GTEST_TEST_(suite, name, ::testing::Test)
#define TEST_F(fixture, name) MOTE_GTEST_TEST_(fixture, name, fixture)
#define GTEST_TEST(suite, name) TEST(suite, name)
