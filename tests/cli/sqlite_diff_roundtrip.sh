#!/usr/bin/env bash
# tests/cli/sqlite_diff_roundtrip.sh — owns: the SQLite `dbsage diff` acceptance suite.
# Every pair in tests/fixtures/diff/sqlite: apply from.sql to a fresh file, apply the
# up plan (live FROM -> to.sql), inspect == to.sql, re-diff empty; apply the down
# plan (--down from.sql to.sql), inspect == from.sql, re-diff empty.
# Plans are applied the way an application connection would run them: with
# `PRAGMA foreign_keys=ON` in force, so a rebuild that lets a cascade fire loses the
# child rows the pairs' check.sql count.
# Pair layout and sidecar files: tests/cli/diff_roundtrip.inc.
# Run some pairs: DBSAGE_FIXTURES='023_' bash tests/cli/sqlite_diff_roundtrip.sh
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/diff_roundtrip.inc"

DIALECT=sqlite
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/diff/sqlite
MIN_PAIRS=60

rt_new_db() { sqlite_new_db; }

rt_apply() {
    { echo 'PRAGMA foreign_keys=ON;'; cat -- "$2"; } | sqlite3 -bail "$1" >"$T/.apply.out" 2>&1
}

rt_query() {
    sqlite3 -bail -list "$1" <"$2"
}

rt_main
