// What libstdc++'s headers and GCC expect from the libraries Debian ships only in the 1.5 GiB
// libstdc++-arm-none-eabi-newlib: operator new/delete (on newlib's malloc), the __throw_*
// functions that header code calls without exceptions, and the C++ ABI's pure-virtual and
// static-destructor hooks. A "throw" ends the current test as a failure (as an exception that
// escapes a test body does under GoogleTest). For device test images only.
#include <malloc.h>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "targets/cortex-m/board.h"

namespace {

void* allocate(std::size_t size, std::size_t alignment) {
  if (size == 0) size = 1;
  void* p = alignment <= 8 ? std::malloc(size) : memalign(alignment, size);
  if (p == nullptr) testing::internal::abort_current_test("std::bad_alloc: the heap is exhausted");
  return p;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size, 8); }
void* operator new[](std::size_t size) { return allocate(size, 8); }
void* operator new(std::size_t size, std::align_val_t a) {
  return allocate(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return allocate(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace std {

#define MOTE_THROW_(function, type)                          \
  void function(const char* what) {                          \
    char text[192];                                          \
    std::snprintf(text, sizeof(text), "%s: %s", type, what); \
    testing::internal::abort_current_test(text);             \
  }
MOTE_THROW_(__throw_logic_error, "std::logic_error")
MOTE_THROW_(__throw_domain_error, "std::domain_error")
MOTE_THROW_(__throw_invalid_argument, "std::invalid_argument")
MOTE_THROW_(__throw_length_error, "std::length_error")
MOTE_THROW_(__throw_out_of_range, "std::out_of_range")
MOTE_THROW_(__throw_runtime_error, "std::runtime_error")
MOTE_THROW_(__throw_range_error, "std::range_error")
MOTE_THROW_(__throw_overflow_error, "std::overflow_error")
MOTE_THROW_(__throw_underflow_error, "std::underflow_error")
#undef MOTE_THROW_

void __throw_out_of_range_fmt(const char* format, ...) {
  // libstdc++'s formats use %zu, which newlib-nano's vsnprintf lacks; size_t is unsigned int
  // on these targets, so %u reads it alike.
  char plain[160];
  std::size_t n = 0;
  for (const char* p = format; *p != '\0' && n + 1 < sizeof(plain); ++p) {
    if (p[0] == 'z' && p > format && p[-1] == '%') continue;
    plain[n++] = *p;
  }
  plain[n] = '\0';
  char text[192];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof(text), plain, args);
  va_end(args);
  char with_type[224];
  std::snprintf(with_type, sizeof(with_type), "std::out_of_range: %s", text);
  testing::internal::abort_current_test(with_type);
}

void __throw_bad_alloc() { testing::internal::abort_current_test("std::bad_alloc"); }
void __throw_bad_array_new_length() {
  testing::internal::abort_current_test("std::bad_array_new_length");
}
void __throw_bad_function_call() {
  testing::internal::abort_current_test("std::bad_function_call");
}
void __throw_bad_cast() { testing::internal::abort_current_test("std::bad_cast"); }

}  // namespace std

extern "C" {

void __cxa_pure_virtual() { testing::internal::abort_current_test("pure virtual function call"); }
void __cxa_deleted_virtual() {
  testing::internal::abort_current_test("deleted virtual function call");
}

// Static objects register their destructors; a device program ends through semihosting and
// never runs them.
void* __dso_handle = nullptr;
int __aeabi_atexit(void*, void (*)(void*), void*) { return 0; }
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }

// newlib's stdio, which snprintf brings along, refers to these; nothing here opens a FILE.
int _write(int, const char*, int) { return -1; }
int _read(int, char*, int) { return -1; }
int _close(int) { return -1; }
int _lseek(int, int, int) { return -1; }
int _isatty(int) { return 0; }
int _fstat(int, void*) { return -1; }

// newlib's abort() raises SIGABRT through these.
void _exit(int code) { mote::board::exit(code); }
int _kill(int, int) { mote::board::exit(134); }
int _getpid() { return 1; }

}  // extern "C"
