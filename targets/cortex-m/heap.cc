// A heap in the free RAM, for images that use malloc (device unit tests: GoogleTest-style code,
// flatbuffers builders). Firmware built on the runtime needs none and does not link this file:
// without it, anything that pulls in malloc fails to link instead of growing a hidden heap.
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "targets/cortex-m/board.h"

extern "C" void* _sbrk(ptrdiff_t increment) {
  static uint8_t* top = nullptr;
  const mote::board::Region ram = mote::board::free_ram();
  if (top == nullptr) top = ram.start;
  if (increment > ram.start + ram.bytes - top || top + increment < ram.start) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  uint8_t* const previous = top;
  top += increment;
  return previous;
}
