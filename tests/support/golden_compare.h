// What "the same output as TFLM" means for a golden case, shared by the host golden test
// (tests/golden) and the device runner (tests/device): integer outputs equal byte for byte,
// float32 outputs within kGoldenFloatTolerance (TFLM's own x86-64 and Cortex-M float outputs
// differ by up to 1.8e-7). C++17 without heap, so that it compiles for both.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mote::testing {

constexpr double kGoldenFloatTolerance = 1e-5;

class OutputComparison {
 public:
  explicit OutputComparison(bool is_float) : is_float_(is_float) {}

  // Compares the next `n` bytes of an output (`actual`) with TFLM's (`expected`). Chunks come in
  // order; for float outputs each holds whole floats.
  void add(const uint8_t* actual, const uint8_t* expected, size_t n);

  // True when no byte (integer) or no float beyond the tolerance (float, NaN included) differs.
  bool passed() const { return mismatches_ == 0; }
  // Bytes compared so far.
  size_t bytes() const { return bytes_; }
  // Bytes (integer outputs) or floats (float outputs) that differ.
  size_t mismatches() const { return mismatches_; }
  // Largest |actual - expected| over the floats compared (0 for integer outputs).
  double worst_float_difference() const { return worst_; }
  // One line saying what differs: counts, then the first difference and its two values.
  // Returns the length written (at most capacity - 1).
  size_t describe(char* out, size_t capacity) const;

 private:
  bool is_float_;
  size_t bytes_ = 0;
  size_t mismatches_ = 0;
  size_t first_ = 0;  // byte (integer) or element (float) index of the first difference
  double first_actual_ = 0;
  double first_expected_ = 0;
  double worst_ = 0;
};

}  // namespace mote::testing
