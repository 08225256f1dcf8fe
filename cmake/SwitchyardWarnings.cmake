# Warnings are errors in the project's own code (not in third-party headers,
# which come in as SYSTEM includes from Debian's packages).
function(switchyard_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
