#!/usr/bin/env bash
# tests/cli/pg_diff_property.sh — owns: the PostgreSQL property test of `dbsage diff`:
# a few hundred random schema pairs (tests/gen/schema_pair_gen.c, one schema per
# pair, a batch per database) hold up == TO, idempotence and down == FROM against
# the test cluster.  Seeded and reproducible; see tests/cli/diff_property.inc.
#   DBSAGE_PROP_SEED=1234 DBSAGE_PROP_PAIRS=1 bash tests/cli/pg_diff_property.sh
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/diff_property.inc"

DIALECT=pg
pg_url >/dev/null

rt_new_db() { pg_new_db "$1"; }

rt_apply() {
    PGOPTIONS='-c client_min_messages=warning' psql "$1" -X -q -v ON_ERROR_STOP=1 \
        -f "$2" >"$T/.apply.out" 2>&1
}

prop_main
