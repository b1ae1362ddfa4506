# Compiles and links the portable sources for a Cortex-M4F with newlib-nano and no C++ library.
# cmake -DCXX=arm-none-eabi-g++ -DSOURCE_DIR=<repo> -DOUT=<elf> -DSOURCES=<a|b|...> -P this
set(flags -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -std=c++17 -O2
          -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffp-contract=off
          -ffunction-sections -fdata-sections -Wall -Wextra -Werror
          --specs=nano.specs --specs=nosys.specs -nodefaultlibs -Wl,--gc-sections)
string(REPLACE "|" ";" SOURCES "${SOURCES}")
set(sources)
foreach(s IN LISTS SOURCES)
  if(IS_ABSOLUTE "${s}")
    list(APPEND sources "${s}")
  else()
    list(APPEND sources "${SOURCE_DIR}/tests/dsp/${s}")
  endif()
endforeach()
execute_process(
  COMMAND "${CXX}" ${flags} "-I${SOURCE_DIR}" ${sources} -o "${OUT}"
          -Wl,--start-group -lc_nano -lnosys -lm -lgcc -Wl,--end-group
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Cortex-M4 build failed:\n${out}${err}")
endif()
message(STATUS "Cortex-M4 image: ${OUT}")
