#!/usr/bin/env bash
# tests/cli/pg_diff_roundtrip.sh — owns: the PostgreSQL `dbsage diff` acceptance suite.
# Every pair in tests/fixtures/diff/pg: apply from.sql to a fresh database, apply
# the up plan (live FROM -> to.sql), inspect == to.sql, re-diff empty; apply the
# down plan (--down from.sql to.sql), inspect == from.sql, re-diff empty.
# Pair layout and sidecar files: tests/cli/diff_roundtrip.inc.
# Run some pairs: DBSAGE_FIXTURES='017_ enum' bash tests/cli/pg_diff_roundtrip.sh
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/diff_roundtrip.inc"

DIALECT=pg
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/diff/pg
MIN_PAIRS=100
pg_url >/dev/null

rt_new_db() { pg_new_db "$1"; }

rt_apply() {
    PGOPTIONS='-c client_min_messages=warning' psql "$1" -X -q -v ON_ERROR_STOP=1 \
        -f "$2" >"$T/.apply.out" 2>&1
}

rt_query() {
    PGOPTIONS='-c client_min_messages=warning' psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -f "$2"
}

rt_main
