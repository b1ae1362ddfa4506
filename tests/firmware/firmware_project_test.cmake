# `mote firmware` end to end: generate the project for MODEL with CASE's input baked in, build
# it with CMake (cortex-m4 toolchain), run it in QEMU and compare its outputs with CASE's golden
# outputs (TFLM's), byte for byte.
#   cmake -DMOTE=... -DMODEL=... -DCASE=... -DWORK=... -DRUN_QEMU=... -P firmware_project_test.cmake
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND "${MOTE}" firmware "${MODEL}" -o "${WORK}/project" --target cortex-m4
                        --input "${CASE}/input_0.bin"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mote firmware failed (${rc}): ${out}")
endif()
message(STATUS "${out}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${WORK}/project" -B "${WORK}/build" -G Ninja
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the generated project failed (${rc}): ${out}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/build"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the generated project failed (${rc}): ${out}")
endif()
execute_process(COMMAND "${RUN_QEMU}" --machine mps2-an386 "${WORK}/build/firmware.elf"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the firmware exited with ${rc}")
endif()
foreach(key arena_bytes instructions stack_bytes)
  if(NOT out MATCHES "\n${key}: [1-9][0-9]*\n")
    message(FATAL_ERROR "the firmware printed no ${key}")
  endif()
endforeach()
set(index 0)
while(EXISTS "${CASE}/output_${index}.bin")
  file(READ "${CASE}/output_${index}.bin" expected HEX)
  if(NOT out MATCHES "\noutput: ${index} [a-z0-9]+ [0-9]+ ([0-9a-f]*)\n")
    message(FATAL_ERROR "the firmware printed no output ${index}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL expected)
    message(FATAL_ERROR "output ${index}: firmware ${CMAKE_MATCH_1}, golden ${expected}")
  endif()
  math(EXPR index "${index} + 1")
endwhile()
if(index EQUAL 0)
  message(FATAL_ERROR "no golden outputs in ${CASE}")
endif()
message(STATUS "${index} output(s) equal to the golden outputs")
