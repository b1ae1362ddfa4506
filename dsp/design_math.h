// Double-precision maths for filter design, written with + - * / only and usable in constexpr.
//
// Why not <cmath>: glibc and newlib may round tan() or sin() differently in the last bit, and a
// coefficient that rounds to a different float would make the device's filter differ from the
// training side's. These functions use only correctly rounded IEEE operations in a fixed order,
// so every compiler and target computes the same bits (and constexpr evaluation gives the same
// bits again). They are for design time, not for per-sample work.
#pragma once

namespace mote::dsp::design {

constexpr double kPi = 3.14159265358979323846264338327950288;

// The absolute value of `x`.
constexpr double abs(double x) { return x < 0.0 ? -x : x; }

// The square root of `x` (0 for x <= 0) by Newton's iteration from above, which decreases
// monotonically to the root; stops when an iteration no longer decreases.
constexpr double sqrt(double x) {
  if (!(x > 0.0)) return 0.0;
  double r = x > 1.0 ? x : 1.0;
  for (int i = 0; i < 2000; ++i) {
    const double next = 0.5 * (r + x / r);
    if (!(next < r)) break;
    r = next;
  }
  return r;
}

// sin(x) for |x| <= pi/2 by its Taylor series (the 27th-order term is below 1e-22).
constexpr double sin_reduced(double x) {
  const double x2 = x * x;
  double term = x;
  double sum = x;
  for (int n = 1; n <= 13; ++n) {
    term = -term * x2 / ((2.0 * n) * (2.0 * n + 1.0));
    sum += term;
  }
  return sum;
}

// sin(x) for any finite x of moderate size (design angles are within a few multiples of pi).
constexpr double sin(double x) {
  // Reduce to [-pi, pi], then fold into [-pi/2, pi/2] with sin(pi - x) = sin(x).
  const double turns = x / (2.0 * kPi);
  const long long k = static_cast<long long>(turns < 0.0 ? turns - 0.5 : turns + 0.5);
  double r = x - static_cast<double>(k) * 2.0 * kPi;
  if (r > kPi / 2.0) r = kPi - r;
  if (r < -kPi / 2.0) r = -kPi - r;
  return sin_reduced(r);
}

// cos(x) = sin(x + pi/2).
constexpr double cos(double x) { return sin(x + kPi / 2.0); }

// tan(x) = sin(x) / cos(x); the caller keeps x away from odd multiples of pi/2.
constexpr double tan(double x) { return sin(x) / cos(x); }

// A complex number with the few operations that pole placement needs.
struct Complex {
  double re = 0.0;
  double im = 0.0;
};

constexpr Complex operator+(Complex a, Complex b) { return {a.re + b.re, a.im + b.im}; }
constexpr Complex operator-(Complex a, Complex b) { return {a.re - b.re, a.im - b.im}; }
constexpr Complex operator*(Complex a, Complex b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
constexpr Complex operator*(double s, Complex a) { return {s * a.re, s * a.im}; }

// The principal square root of `z`, computed without cancellation.
constexpr Complex sqrt(Complex z) {
  const double r = sqrt(z.re * z.re + z.im * z.im);
  if (r == 0.0) return {0.0, 0.0};
  const double u = sqrt(0.5 * (r + abs(z.re)));
  if (z.re >= 0.0) return {u, z.im / (2.0 * u)};
  return {abs(z.im) / (2.0 * u), z.im < 0.0 ? -u : u};
}

}  // namespace mote::dsp::design
