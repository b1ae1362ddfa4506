// The interpolating int16 tables and the reciprocal used by softmax, against hand-worked values
// and double precision.
#include "runtime/kernels/internal/lookup_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "runtime/kernels/internal/reciprocal.h"

namespace mote::kernels {
namespace {

TEST(Int16Lut, LookupInterpolatesBetweenEntries) {
  int16_t lut[kInt16LutSize] = {};
  lut[255] = -50;
  lut[256] = 100;
  lut[257] = 228;
  EXPECT_EQ(int16_lut_lookup(0, lut), 100);     // entry 256, offset 0
  EXPECT_EQ(int16_lut_lookup(64, lut), 164);    // halfway: 100 + 128 · 64/128
  EXPECT_EQ(int16_lut_lookup(1, lut), 101);     // 100 + (128 + 64) >> 7
  EXPECT_EQ(int16_lut_lookup(-1, lut), 99);     // entry 255 offset 127: -50 + 150·127/128
  EXPECT_EQ(int16_lut_lookup(-128, lut), -50);  // entry 255, offset 0
}

float identity(float x) { return x; }
float exp_of(float x) { return std::exp(x); }

TEST(Int16Lut, IdentityTableReproducesItsInput) {
  // Input and output both on scale 1/32768: the table is the identity, within one step after
  // interpolation.
  int16_t lut[kInt16LutSize];
  populate_int16_lut(1.0f / 32768, 0, 1.0f / 32768, 0, identity, lut);
  for (int v = -32768; v <= 32767; v += 7) {
    EXPECT_NEAR(int16_lut_lookup(static_cast<int16_t>(v), lut), v, 1) << v;
  }
}

TEST(Int16Lut, ExpTableOfSoftmax) {
  // exp over [-10, 0] onto [-1, 1]: within a few steps of 2/65535 everywhere.
  int16_t lut[kInt16LutSize];
  populate_int16_lut(10.0f / 65535, 32767, 2.0f / 65535, 0, exp_of, lut);
  for (int v = -32768; v <= 32767; v += 5) {
    const double x = 10.0 / 65535 * (v - 32767);
    EXPECT_NEAR(int16_lut_lookup(static_cast<int16_t>(v), lut), std::exp(x) * 65535 / 2, 6) << v;
  }
}

TEST(Reciprocal, CountLeadingZeros) {
  EXPECT_EQ(count_leading_zeros(0), 32);
  EXPECT_EQ(count_leading_zeros(1), 31);
  EXPECT_EQ(count_leading_zeros(0x80000000u), 0);
  EXPECT_EQ(count_leading_zeros(0x00010000u), 15);
}

TEST(Reciprocal, MatchesDoubleOverManyMagnitudes) {
  // x in Q12.19 from 1/2^19 to nearly 4096.
  for (int64_t raw = 1; raw < (int64_t{1} << 31); raw = raw * 3 + 1) {
    int n;
    const int32_t r = get_reciprocal(static_cast<int32_t>(raw), 12, &n);
    const double x = static_cast<double>(raw) / (1 << 19);
    const double reciprocal = std::ldexp(static_cast<double>(r) / 2147483648.0, -n);
    EXPECT_NEAR(reciprocal * x, 1.0, 1e-8) << raw;
  }
}

}  // namespace
}  // namespace mote::kernels
