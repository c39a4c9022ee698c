# CMake toolchain file: compile C through lazycc (a drop-in clang-22 driver).
#
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=/path/to/lazycc/wrappers/cmake/lazycc-toolchain.cmake
#
# Same effect without this file:
#   cmake -S . -B build -DCMAKE_C_COMPILER=lazycc
#
# Launcher alternative (CMake sees the real clang as the compiler and runs
# `lazycc /usr/bin/clang-22 <args>` for every compile; lazycc recognises the
# launcher form and drives that clang):
#   cmake -S . -B build -DCMAKE_C_COMPILER=clang-22 -DCMAKE_C_COMPILER_LAUNCHER=lazycc
#
# lazycc identifies as Clang (its probes -v/--version/-dumpversion and the
# compiler-identification compile go to clang untouched or produce the same
# object), so CMAKE_C_COMPILER_ID is "Clang" either way. Only C goes through
# lazycc; CMAKE_CXX_COMPILER is left alone.
#
# Settings are environment variables read at build time (LAZYCC_DIR,
# LAZYCC_DISABLE, LAZYCC_POLICY, LAZYCC_LOG, ...): make and ninja pass the
# shell's environment to every compile, so nothing needs to be set here.
#
# Overrides:
#   -DLAZYCC_EXECUTABLE=/path/to/lazycc   (or the LAZYCC_EXECUTABLE environment variable)

if(NOT LAZYCC_EXECUTABLE AND DEFINED ENV{LAZYCC_EXECUTABLE})
  set(LAZYCC_EXECUTABLE "$ENV{LAZYCC_EXECUTABLE}")
endif()
if(NOT LAZYCC_EXECUTABLE)
  # This file is read again for every try_compile project: keep the result.
  find_program(LAZYCC_EXECUTABLE NAMES lazycc DOC "lazycc compiler driver")
endif()
if(NOT LAZYCC_EXECUTABLE)
  message(FATAL_ERROR "lazycc-toolchain.cmake: `lazycc` not found on PATH; "
                      "pass -DLAZYCC_EXECUTABLE=/path/to/lazycc")
endif()

set(CMAKE_C_COMPILER "${LAZYCC_EXECUTABLE}")
# try_compile projects get the toolchain file again, and need the variable.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES LAZYCC_EXECUTABLE)
