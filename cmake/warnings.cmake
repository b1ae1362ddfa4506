# Warnings are errors on mote's own code (not on generated or third-party headers).
function(mote_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
