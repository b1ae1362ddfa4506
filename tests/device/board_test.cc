// The board support every device test relies on: command line, host files, stack measurement
// and the memory regions the linker script leaves free.
//   board_test GOLDEN_DIR
#include <cstdint>
#include <cstring>

#include "targets/cortex-m/board.h"
#include "tests/device/device_print.h"

namespace {

using mote::testing::print;

int failures = 0;

void check(bool ok, const char* what) {
  print("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) ++failures;
}

constexpr size_t kBlock = 2048;

// Writes a kBlock-byte local array (volatile: it cannot be optimised away) below the caller.
__attribute__((noinline)) uint32_t use_stack() {
  volatile uint8_t block[kBlock];
  for (size_t i = 0; i < kBlock; ++i) block[i] = static_cast<uint8_t>(i);
  return block[0];
}

}  // namespace

int main(int argc, char** argv) {
  check(argc == 2, "the command line holds the image and one argument");
  if (argc != 2) return 1;

  // Host files: the manifest's header, its length, and a missing file.
  char path[256];
  std::strncpy(path, argv[1], sizeof(path) - 32);
  std::strcat(path, "/manifest.csv");
  const int file = mote::board::open_file(path);
  check(file != mote::board::kNoFile, "opens the golden manifest over semihosting");
  if (file != mote::board::kNoFile) {
    char head[11] = {};
    check(mote::board::file_length(file) > 1000, "reads its length");
    check(mote::board::read_file(file, head, 10) == 10 && std::strcmp(head, "case,model") == 0,
          "reads its first bytes");
    mote::board::close_file(file);
  }
  check(mote::board::open_file("/nonexistent/mote") == mote::board::kNoFile,
        "a missing file is kNoFile");

  // Stack: a function with a 2,048-byte local array shows up in the high-water mark, within its
  // frame's few other bytes; the stack has not overflowed.
  mote::board::paint_stack();
  const size_t depth = mote::board::stack_depth();
  const size_t before = mote::board::stack_high_water();
  use_stack();
  const size_t used = mote::board::stack_high_water() - depth;
  print(
      "stack: %zu B reserved, %zu B in use at main, high water %zu B before the call, %zu B "
      "used by it\n",
      mote::board::stack_size(), depth, before, used);
  check(used >= kBlock && used <= kBlock + 32, "the high-water mark sees a 2,048-byte frame");
  check(!mote::board::stack_overflowed(), "the stack has not overflowed");

  // Memory: the free regions are aligned and inside the profile.
  const mote::board::Region ram = mote::board::free_ram();
  const mote::board::Region flash = mote::board::free_flash();
  print("profile: flash %zu B (free %zu B), RAM %zu B (free %zu B)\n", mote::board::flash_bytes(),
        flash.bytes, mote::board::ram_bytes(), ram.bytes);
  check(reinterpret_cast<uintptr_t>(ram.start) % 16 == 0, "free RAM is 16-byte aligned");
  check(ram.bytes > 0 && ram.bytes < mote::board::ram_bytes(), "free RAM is inside the profile");
  check(flash.bytes < mote::board::flash_bytes(), "free flash is inside the profile");
  if (ram.bytes > 0) {
    ram.start[0] = 0x5A;
    ram.start[ram.bytes - 1] = 0xA5;
    check(ram.start[0] == 0x5A && ram.start[ram.bytes - 1] == 0xA5, "free RAM is writable");
  }
  if (flash.bytes > 0) {
    flash.start[flash.bytes - 1] = 0x3C;
    check(flash.start[flash.bytes - 1] == 0x3C, "free flash is writable in the emulator");
  }
  print(failures == 0 ? "PASS\n" : "FAIL\n");
  return failures == 0 ? 0 : 1;
}
