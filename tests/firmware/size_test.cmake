# `mote size --json` on MODEL: the kernels linked are exactly KERNELS (the generated resolver
# holds only the model's, so the linker drops the rest), the parts add up to the flash total,
# the model data holds the whole model file, and the arena in RAM is the array of exactly the
# size the device reports using (`mote run --target cortex-m4`).
#   cmake -DMOTE=... -DMODEL=... -DINPUT=... -DKERNELS=a.cc;b.cc -DWORK=... -P size_test.cmake
execute_process(COMMAND "${MOTE}" size "${MODEL}" --json --build-dir "${WORK}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE size ERROR_VARIABLE err)
message(STATUS "${size}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mote size failed (${rc}): ${err}")
endif()
string(JSON count LENGTH "${size}" kernels)
set(kernels "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON k GET "${size}" kernels ${i})
  list(APPEND kernels "${k}")
endforeach()
if(NOT kernels STREQUAL KERNELS)
  message(FATAL_ERROR "kernels linked: ${kernels}; expected ${KERNELS}")
endif()
foreach(part runtime_core kernels model_data other total)
  string(JSON ${part} GET "${size}" flash ${part})
endforeach()
math(EXPR sum "${runtime_core} + ${kernels} + ${model_data} + ${other}")
if(NOT sum EQUAL total OR runtime_core EQUAL 0 OR kernels EQUAL 0)
  message(FATAL_ERROR "flash parts ${runtime_core} + ${kernels} + ${model_data} + ${other} vs total ${total}")
endif()
file(SIZE "${MODEL}" model_bytes)
if(model_data LESS model_bytes)
  message(FATAL_ERROR "model data ${model_data} B, the model file has ${model_bytes} B")
endif()
execute_process(COMMAND "${MOTE}" run "${MODEL}" --input "${INPUT}" --target cortex-m4 --json
                        --build-dir "${WORK}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE run ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mote run --target cortex-m4 failed (${rc}): ${err}")
endif()
string(JSON arena GET "${size}" ram arena)
string(JSON used GET "${run}" arena_bytes)
if(NOT arena EQUAL used)
  message(FATAL_ERROR "the image's arena is ${arena} B; the device uses ${used} B")
endif()
message(STATUS "flash ${total} B (kernels ${kernels} B: ${KERNELS}), arena ${arena} B")
