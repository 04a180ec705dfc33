#!/usr/bin/env bash
# tests/cli/sqlite_diff_property.sh — owns: the SQLite property test of `dbsage diff`:
# a few hundred random schema pairs (tests/gen/schema_pair_gen.c, name-prefixed,
# a batch per database file) hold up == TO, idempotence and down == FROM.  Plans
# run with PRAGMA foreign_keys=ON in the session, as an application would.
# Seeded and reproducible; see tests/cli/diff_property.inc.
#   DBSAGE_PROP_SEED=1234 DBSAGE_PROP_PAIRS=1 bash tests/cli/sqlite_diff_property.sh
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/diff_property.inc"

DIALECT=sqlite

rt_new_db() { sqlite_new_db; }

rt_apply() {
    { echo 'PRAGMA foreign_keys=ON;'; cat -- "$2"; } | sqlite3 -bail "$1" >"$T/.apply.out" 2>&1
}

prop_main
