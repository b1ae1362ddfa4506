#include "runtime/kernels/internal/quantization.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "runtime/kernels/internal/fixed_point.h"

namespace mote::kernels {
namespace {

TEST(QuantizeMultiplier, SplitsIntoQ31AndShift) {
  int32_t m;
  int shift;
  quantize_multiplier(0.5, &m, &shift);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(shift, 0);
  quantize_multiplier(1.0, &m, &shift);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(shift, 1);
  quantize_multiplier(0.0, &m, &shift);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(shift, 0);
  // Below 2^-31 everything flushes to zero, as TFLite does.
  quantize_multiplier(1e-12, &m, &shift);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(shift, 0);
  // A fraction that rounds up to 1.0 moves to the next power of two.
  quantize_multiplier(0.99999999999, &m, &shift);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(shift, 1);
}

// TFLite rounds twice (the doubling high multiply, then the shift), so the result is within one
// step of the exact product, not half a step: 0.3333333 * -1 gives -1.
TEST(QuantizeMultiplier, RescalesWithinOneStep) {
  for (double real : {0.0003, 0.0123, 0.3333333, 0.75, 1.7, 12.5}) {
    int32_t m;
    int shift;
    quantize_multiplier(real, &m, &shift);
    for (int32_t x : {-100000, -12345, -1, 0, 7, 999, 123456}) {
      const double exact = x * real;
      EXPECT_LT(std::fabs(multiply_by_quantized_multiplier(x, m, shift) - exact), 1.0)
          << real << " * " << x;
    }
  }
}

TEST(ActivationRange, Relu6OnInt8) {
  int32_t low, high;
  quantized_activation_range(Activation::RELU6, 0.1f, -128, -128, 127, &low, &high);
  EXPECT_EQ(low, -128);
  EXPECT_EQ(high, -68);
  quantized_activation_range(Activation::RELU, 0.5f, 10, -128, 127, &low, &high);
  EXPECT_EQ(low, 10);
  EXPECT_EQ(high, 127);
}

TEST(ActivationRange, TinyScalesClampInsteadOfOverflowing) {
  int32_t low, high;
  quantized_activation_range(Activation::RELU6, 1e-30f, 0, -32768, 32767, &low, &high);
  EXPECT_EQ(low, 0);
  EXPECT_EQ(high, 32767);
  quantized_activation_range(Activation::RELU_N1_TO_1, 1e-30f, 0, -32768, 32767, &low, &high);
  EXPECT_EQ(low, -32768);
  EXPECT_EQ(high, 32767);
}

}  // namespace
}  // namespace mote::kernels
