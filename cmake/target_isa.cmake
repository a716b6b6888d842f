# The vector ISA kaa's code is compiled for, into KAA_TARGET_ISA (recorded in every run's
# metrics.json). Default: this host's, when it has AVX2 and FMA (-march=x86-64-v3); the kernels'
# 8-lane loops otherwise run 2 lanes wide on baseline x86-64 (SSE2). -march=native is avoided on
# purpose: with g++ 12 on these VMs it gave slow reductions and one crash (issue 16).
#   KAA_PORTABLE=ON   baseline x86-64: runs on any x86-64 machine
#   KAA_ISA=<march>   an explicit -march value (e.g. x86-64-v4), overriding both
# CUDA builds keep the host compiler's default: there the GPU does the arithmetic.
option(KAA_PORTABLE "Compile for baseline x86-64 (SSE2), not for this host's AVX2/FMA" OFF)
set(KAA_ISA "" CACHE STRING "Explicit -march value for kaa's code (empty: chosen from the host)")

set(KAA_TARGET_ISA "default")
if(NOT KAA_ISA STREQUAL "")
  set(KAA_TARGET_ISA "${KAA_ISA}")
elseif(NOT KAA_PORTABLE AND NOT Kokkos_ENABLE_CUDA AND NOT CMAKE_CROSSCOMPILING
       AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=x86-64-v3 KAA_COMPILER_HAS_X86_64_V3)
  if(KAA_COMPILER_HAS_X86_64_V3)
    # What the host can run, asked of the CPU itself (the compiler's cpu-model table).
    set(probe ${CMAKE_BINARY_DIR}/CMakeFiles/kaa_isa_probe.cpp)
    file(WRITE ${probe} "int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\") && __builtin_cpu_supports(\"bmi2\") && __builtin_cpu_supports(\"movbe\") ? 0 : 1; }\n")
    try_run(KAA_HOST_HAS_X86_64_V3 compiled ${CMAKE_BINARY_DIR} ${probe})
    if(compiled AND KAA_HOST_HAS_X86_64_V3 EQUAL 0)
      set(KAA_TARGET_ISA "x86-64-v3")
    endif()
  endif()
endif()
if(NOT KAA_TARGET_ISA STREQUAL "default")
  add_compile_options(-march=${KAA_TARGET_ISA})
endif()
message(STATUS "kaa: target ISA ${KAA_TARGET_ISA}")
