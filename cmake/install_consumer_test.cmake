# CTest install_consumer: install the build tree, then configure, build and run examples/embed
# against the installed package. Arguments: BUILD_DIR, SOURCE_DIR, PREFIX_PATH, GENERATOR and
# CXX_COMPILER (kaa's own: a consumer of Kokkos must build with the compiler Kokkos was built for).
set(prefix ${BUILD_DIR}/install-test)
set(consumer ${BUILD_DIR}/consumer-test)
file(REMOVE_RECURSE ${prefix} ${consumer})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    # The start of a compiler's or linker's complaint says why; thousands of lines only bury it.
    string(SUBSTRING "${out}\n${err}" 0 6000 said)
    message(FATAL_ERROR "${what} failed (${rc}):\n${said}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

unset(ENV{DESTDIR})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
# Only the install prefix and the dependencies' prefixes: nothing from the build tree.
string(REPLACE ";" ":" dependencies "${PREFIX_PATH}")
set(ENV{CMAKE_PREFIX_PATH} "${prefix}:${dependencies}")
run("configuring the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed -B ${consumer}
    -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run("building the consumer" ${CMAKE_COMMAND} --build ${consumer})
set(ENV{OMP_PROC_BIND} false)
run("running the consumer" ${consumer}/embed ${SOURCE_DIR}/configs/base.json)
if(NOT last_output MATCHES "5 x 10 archetypes, final loss [0-9]")
  message(FATAL_ERROR "unexpected consumer output: ${last_output}")
endif()
message(STATUS "consumer: ${last_output}")
file(REMOVE_RECURSE ${prefix} ${consumer})
