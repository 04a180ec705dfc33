#!/usr/bin/env bash
# tests/cli/import_cass.sh — owns: the cass-vessel end-to-end import acceptance on
# SQLite (issue 6): migrations/ + dbsage.yaml + data/ -> counts, keys, rejects,
# idempotence, resume after SIGKILL, sources untouched.  The steps are in
# import_cass.inc (shared with pg_import_cass.sh).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/import_cass.inc"

IC_MIGRATIONS=migrations
IC_SCALE=${DBSAGE_CASS_SCALE:-25}

ic_new_target() { printf 'sqlite:%s\n' "$(sqlite_new_db)"; }
ic_q() { sqlite3 -batch -bail -cmd '.timeout 20000' "${1#sqlite:}" "$2"; }

ic_main
