# Runs two programs and fails unless both succeed and print the same text.
# cmake -DFIRST=<exe> -DSECOND=<exe> -P compare_outputs.cmake
execute_process(COMMAND "${FIRST}" OUTPUT_VARIABLE first RESULT_VARIABLE first_rc)
execute_process(COMMAND "${SECOND}" OUTPUT_VARIABLE second RESULT_VARIABLE second_rc)
if(NOT first_rc EQUAL 0 OR NOT second_rc EQUAL 0)
  message(FATAL_ERROR "exit codes ${first_rc} and ${second_rc}:\n${first}\n${second}")
endif()
if(NOT first STREQUAL second)
  message(FATAL_ERROR "the builds differ:\n  ${FIRST}: ${first}  ${SECOND}: ${second}")
endif()
message(STATUS "identical: ${first}")
