// The optimized kernels' one-SMLAL rescaling (runtime/kernels/optimized/requantize.h) against
// TFLite's MultiplyByQuantizedMultiplier as the reference kernels compute it, on random
// accumulators and multipliers over every shift, and on the extreme values where a shortcut
// would go wrong (INT32_MIN/MAX accumulators, ties, the largest shifts).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "runtime/kernels/internal/fixed_point.h"
#include "runtime/kernels/optimized/requantize.h"

namespace mote::kernels::optimized {
namespace {

void expect_same(int32_t x, int32_t multiplier, int shift) {
  const int32_t expected = multiply_by_quantized_multiplier(x, multiplier, shift);
  const int32_t actual = rescale(x, make_rescale(multiplier, shift));
  if (expected != actual) {
    ADD_FAILURE() << "x " << x << " multiplier " << multiplier << " shift " << shift
                  << ": reference " << expected << ", optimized " << actual;
  }
}

TEST(OptimizedRequantize, MatchesReferenceOnRandomValues) {
  std::mt19937 engine(7);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> q31(1 << 30, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> small(-100000, 100000);
  for (int shift = -31; shift <= 30; ++shift) {
    for (int i = 0; i < 400; ++i) {
      const int32_t multiplier = q31(engine);
      expect_same(any(engine), multiplier, shift);
      expect_same(small(engine), multiplier, shift);
    }
  }
}

TEST(OptimizedRequantize, MatchesReferenceOnExtremes) {
  const int32_t xs[] = {std::numeric_limits<int32_t>::min(),
                        std::numeric_limits<int32_t>::min() + 1,
                        -(1 << 30),
                        -(1 << 30) - 1,
                        -65536,
                        -3,
                        -2,
                        -1,
                        0,
                        1,
                        2,
                        3,
                        65536,
                        (1 << 30) - 1,
                        1 << 30,
                        std::numeric_limits<int32_t>::max() - 1,
                        std::numeric_limits<int32_t>::max()};
  const int32_t multipliers[] = {
      0, 1, 1 << 30, (1 << 30) + 1, 1518500250, std::numeric_limits<int32_t>::max()};
  for (int shift = -31; shift <= 30; ++shift) {
    for (const int32_t m : multipliers) {
      for (const int32_t x : xs) expect_same(x, m, shift);
    }
  }
}

// Values exactly half way between two results, where the two roundings' tie rules decide.
TEST(OptimizedRequantize, MatchesReferenceOnTies) {
  const int32_t half = 1 << 30;  // multiplier 0.5: x · 0.5 · 2^shift
  for (int shift = -12; shift <= 0; ++shift) {
    for (int32_t x = -5000; x <= 5000; ++x) expect_same(x, half, shift);
  }
}

}  // namespace
}  // namespace mote::kernels::optimized
