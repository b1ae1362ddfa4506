#include "runtime/core/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace mote {
namespace {

std::string fmt(const char* format, auto... args) {
  char buffer[128];
  format_message(buffer, sizeof(buffer), format, args...);
  return buffer;
}

TEST(FormatMessage, Integers) {
  EXPECT_EQ(fmt("%d %i %u", -12, 7, 42u), "-12 7 42");
  EXPECT_EQ(fmt("%ld %lld", -5L, static_cast<long long>(INT64_MIN)), "-5 -9223372036854775808");
  EXPECT_EQ(fmt("%zu %x", static_cast<size_t>(123456), 255u), "123456 ff");
}

TEST(FormatMessage, StringsCharsPercent) {
  EXPECT_EQ(fmt("op '%s' %c 100%%", "CONV_2D", 'x'), "op 'CONV_2D' x 100%");
  // Through a volatile so that the compiler's format check cannot see the null.
  const char* volatile null_text = nullptr;
  EXPECT_EQ(fmt("%s", null_text), "(null)");
}

TEST(FormatMessage, Floats) {
  EXPECT_EQ(fmt("%f", 1.5), "1.500000");
  EXPECT_EQ(fmt("%.2f", -0.125), "-0.13");
  EXPECT_EQ(fmt("%g", 3.1e-5), "3.100000e-5");
}

TEST(FormatMessage, TruncatesAndTerminates) {
  char buffer[8];
  EXPECT_EQ(format_message(buffer, sizeof(buffer), "%s", "abcdefghijkl"), 7u);
  EXPECT_STREQ(buffer, "abcdefg");
}

}  // namespace
}  // namespace mote
