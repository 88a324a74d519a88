# Fuzzing and clang support (see tests/README.md, "Fuzzing").
#
# Clang, and so afl-clang-fast++ and libFuzzer, rejects Debian's ANTLR 4.9 headers
# (misc/InterpreterDataReader.h: `InterpreterData() {};` needs a deleted default constructor).
# For clang we compile against a patched copy of the headers in the build tree. A copy of the
# whole folder is needed: antlr4-runtime.h includes its siblings with quotes, which finds them
# next to itself before any -I path.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(_patched ${CMAKE_BINARY_DIR}/antlr4-patched)
  if(NOT EXISTS ${_patched}/misc/InterpreterDataReader.h)
    file(COPY ${ANTLR4_INCLUDE_DIR}/ DESTINATION ${_patched})
    file(READ ${_patched}/misc/InterpreterDataReader.h _text)
    string(REPLACE "InterpreterData() {};" "InterpreterData() = default;" _text "${_text}")
    file(WRITE ${_patched}/misc/InterpreterDataReader.h "${_text}")
  endif()
  set(DROVER_ANTLR_INCLUDE_DIR ${_patched})
else()
  set(DROVER_ANTLR_INCLUDE_DIR ${ANTLR4_INCLUDE_DIR})
endif()

# DROVER_FUZZ: builds tests/fuzz/parse_fuzz as a fuzz target. With an AFL++ compiler
# (afl-g++-fast, afl-clang-fast++) the compiler instruments everything and the target uses AFL's
# persistent mode; with plain clang it is a libFuzzer target and every library is compiled with
# -fsanitize=fuzzer-no-link for coverage.
set(DROVER_FUZZ_ENGINE "")
if(DROVER_FUZZ)
  if(CMAKE_CXX_COMPILER MATCHES "afl-")
    set(DROVER_FUZZ_ENGINE afl)
  elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(DROVER_FUZZ_ENGINE libfuzzer)
    add_compile_options(-fsanitize=fuzzer-no-link)
  else()
    message(FATAL_ERROR "DROVER_FUZZ needs CXX=afl-g++-fast, afl-clang-fast++ or clang++")
  endif()
  message(STATUS "drover: fuzz engine ${DROVER_FUZZ_ENGINE}")
endif()
