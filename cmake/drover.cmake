# drover_library(): one CMake target per source folder, with layering enforced by the build.
#
# Every target sees only the include roots of the targets it links. The include root of a target is
# a folder under ${CMAKE_BINARY_DIR}/inc/<target>/ that holds a symbolic link named after the
# folder's path in the repository (e.g. inc/cc_diag/compiler/diag -> <src>/compiler/diag). So
# `#include "compiler/diag/diagnostic.h"` resolves only in targets that depend on cc_diag, and an
# include that goes up a layer (compiler/ -> runtime/) fails to compile: the header is not found.

set(DROVER_INC_ROOT ${CMAKE_BINARY_DIR}/inc)

function(drover_expose_folder target folder)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${folder})
  set(root ${DROVER_INC_ROOT}/${target})
  get_filename_component(parent ${root}/${rel} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${root}/${rel})
    file(CREATE_LINK ${folder} ${root}/${rel} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
endfunction()

# The system headers most of drover's sources parse; libraries with many sources precompile them
# (drover_library ... PCH): about 1.5 s of parsing saved per source at the cost of one ~4 s header.
set(DROVER_COMMON_PCH
  <algorithm> <chrono> <functional> <map> <memory> <optional> <string> <string_view> <vector>
  <fmt/format.h> <llvm/Support/Error.h> <nlohmann/json.hpp>)

# drover_library(NAME <target> [SRCS ...] [DEPS ...] [PRIVATE_DEPS ...] [NO_WARNINGS] [PCH])
function(drover_library)
  cmake_parse_arguments(A "NO_WARNINGS;PCH" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  if(A_SRCS)
    add_library(${A_NAME} STATIC ${A_SRCS})
    target_link_libraries(${A_NAME} PUBLIC ${A_DEPS} PRIVATE ${A_PRIVATE_DEPS})
    if(NOT A_NO_WARNINGS)
      target_compile_options(${A_NAME} PRIVATE ${DROVER_WARNINGS})
    endif()
    if(A_PCH AND NOT DROVER_FUZZ)
      target_precompile_headers(${A_NAME} PRIVATE ${DROVER_COMMON_PCH})
      # Through a precompiled header GCC 12 no longer treats inlined libstdc++ code as a system
      # header, and its known false positives in char_traits/basic_string (GCC PR 105329, 105545)
      # would fail -Werror.
      target_compile_options(${A_NAME} PRIVATE -Wno-array-bounds -Wno-stringop-overflow
                                               -Wno-stringop-overread -Wno-restrict)
    endif()
  else()
    add_library(${A_NAME} INTERFACE)
    target_link_libraries(${A_NAME} INTERFACE ${A_DEPS})
  endif()
  if(A_SRCS)
    drover_expose_folder(${A_NAME} ${CMAKE_CURRENT_SOURCE_DIR})
  else()
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    set(root ${DROVER_INC_ROOT}/${A_NAME})
    get_filename_component(parent ${root}/${rel} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT EXISTS ${root}/${rel})
      file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${rel} SYMBOLIC)
    endif()
    target_include_directories(${A_NAME} INTERFACE ${root})
  endif()
endfunction()

# drover_add_subdirectories(): adds every direct subfolder that has a CMakeLists.txt, in name
# order, so that a new module needs no edit of its parent's CMakeLists.txt.
function(drover_add_subdirectories)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child ${children})
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
       AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()

# drover_test(NAME <exe> SRCS ... DEPS ... [LABELS ...]): a GoogleTest binary, discovered by ctest.
function(drover_test)
  cmake_parse_arguments(A "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} drover_test_support GTest::gmock GTest::gtest_main)
  target_compile_options(${A_NAME} PRIVATE ${DROVER_WARNINGS} ${DROVER_TEST_OPT})
  target_precompile_headers(${A_NAME} REUSE_FROM drover_test_pch)
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 120)
  endif()
  # An empty LABELS value would be dropped and shift TIMEOUT into the labels: add it only if set.
  set(props TIMEOUT ${A_TIMEOUT})
  if(A_LABELS)
    list(APPEND props LABELS "${A_LABELS}")
  endif()
  gtest_discover_tests(${A_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
