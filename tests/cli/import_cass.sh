#!/usr/bin/env bash
# tests/cli/import_cass.sh — owns: the cass-vessel end-to-end import acceptance on
# SQLite (issue 6): migrations/ + dbsage.yaml + data/ -> counts, keys, rejects,
# idempotence, resume after SIGKILL, sources untouched.  The steps are in
# import_cass.inc (shared with pg_import_cass.sh).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/import_cass.inc"

IC_MIGRATIONS=migrations
IC_SCALE=${DBSAGE_CASS_SCALE:-15}

ic_new_target() { printf 'sqlite:%s\n' "$(sqlite_new_db)"; }
ic_q() { sqlite3 -batch -bail -cmd '.timeout 20000' "${1#sqlite:}" "$2"; }
# a cross join of 2000^3 rows in an AFTER INSERT trigger: minutes per message
ic_slow_trigger() {
    ic_q "$1" "CREATE TABLE slow_pad (x INTEGER);
        INSERT INTO slow_pad WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 2000)
            SELECT x FROM r;
        CREATE TRIGGER slow_test AFTER INSERT ON messages WHEN NEW.conversation_id = '$2'
        BEGIN SELECT sum(a.x * b.x * c.x) FROM slow_pad a, slow_pad b, slow_pad c; END;"
}
ic_drop_slow_trigger() { ic_q "$1" "DROP TRIGGER slow_test; DROP TABLE slow_pad;"; }

ic_main
