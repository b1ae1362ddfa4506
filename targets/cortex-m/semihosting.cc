// Console, exit code, host files and command line through Arm semihosting (BKPT 0xAB): QEMU
// with -semihosting-config enable=on,target=native serves the calls from the host.
#include <cstring>

#include "targets/cortex-m/board.h"

namespace mote::board {
namespace {

// Operation numbers of the Arm semihosting specification (v2).
constexpr uint32_t kSysOpen = 0x01;
constexpr uint32_t kSysClose = 0x02;
constexpr uint32_t kSysWrite = 0x05;
constexpr uint32_t kSysRead = 0x06;
constexpr uint32_t kSysFlen = 0x0C;
constexpr uint32_t kSysGetCmdline = 0x15;
constexpr uint32_t kSysExitExtended = 0x20;
constexpr uint32_t kOpenReadBinary = 1;         // fopen mode "rb"
constexpr uint32_t kOpenWrite = 4;              // "w": with the name ":tt", standard output
constexpr uint32_t kOpenWriteBinary = 5;        // "wb"
constexpr uint32_t kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit

// One semihosting call: `op` in r0, a pointer to its argument block in r1, the result in r0.
int32_t call(uint32_t op, const void* args) {
  int32_t result;
  __asm__ volatile(
      "mov r0, %1\n"
      "mov r1, %2\n"
      "bkpt 0xab\n"
      "mov %0, r0\n"
      : "=r"(result)
      : "r"(op), "r"(args)
      : "r0", "r1", "memory");
  return result;
}

int32_t open_host(const char* path, uint32_t mode) {
  const uint32_t args[3] = {reinterpret_cast<uint32_t>(path), mode,
                            static_cast<uint32_t>(std::strlen(path))};
  return call(kSysOpen, args);
}

int32_t console() {
  static int32_t handle = -1;
  if (handle < 0) handle = open_host(":tt", kOpenWrite);
  return handle;
}

}  // namespace

void write(const char* text, size_t length) {
  const uint32_t args[3] = {static_cast<uint32_t>(console()), reinterpret_cast<uint32_t>(text),
                            static_cast<uint32_t>(length)};
  call(kSysWrite, args);
}

void print(const char* text) { write(text, std::strlen(text)); }

void exit(int code) {
  const uint32_t args[2] = {kApplicationExit, static_cast<uint32_t>(code)};
  call(kSysExitExtended, args);
  for (;;) {  // only reached without a semihosting host
  }
}

int open_file(const char* path) {
  const int32_t handle = open_host(path, kOpenReadBinary);
  return handle < 0 ? kNoFile : handle;
}

long file_length(int file) {
  const uint32_t args[1] = {static_cast<uint32_t>(file)};
  return call(kSysFlen, args);
}

size_t read_file(int file, void* buffer, size_t bytes) {
  const uint32_t args[3] = {static_cast<uint32_t>(file), reinterpret_cast<uint32_t>(buffer),
                            static_cast<uint32_t>(bytes)};
  // SYS_READ returns the number of bytes *not* read.
  const int32_t left = call(kSysRead, args);
  if (left < 0 || static_cast<size_t>(left) > bytes) return 0;
  return bytes - static_cast<size_t>(left);
}

int create_file(const char* path) {
  const int32_t handle = open_host(path, kOpenWriteBinary);
  return handle < 0 ? kNoFile : handle;
}

bool write_file(int file, const void* data, size_t bytes) {
  const uint32_t args[3] = {static_cast<uint32_t>(file), reinterpret_cast<uint32_t>(data),
                            static_cast<uint32_t>(bytes)};
  // SYS_WRITE returns the number of bytes *not* written.
  return call(kSysWrite, args) == 0;
}

void close_file(int file) {
  const uint32_t args[1] = {static_cast<uint32_t>(file)};
  call(kSysClose, args);
}

}  // namespace mote::board

// The command line as argc/argv for startup.c: QEMU passes the image path, then the words of
// -append. Words are split at spaces; the strings live in a static buffer.
extern "C" int mote_board_command_line(char*** argv_out) {
  static char line[1024];
  static char* argv[32];
  uint32_t args[2] = {reinterpret_cast<uint32_t>(line), sizeof(line)};
  int argc = 0;
  if (mote::board::call(mote::board::kSysGetCmdline, args) == 0) {
    char* p = line;
    while (*p != '\0' && argc < static_cast<int>(sizeof(argv) / sizeof(argv[0])) - 1) {
      while (*p == ' ') *p++ = '\0';
      if (*p == '\0') break;
      argv[argc++] = p;
      while (*p != '\0' && *p != ' ') ++p;
    }
  }
  argv[argc] = nullptr;
  *argv_out = argv;
  return argc;
}
