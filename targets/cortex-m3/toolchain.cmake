# Cortex-M3 (ARMv7-M: no DSP extension, no FPU), emulated by QEMU's mps2-an385.
set(MOTE_TARGET cortex-m3)
set(MOTE_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
set(MOTE_QEMU_MACHINE mps2-an385)
include("${CMAKE_CURRENT_LIST_DIR}/../cortex-m/toolchain_common.cmake")
