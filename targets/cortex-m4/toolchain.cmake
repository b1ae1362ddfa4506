# Cortex-M4F (ARMv7E-M: DSP extension, single-precision FPU), emulated by QEMU's mps2-an386.
set(MOTE_TARGET cortex-m4)
set(MOTE_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(MOTE_QEMU_MACHINE mps2-an386)
include("${CMAKE_CURRENT_LIST_DIR}/../cortex-m/toolchain_common.cmake")
