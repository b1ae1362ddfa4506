# arm-none-eabi-gcc for Cortex-M, shared by targets/cortex-m*/toolchain.cmake. The including file
# sets MOTE_TARGET (cortex-m4, ...), MOTE_CPU_FLAGS (the -mcpu/-mfpu/-mfloat-abi it compiles for)
# and MOTE_QEMU_MACHINE (the board QEMU emulates for device tests) before including this file.
#
# The C library is newlib-nano. There is no libstdc++ (Debian ships its Cortex-M build only in
# the 1.5 GiB libstdc++-arm-none-eabi-newlib): C++ code uses libstdc++'s headers alone, so the
# link runs with -nodefaultlibs and names the C libraries itself (g++ would ask for -lstdc++).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(MOTE_SIZE_TOOL arm-none-eabi-size)
# Compiler checks build a static library: an executable would need our startup code.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_mote_common "${MOTE_CPU_FLAGS} -ffunction-sections -fdata-sections --specs=nano.specs")
set(CMAKE_C_FLAGS_INIT "${_mote_common}")
set(CMAKE_ASM_FLAGS_INIT "${MOTE_CPU_FLAGS}")
# Function-local statics need no guard on a single-threaded MCU (the guard is in libsupc++).
set(CMAKE_CXX_FLAGS_INIT "${_mote_common} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
# -O2, as TFLM's Cortex-M figures in ../shared/golden/manifest.csv were measured with. Cache
# entries, because CMake appends its own -O3 to the *_INIT values.
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_RELWITHDEBINFO "-O2 -g -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_DEBUG "-Og -g" CACHE STRING "")
endforeach()
# The link line repeats the compile flags (CPU, --specs=nano.specs); our startup replaces crt0.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -nodefaultlibs -Wl,--gc-sections")
set(CMAKE_C_STANDARD_LIBRARIES "-Wl,--start-group -lc_nano -lm -lgcc -Wl,--end-group")
set(CMAKE_CXX_STANDARD_LIBRARIES "${CMAKE_C_STANDARD_LIBRARIES}")

# Headers and libraries come from the cross toolchain only; programs (flatc) from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# CTest (and anything else that runs a target executable) goes through QEMU.
set(CMAKE_CROSSCOMPILING_EMULATOR
    "${CMAKE_CURRENT_LIST_DIR}/run-qemu.sh;--machine;${MOTE_QEMU_MACHINE}")
