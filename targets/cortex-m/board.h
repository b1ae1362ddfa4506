// Board support for mote's Cortex-M images under QEMU (mps2-an385, mps2-an386, micro:bit):
// console, exit code, host files and command line through semihosting; an instruction counter;
// stack high-water measurement; the memory the image leaves free. Nothing here knows about
// models: it is what any firmware or device test on these boards needs.
//
// Startup (startup.S, startup.c) paints the stack, copies .data, zeroes .bss, enables the FPU
// where there is one, runs static constructors and calls main(argc, argv) with the semihosting
// command line; main's return value becomes QEMU's exit code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mote::board {

// ---- console and exit (semihosting) ----------------------------------------------------------

// Writes `length` bytes to the host's standard output.
void write(const char* text, size_t length);
// Writes a NUL-terminated string to the host's standard output.
void print(const char* text);
// Ends the program: QEMU exits with `code` (SYS_EXIT_EXTENDED passes it through).
[[noreturn]] void exit(int code);

// ---- host files (semihosting) ----------------------------------------------------------------

constexpr int kNoFile = -1;
// Opens a host file for binary reading; kNoFile when it cannot be opened.
int open_file(const char* path);
// Length in bytes of an open file, or -1.
long file_length(int file);
// Reads up to `bytes` bytes; returns how many were read (fewer only at the end of the file).
size_t read_file(int file, void* buffer, size_t bytes);
// Creates (or truncates) a host file for binary writing; kNoFile when it cannot.
int create_file(const char* path);
// Writes `bytes` bytes; true when all were written.
bool write_file(int file, const void* data, size_t bytes);
// Closes a file opened with open_file or create_file.
void close_file(int file);

// ---- instruction counter ---------------------------------------------------------------------

// Instructions executed since startup. Exact under QEMU with -icount shift=10 (run-qemu.sh):
// derived from the board's free-running counter, which the emulator then advances by a fixed
// number of ticks per instruction (mps2: 25 MHz FPGAIO counter, 25.6 ticks per instruction).
// A call costs instruction_overhead() instructions of its own.
uint64_t instructions();
// instructions() with the signature of mote::Profiler::Clock (`user` is ignored).
uint64_t instruction_clock(void* user);
// What instructions() - instructions() reads for two back-to-back calls: subtract it from a
// measured interval to count only the code between the calls.
uint64_t instruction_overhead();
// The raw 64-bit counter (board clock ticks since power-on).
uint64_t counter_ticks();
// Counter ticks per instruction under -icount shift=10, as a fraction (mps2: 128 / 5 = 25.6).
struct TickRatio {
  uint32_t num;
  uint32_t den;
};
TickRatio ticks_per_instruction();

// ---- stack ------------------------------------------------------------------------------------

// Bytes reserved for the stack.
size_t stack_size();
// Bytes of stack in use at the caller (from the top of the stack to its frame).
size_t stack_depth();
// Deepest stack use, in bytes from the top, since startup or the last paint_stack().
size_t stack_high_water();
// Repaints the unused stack below the caller so that stack_high_water() measures from here.
void paint_stack();
// True when the stack's last word was overwritten: it has overflowed (or come within a word).
bool stack_overflowed();

// ---- memory -----------------------------------------------------------------------------------

struct Region {
  uint8_t* start;  // 16-byte aligned
  size_t bytes;
};
// RAM above .bss that the image leaves unused: an application's arena goes here.
Region free_ram();
// Flash after the image's contents. Writable only where the emulator models flash as RAM
// (mps2): a test may place a model there as if it had been programmed with the image. Empty on
// boards whose flash the image cannot write.
Region free_flash();
// The memory profile the image was linked for (MOTE_FLASH_BYTES, MOTE_RAM_BYTES).
size_t flash_bytes();
size_t ram_bytes();

// The board's name, e.g. "mps2-an386".
const char* name();

}  // namespace mote::board
