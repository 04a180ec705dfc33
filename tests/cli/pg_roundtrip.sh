#!/usr/bin/env bash
# tests/cli/pg_roundtrip.sh — owns: the PostgreSQL round-trip acceptance suite.
# Every fixture in tests/fixtures/pg (a .sql file, or a directory of .sql files
# applied in version order): inspect of the files == inspect of a database they were
# applied to == inspect of a database the emitted SQL was applied to == inspect of a
# database the SQL emitted from that one was applied to; that last emission is a
# fixed point. Steps: tests/cli/roundtrip.inc.
# Run one fixture: DBSAGE_FIXTURES='18_enums' (space separated substrings).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/roundtrip.inc"

DIALECT=pg
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/pg
MIN_FIXTURES=28
DB_LABEL=PostgreSQL
APPLY_TOOL=psql
admin=$(pg_url)

rt_new_db() { pg_new_db "$1"; }
rt_apply() { pg_apply "$1" "$2"; }

# an empty catalog would make every comparison trivially true
rt_object_count() {
    jq '[.schemas, .tables, .enums, .domains, .composites, .sequences, .views,
         .functions, .extensions] | map(length? // 0) | add' "$1"
}

rt_main
