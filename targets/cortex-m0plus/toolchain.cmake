# Cortex-M0+ (ARMv6-M: Thumb-1 plus a few 32-bit instructions, no FPU, no unaligned access).
# QEMU 7.2 has no Cortex-M0+ board; its closest is the BBC micro:bit (nRF51822: Cortex-M0, the
# same ARMv6-M instruction set, 256 KB flash and 16 KB RAM), which runs the small device tests.
set(MOTE_TARGET cortex-m0plus)
set(MOTE_CPU_FLAGS "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft")
set(MOTE_QEMU_MACHINE microbit)
include("${CMAKE_CURRENT_LIST_DIR}/../cortex-m/toolchain_common.cmake")
