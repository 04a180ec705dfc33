# fuzz/fuzz.cmake — owns: the libFuzzer build (-DDBSAGE_FUZZ=ON, clang only).
#
# dbsage_core is instrumented for coverage (fuzzer-no-link) and built with
# ASan+UBSan; each fuzz/fuzz_*.c becomes a libFuzzer executable.  CTest runs
# each for a short smoke session (label "fuzz"):
#     fuzz.smoke.<target>   -max_total_time=20 on a copy of fuzz/corpus/<target>
# (SQL targets also get the dictionary fuzz/corpus/sql.dict).  Crash
# reproducers land in <build>/fuzz-artifacts/<target>/; replay one with
#     <build>/<target> <build>/fuzz-artifacts/<target>/crash-...
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "DBSAGE_FUZZ=ON needs clang (configure with CC=clang)")
endif()

set(DBSAGE_FUZZ_SANITIZERS address,undefined)
set(DBSAGE_FUZZ_TIME 20 CACHE STRING "seconds per fuzz smoke test")

target_compile_options(dbsage_core PRIVATE
  -fsanitize=fuzzer-no-link,${DBSAGE_FUZZ_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer)
# everything linked with the instrumented library needs the sanitizer runtimes
target_link_options(dbsage_core INTERFACE -fsanitize=${DBSAGE_FUZZ_SANITIZERS})

file(GLOB DBSAGE_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
# `cmake --build B --target fuzz_all` builds just the fuzzers
add_custom_target(fuzz_all)
foreach(src ${DBSAGE_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE
    -fsanitize=fuzzer,${DBSAGE_FUZZ_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,${DBSAGE_FUZZ_SANITIZERS})
  target_link_libraries(${name} PRIVATE dbsage_core)
  add_dependencies(fuzz_all ${name})

  set(dict "")
  if(name MATCHES "_sql$")
    set(dict -dict=${CMAKE_SOURCE_DIR}/fuzz/corpus/sql.dict)
  endif()
  set(work ${CMAKE_BINARY_DIR}/fuzz-work/${name})
  set(artifacts ${CMAKE_BINARY_DIR}/fuzz-artifacts/${name})
  # fresh copy of the seed corpus, run inside it (specs fuzzed by fuzz_url
  # are relative paths; SQLite ATTACH would create files here), stdin closed.
  add_test(NAME fuzz.smoke.${name}
    COMMAND bash -c [[
      set -eu
      rm -rf "$1" && mkdir -p "$1/corpus" "$2"
      cp -R "$3"/. "$1/corpus/"
      cd "$1"
      exec "$4" -max_total_time="$5" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
           -artifact_prefix="$2/" "${@:6}" corpus </dev/null
    ]] fuzz-smoke ${work} ${artifacts} ${CMAKE_SOURCE_DIR}/fuzz/corpus/${name}
         $<TARGET_FILE:${name}> ${DBSAGE_FUZZ_TIME} ${dict})
  set_tests_properties(fuzz.smoke.${name} PROPERTIES
    LABELS fuzz
    TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endforeach()
