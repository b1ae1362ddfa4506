#include "runtime/core/format.h"

#include <cstdint>

namespace mote {
namespace {

class Writer {
 public:
  Writer(char* out, size_t capacity) : out_(out), capacity_(capacity) {}

  void put(char c) {
    if (capacity_ > 0 && length_ + 1 < capacity_) {
      out_[length_++] = c;
    }
  }

  void put_string(const char* s) {
    if (s == nullptr) s = "(null)";
    while (*s != '\0') put(*s++);
  }

  void put_unsigned(uint64_t value, unsigned base) {
    char digits[24];
    int n = 0;
    do {
      const unsigned d = static_cast<unsigned>(value % base);
      digits[n++] = static_cast<char>(d < 10 ? '0' + d : 'a' + (d - 10));
      value /= base;
    } while (value != 0);
    while (n > 0) put(digits[--n]);
  }

  void put_signed(int64_t value) {
    if (value < 0) {
      put('-');
      // Negate in unsigned arithmetic so that INT64_MIN does not overflow.
      put_unsigned(0 - static_cast<uint64_t>(value), 10);
    } else {
      put_unsigned(static_cast<uint64_t>(value), 10);
    }
  }

  // Fixed notation with `decimals` digits; very large or small magnitudes fall back to an
  // exponent so that a scale such as 3.1e-05 keeps its significant digits.
  void put_float(double value, int decimals) {
    if (value != value) {
      put_string("nan");
      return;
    }
    if (value < 0) {
      put('-');
      value = -value;
    }
    if (value > 1e18) {
      put_string("inf");
      return;
    }
    int exponent = 0;
    if (value != 0.0 && (value < 1e-3 || value >= 1e9)) {
      while (value >= 10.0) {
        value /= 10.0;
        ++exponent;
      }
      while (value < 1.0) {
        value *= 10.0;
        --exponent;
      }
    }
    double rounding = 0.5;
    for (int i = 0; i < decimals; ++i) rounding /= 10.0;
    value += rounding;
    uint64_t whole = static_cast<uint64_t>(value);
    double fraction = value - static_cast<double>(whole);
    put_unsigned(whole, 10);
    if (decimals > 0) {
      put('.');
      for (int i = 0; i < decimals; ++i) {
        fraction *= 10.0;
        const int digit = static_cast<int>(fraction);
        put(static_cast<char>('0' + digit));
        fraction -= digit;
      }
    }
    if (exponent != 0) {
      put('e');
      put_signed(exponent);
    }
  }

  size_t finish() {
    if (capacity_ > 0) out_[length_] = '\0';
    return length_;
  }

 private:
  char* out_;
  size_t capacity_;
  size_t length_ = 0;
};

}  // namespace

size_t format_message(char* out, size_t capacity, const char* format, va_list args) {
  Writer w(out, capacity);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      w.put(*p);
      continue;
    }
    ++p;
    int longs = 0;
    bool size_t_arg = false;
    int precision = 6;
    if (*p == '.') {
      ++p;
      precision = 0;
      while (*p >= '0' && *p <= '9') precision = precision * 10 + (*p++ - '0');
    }
    while (*p == 'l' || *p == 'z') {
      if (*p == 'l') ++longs;
      if (*p == 'z') size_t_arg = true;
      ++p;
    }
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v;
        if (size_t_arg) {
          v = static_cast<int64_t>(va_arg(args, size_t));
        } else if (longs >= 2) {
          v = va_arg(args, long long);
        } else if (longs == 1) {
          v = va_arg(args, long);
        } else {
          v = va_arg(args, int);
        }
        w.put_signed(v);
        break;
      }
      case 'u':
      case 'x': {
        uint64_t v;
        if (size_t_arg) {
          v = va_arg(args, size_t);
        } else if (longs >= 2) {
          v = va_arg(args, unsigned long long);
        } else if (longs == 1) {
          v = va_arg(args, unsigned long);
        } else {
          v = va_arg(args, unsigned);
        }
        w.put_unsigned(v, *p == 'x' ? 16 : 10);
        break;
      }
      case 's':
        w.put_string(va_arg(args, const char*));
        break;
      case 'c':
        w.put(static_cast<char>(va_arg(args, int)));
        break;
      case 'f':
      case 'g':
        w.put_float(va_arg(args, double), precision);
        break;
      case '%':
        w.put('%');
        break;
      case '\0':
        return w.finish();
      default:
        // An unknown conversion is printed as written, so the mistake is visible.
        w.put('%');
        w.put(*p);
        break;
    }
  }
  return w.finish();
}

size_t format_message(char* out, size_t capacity, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const size_t n = format_message(out, capacity, format, args);
  va_end(args);
  return n;
}

}  // namespace mote
