# Project warnings, applied per target with shouxin_warnings(target).
option(SHOUXIN_WERROR "Treat warnings as errors" OFF)

function(shouxin_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wnull-dereference -Wimplicit-fallthrough)
  if(SHOUXIN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
