#!/usr/bin/env bash
# tests/cli/pg_import_cass.sh — owns: the cass-vessel end-to-end import acceptance
# on PostgreSQL 15 (issue 6): migrations-pg/ + dbsage.yaml + data/ -> counts, keys,
# rejects, idempotence, resume after SIGKILL, sources untouched.  The steps are in
# import_cass.inc (shared with import_cass.sh).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/import_cass.inc"

IC_MIGRATIONS=migrations-pg
IC_SCALE=${DBSAGE_CASS_SCALE:-25}

ic_new_target() { pg_new_db "$1"; }
ic_q() { pg_sql "$1" "$2"; }

ic_main
