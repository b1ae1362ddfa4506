// The vector table and the fault handler. No interrupts are used; every exception lands in one
// handler that names it, prints where it happened and ends the program with exit code 70, so a
// crashing test fails at once instead of hanging until its timeout.
#include <cstdint>

#include "targets/cortex-m/board.h"
#include "targets/cortex-m/startup.h"

extern "C" {
extern uint32_t __stack_top;
void mote_reset_handler();
void mote_fault_handler();
[[noreturn]] void mote_fault_report(uint32_t ipsr, const uint32_t* frame);
}

namespace {

constexpr int kFaultExitCode = 70;  // printed in the message too
constexpr int kVectors = 16 + 32;   // the core's exceptions, then the boards' 32 interrupts

using Handler = void (*)();

struct VectorTable {
  const void* initial_sp;
  Handler handlers[kVectors - 1];
};

constexpr VectorTable make_table() {
  VectorTable t{&__stack_top, {}};
  t.handlers[0] = mote_reset_handler;
  for (int i = 1; i < kVectors - 1; ++i) t.handlers[i] = mote_fault_handler;
  return t;
}

const char* exception_name(uint32_t number) {
  switch (number) {
    case 2:
      return "NMI";
    case 3:
      return "HardFault";
    case 4:
      return "MemManage fault";
    case 5:
      return "BusFault";
    case 6:
      return "UsageFault";
    case 11:
      return "SVCall";
    case 12:
      return "DebugMonitor";
    case 14:
      return "PendSV";
    case 15:
      return "SysTick";
    default:
      return number >= 16 ? "interrupt" : "reserved exception";
  }
}

void print_hex(const char* label, uint32_t value) {
  char text[12] = {' ', '0', 'x'};
  for (int i = 0; i < 8; ++i) text[3 + i] = "0123456789abcdef"[(value >> (28 - 4 * i)) & 0xF];
  mote::board::print(label);
  mote::board::write(text, 11);
}

}  // namespace

__attribute__((section(".vectors"), used)) const VectorTable mote_vector_table = make_table();

// Finds the frame the core stacked (main or process stack, from EXC_RETURN bit 2) and reports.
extern "C" __attribute__((naked)) void mote_fault_handler() {
  __asm__ volatile(
      "mrs r0, ipsr\n"
      "movs r1, #4\n"
      "mov r2, lr\n"
      "tst r2, r1\n"
      "beq 1f\n"
      "mrs r1, psp\n"
      "b 2f\n"
      "1:\n"
      "mrs r1, msp\n"
      "2:\n"
      "ldr r2, =mote_fault_report\n"
      "bx r2\n"
      ".pool\n");
}

extern "C" void mote_fault_report(uint32_t ipsr, const uint32_t* frame) {
  const uint32_t number = ipsr & 0x1FF;
  mote::board::print("\nmote board: ");
  mote::board::print(exception_name(number));
  print_hex(" at pc", frame[6]);
  print_hex(", lr", frame[5]);
#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
  // Configurable and hard fault status registers, and the faulting addresses they validate.
  print_hex(", CFSR", *reinterpret_cast<volatile uint32_t*>(0xE000ED28));
  print_hex(", HFSR", *reinterpret_cast<volatile uint32_t*>(0xE000ED2C));
  print_hex(", MMFAR", *reinterpret_cast<volatile uint32_t*>(0xE000ED34));
  print_hex(", BFAR", *reinterpret_cast<volatile uint32_t*>(0xE000ED38));
#endif
  if (mote::board::stack_overflowed()) mote::board::print(" (the stack has overflowed)");
  mote::board::print("; exit code 70\n");
  mote::board::exit(kFaultExitCode);
}
