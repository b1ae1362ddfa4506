// Seeded random numbers that give the same sequence with every standard library: the engine is
// std::mt19937_64 (its output is fixed by the C++ standard), but the standard's distributions are
// not (libstdc++ and libc++ turn the same bits into different numbers), so the few conversions
// the data pipeline needs are written here.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace mote::tools {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high).
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, n) for n >= 1 (rejection sampling: no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }
  // Uniform integer in [low, high] for low <= high.
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  // True with probability p.
  bool chance(double p) { return uniform() < p; }
  // exp(uniform(log low, log high)): a scale factor spread evenly over orders of magnitude.
  double log_uniform(double low, double high) {
    return std::exp(uniform(std::log(low), std::log(high)));
  }
  // A standard normal deviate (Box-Muller; the second value of each pair is kept for next time).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * 3.14159265358979323846 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace mote::tools
