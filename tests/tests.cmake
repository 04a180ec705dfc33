# tests/tests.cmake — owns: registration of unit, CLI and PostgreSQL-fixture tests.
#
# Unit tests: every tests/unit/test_*.c is a cmocka executable.
file(GLOB DBSAGE_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
# Unit tests that also apply what they build to the test PostgreSQL cluster
# (they read its URL from $DBSAGE_PG_STATE/url).
set(DBSAGE_UNIT_TESTS_WITH_PG test_emit test_db test_db_copy test_migration_schema test_copy_spec test_anon_pg)
set(DBSAGE_PG_STATE ${CMAKE_BINARY_DIR}/pgtest)
foreach(src ${DBSAGE_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE dbsage_core PkgConfig::CMOCKA)
  add_test(NAME unit.${name} COMMAND ${name})
  set_tests_properties(unit.${name} PROPERTIES ENVIRONMENT
    "DBSAGE_SOURCE_DIR=${CMAKE_SOURCE_DIR};DBSAGE_PG_STATE=${DBSAGE_PG_STATE}" LABELS unit TIMEOUT 300)
  if(name IN_LIST DBSAGE_UNIT_TESTS_WITH_PG)
    set_tests_properties(unit.${name} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
endforeach()

# PostgreSQL 15 throwaway cluster: started once per ctest run by a fixture.
add_test(NAME pg.start COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-cluster start ${DBSAGE_PG_STATE})
add_test(NAME pg.stop COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-cluster stop ${DBSAGE_PG_STATE})
set_tests_properties(pg.start PROPERTIES FIXTURES_SETUP pg LABELS pg TIMEOUT 120)
set_tests_properties(pg.stop PROPERTIES FIXTURES_CLEANUP pg LABELS pg TIMEOUT 60)

# CLI / integration tests: every tests/cli/*.sh; a script whose name starts
# with pg_ needs the PostgreSQL fixture.
file(GLOB DBSAGE_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*.sh)
list(FILTER DBSAGE_CLI_TESTS EXCLUDE REGEX "/lib\\.sh$")  # the harness, not a test
foreach(script ${DBSAGE_CLI_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME cli.${name} COMMAND bash ${script})
  set_tests_properties(cli.${name} PROPERTIES
    ENVIRONMENT "DBSAGE=$<TARGET_FILE:dbsage>;DBSAGE_SOURCE_DIR=${CMAKE_SOURCE_DIR};DBSAGE_PG_STATE=${DBSAGE_PG_STATE};DBSAGE_BUILD_DIR=${CMAKE_BINARY_DIR}"
    TIMEOUT 600
    LABELS cli
    SKIP_RETURN_CODE 77)  # lib.sh `skip`
  if(name MATCHES "^pg_")
    set_tests_properties(cli.${name} PROPERTIES FIXTURES_REQUIRED pg LABELS "cli;pg")
  endif()
endforeach()

# The random schema-pair generator of the diff property tests
# (tests/cli/*_diff_property.sh find it in DBSAGE_BUILD_DIR).
add_executable(schema_pair_gen ${CMAKE_SOURCE_DIR}/tests/gen/schema_pair_gen.c)
