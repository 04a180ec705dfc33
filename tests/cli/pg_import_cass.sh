#!/usr/bin/env bash
# tests/cli/pg_import_cass.sh — owns: the cass-vessel end-to-end import acceptance
# on PostgreSQL 15 (issue 6): migrations-pg/ + dbsage.yaml + data/ -> counts, keys,
# rejects, idempotence, resume after SIGKILL, sources untouched.  The steps are in
# import_cass.inc (shared with import_cass.sh).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
. "$DBSAGE_SOURCE_DIR/tests/cli/import_cass.inc"

IC_MIGRATIONS=migrations-pg
IC_SCALE=${DBSAGE_CASS_SCALE:-15}

ic_new_target() { pg_new_db "$1"; }
ic_q() { pg_sql "$1" "$2"; }
# pg_sleep(300) in a BEFORE INSERT trigger on the conversation's messages
ic_slow_trigger() {
    ic_q "$1" "CREATE FUNCTION slow_test() RETURNS trigger LANGUAGE plpgsql
                   AS \$\$ BEGIN PERFORM pg_sleep(300); RETURN NEW; END \$\$" >/dev/null
    ic_q "$1" "CREATE TRIGGER slow_test BEFORE INSERT ON messages FOR EACH ROW
                   WHEN (NEW.conversation_id = '$2') EXECUTE FUNCTION slow_test()" >/dev/null
}
# the killed client's backend sleeps on: end it, then drop the trigger
ic_drop_slow_trigger() {
    ic_q "$1" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()" >/dev/null
    ic_q "$1" "DROP TRIGGER slow_test ON messages; DROP FUNCTION slow_test()" >/dev/null
}

ic_main
