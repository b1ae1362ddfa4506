#include "tests/support/golden_compare.h"

#include <cmath>
#include <cstring>

#include "runtime/core/format.h"

namespace mote::testing {

void OutputComparison::add(const uint8_t* actual, const uint8_t* expected, size_t n) {
  if (is_float_) {
    for (size_t k = 0; k + sizeof(float) <= n; k += sizeof(float)) {
      float a, e;
      std::memcpy(&a, actual + k, sizeof(float));
      std::memcpy(&e, expected + k, sizeof(float));
      const double difference = std::fabs(static_cast<double>(a) - static_cast<double>(e));
      // Written so that a NaN on either side (a NaN difference) counts as a mismatch, unless
      // both sides hold the same bits.
      const bool same_bits = std::memcmp(actual + k, expected + k, sizeof(float)) == 0;
      if (!same_bits && !(difference <= kGoldenFloatTolerance)) {
        if (mismatches_++ == 0) {
          first_ = (bytes_ + k) / sizeof(float);
          first_actual_ = a;
          first_expected_ = e;
        }
      }
      if (difference > worst_) worst_ = difference;
    }
  } else {
    for (size_t k = 0; k < n; ++k) {
      if (actual[k] != expected[k] && mismatches_++ == 0) {
        first_ = bytes_ + k;
        first_actual_ = actual[k];
        first_expected_ = expected[k];
      }
    }
  }
  bytes_ += n;
}

size_t OutputComparison::describe(char* out, size_t capacity) const {
  if (passed()) {
    return is_float_ ? format_message(out, capacity, "%zu floats within %g (worst %g)",
                                      bytes_ / sizeof(float), kGoldenFloatTolerance, worst_)
                     : format_message(out, capacity, "%zu bytes identical", bytes_);
  }
  if (is_float_) {
    return format_message(out, capacity,
                          "%zu of %zu floats differ by more than 1e-5 (worst %g), first at "
                          "element %zu (got %.9g, TFLM %.9g)",
                          mismatches_, bytes_ / sizeof(float), worst_, first_, first_actual_,
                          first_expected_);
  }
  return format_message(
      out, capacity, "%zu of %zu bytes differ, first at byte %zu (got %d, TFLM %d)", mismatches_,
      bytes_, first_, static_cast<int>(first_actual_), static_cast<int>(first_expected_));
}

}  // namespace mote::testing
