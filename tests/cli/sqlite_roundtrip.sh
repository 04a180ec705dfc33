#!/usr/bin/env bash
# tests/cli/sqlite_roundtrip.sh — owns: the SQLite round-trip acceptance suite.
# Every fixture in tests/fixtures/sqlite (a .sql file, or a directory of .sql files
# applied in version order): inspect of the files == inspect of a database file they
# were applied to == inspect of a file the emitted SQL was applied to == inspect of a
# file the SQL emitted from that one was applied to; that last emission is a fixed
# point. Steps: tests/cli/roundtrip.inc.
# Run one fixture: DBSAGE_FIXTURES='14_fts5' (space separated substrings).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/roundtrip.inc"

DIALECT=sqlite
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/sqlite
MIN_FIXTURES=16
DB_LABEL=SQLite
APPLY_TOOL=sqlite3

rt_new_db() { sqlite_new_db; }
rt_apply() { sqlite_apply "$1" "$2"; }

rt_object_count() {
    jq '[.tables, .views, .extensions] | map(length? // 0) | add' "$1"
}

rt_main
