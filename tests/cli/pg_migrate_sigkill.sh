#!/usr/bin/env bash
# tests/cli/pg_migrate_sigkill.sh — owns: SIGKILL in the middle of `dbsage migrate
# up` on PostgreSQL (issue 4 acceptance).
#
# Part 1, transactional: migration 003 creates a table and logs '003-first', then
# SELECT pg_sleep(3), then logs '003-second'.  The test polls pg_stat_activity
# until a backend runs that pg_sleep (so the statements before it have run) and
# SIGKILLs the dbsage process.  The orphaned backend notices the lost client when
# its sleep ends and rolls back; the test waits for it to go (polling).  Expected:
# the database is at 002 (tracking rows, no table c, no '003-first'), no advisory
# lock left, status shows 003 pending; the rerun (--lock-timeout 0: the lock must
# be free) applies 003 and 004 once each.
#
# Part 2, `-- dbsage:no-transaction` (005: CREATE TABLE IF NOT EXISTS, pg_sleep(3),
# CREATE INDEX CONCURRENTLY IF NOT EXISTS) killed during the sleep: the table
# stays, the index does not exist, the tracking row has execution_ms NULL and
# status shows 005 "dirty"; the rerun runs 005 again and 006; status is clean.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
URL=$(pg_new_db migkill)
M=$T/migrations
mkdir -p "$M"
pg_sql "$URL" "CREATE TABLE log (seq bigserial PRIMARY KEY, version text NOT NULL)" >/dev/null

q() { pg_sql "$URL" "$1"; }
migrate() { "$DBSAGE" migrate --url "$URL" --dir "$M" "$@"; }
state_of() { # VERSION: its STATE column in `status`
    migrate status 2>/dev/null | awk -v v="$1" '$1 == v { print $3 }' || true
}
tracked() { q "SELECT string_agg(version, ',' ORDER BY version) FROM dbsage_migrations"; }
logged() { q "SELECT string_agg(version, ',' ORDER BY seq) FROM log"; }

simple() { # VERSION NAME
    printf -- '-- migrate:up\nCREATE TABLE t_%s (id integer);\nINSERT INTO log (version) VALUES (%s);\n\n-- migrate:down\nDROP TABLE t_%s;\n' \
        "$1" "'$1'" "$1" >"$M/$1_$2.sql"
}
simple 001 one
simple 002 two
cat >"$M/003_slow.sql" <<'EOF'
-- migrate:up
CREATE TABLE c (id integer PRIMARY KEY);
INSERT INTO log (version) VALUES ('003-first');
SELECT pg_sleep(3);
INSERT INTO log (version) VALUES ('003-second');

-- migrate:down
DROP TABLE c;
EOF
simple 004 four

PID=""
kill_leftover() { [[ -z $PID ]] || kill -9 "$PID" 2>/dev/null || true; }
on_exit kill_leftover

sleeping() { # a backend (not ours) of this database runs pg_sleep(3)
    [[ $(q "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state = 'active' AND query LIKE '%pg_sleep(3)%'") -ge 1 ]]
}
# wait_until COND [PID]: up to 60 s, every 50 ms (and while PID lives, when given)
wait_until() {
    local n
    for ((n = 0; n < 1200; n++)); do
        "$1" && return 0
        [[ -z ${2:-} ]] || kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
SLEEPER=""
sleeper_gone() { [[ $(q "SELECT count(*) FROM pg_stat_activity WHERE pid = $SLEEPER") == 0 ]]; }
advisory_locks() {
    q "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()"
}

# kill_in_sleep LABEL: start `up`, SIGKILL it inside pg_sleep(3), wait for its backend to end
kill_in_sleep() {
    "$DBSAGE" migrate --url "$URL" --dir "$M" up >"$T/up-$1.out" 2>"$T/up-$1.err" & # not the function: $! must be dbsage
    PID=$!
    if wait_until sleeping "$PID"; then pass "up is inside $1 (pg_sleep running)"; else fail "up never reached $1"; fi
    assert_eq "1" "$(advisory_locks)" "the migration lock is held"
    SLEEPER=$(q "SELECT coalesce(min(pid), 0) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND state = 'active' AND query LIKE '%pg_sleep(3)%'")
    assert_eq dbsage "$(cat "/proc/$PID/comm" 2>/dev/null)" "the process killed is dbsage itself"
    kill -9 "$PID"
    local rc=0
    wait "$PID" || rc=$?
    PID=""
    assert_eq 137 "$rc" "up died of SIGKILL"
    if wait_until sleeper_gone; then pass "the orphaned backend ended"; else fail "the orphaned backend is still running"; fi
}

# ---- part 1: SIGKILL inside a transactional migration --------------------------------

kill_in_sleep 003
assert_eq "001,002" "$(tracked)" "tracking: the database is at 002"
assert_eq "001,002" "$(logged)" "003's first statements were rolled back (no '003-first')"
assert_eq "" "$(q "SELECT to_regclass('public.c')")" "003's table c was rolled back"
assert_eq "0" "$(advisory_locks)" "no advisory lock left"
assert_eq "pending" "$(state_of 003)" "status: 003 pending"
assert_exit 1 migrate status --exit-code

assert_exit 0 migrate --lock-timeout 0 up
assert_eq "001,002,003,004" "$(tracked)" "rerun: 003 and 004 recorded"
assert_eq "001,002,003-first,003-second,004" "$(logged)" "rerun: every statement ran exactly once"
assert_eq "c" "$(q "SELECT to_regclass('public.c')")" "rerun: table c exists"

# ---- part 2: SIGKILL inside a no-transaction migration -------------------------------

cat >"$M/005_notx.sql" <<'EOF'
-- dbsage:no-transaction
-- migrate:up
CREATE TABLE IF NOT EXISTS nt (id integer PRIMARY KEY, n integer);
SELECT pg_sleep(3);
CREATE INDEX CONCURRENTLY IF NOT EXISTS nt_n_idx ON nt (n);

-- migrate:down
DROP TABLE nt;
EOF
simple 006 six

kill_in_sleep 005
assert_eq "1" "$(q "SELECT count(*) FROM dbsage_migrations WHERE version = '005' AND execution_ms IS NULL")" \
    "005's tracking row stays, execution_ms NULL"
assert_eq "nt" "$(q "SELECT to_regclass('public.nt')")" "005's first statement stays (no transaction)"
assert_eq "" "$(q "SELECT to_regclass('public.nt_n_idx')")" "005's last statement never ran"
assert_eq "0" "$(q "SELECT count(*) FROM dbsage_migrations WHERE version = '006'")" "006 not applied"
assert_eq "0" "$(advisory_locks)" "no advisory lock left"
assert_eq "dirty" "$(state_of 005)" "status: 005 dirty"
assert_contains "$(migrate history 2>&1 | awk '$1 == "005"')" "dirty" "history: 005 dirty"
assert_exit 1 migrate status --exit-code

assert_exit 0 migrate --lock-timeout 0 up
assert_contains "$(cat "$ERR")" "005" "rerun warns about the interrupted 005"
assert_eq "applied" "$(state_of 005)" "rerun: 005 applied"
assert_eq "applied" "$(state_of 006)" "rerun: 006 applied"
assert_eq "0" "$(q "SELECT count(*) FROM dbsage_migrations WHERE execution_ms IS NULL")" "no dirty row left"
assert_eq "nt_n_idx" "$(q "SELECT to_regclass('public.nt_n_idx')")" "rerun: 005's index exists"
assert_eq "t" "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.nt_n_idx'::regclass")" \
    "rerun: the index is valid"
assert_eq "001,002,003-first,003-second,004,006" "$(logged)" "log: 006 ran once"
assert_exit 0 migrate status --exit-code
