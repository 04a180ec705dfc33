#!/usr/bin/env bash
# tests/cli/migrate_sigkill.sh — owns: SIGKILL in the middle of `dbsage migrate up`
# on SQLite (issue 4 acceptance).
#
# Part 1, transactional: migration 003 creates a table, logs '003-first', then
# runs a recursive CTE whose length is read from knob.n (2e9 rows: minutes), then
# logs '003-second'.  The test waits until 001 and 002 are recorded and 003 holds
# the write lock (a BEGIN IMMEDIATE probe is refused), gives the first statement a
# moment, checks the process is still inside 003 and SIGKILLs it.  Expected: the
# database is at 002 (tracking rows, no table c, no '003-first'), intact; the
# migration lock is free (a rerun with --lock-timeout 0 gets it); with knob.n
# small the rerun applies 003 and 004 once each.
#
# Part 2, `-- dbsage:no-transaction` (005): statements run one by one, the
# tracking row is inserted first with execution_ms NULL.  Killed during the slow
# statement: the table of its first statement exists, the index of its last does
# not, status shows 005 "dirty", 006 not applied.  The rerun runs 005 again (its
# statements are idempotent, as such migrations must be) and 006; status is clean.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
DB=$(sqlite_new_db)
M=$T/migrations
mkdir -p "$M"
sqlite3 "$DB" "CREATE TABLE log (seq INTEGER PRIMARY KEY, version TEXT NOT NULL);
               CREATE TABLE knob (n INTEGER NOT NULL); INSERT INTO knob VALUES (2000000000);"

sq() { sqlite3 -batch -cmd '.timeout 20000' "$DB" "$1"; }
migrate() { "$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" "$@"; }
state_of() { # VERSION: its STATE column in `status`
    migrate status 2>/dev/null | awk -v v="$1" '$1 == v { print $3 }' || true
}
SLOW="WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < (SELECT n FROM knob))"

simple() { # VERSION NAME
    printf -- '-- migrate:up\nCREATE TABLE t_%s (id integer);\nINSERT INTO log (version) VALUES (%s);\n\n-- migrate:down\nDROP TABLE t_%s;\n' \
        "$1" "'$1'" "$1" >"$M/$1_$2.sql"
}
simple 001 one
simple 002 two
cat >"$M/003_slow.sql" <<EOF
-- migrate:up
CREATE TABLE c (id integer PRIMARY KEY, n integer);
INSERT INTO log (version) VALUES ('003-first');
INSERT INTO c (id, n) $SLOW SELECT 1, count(*) FROM r;
INSERT INTO log (version) VALUES ('003-second');

-- migrate:down
DROP TABLE c;
EOF
simple 004 four

# file_locked FILE: the kernel lists a write lock (fcntl: POSIX or OFD) on FILE
file_locked() {
    local ino
    ino=$(stat -c %i "$1" 2>/dev/null) || return 1
    grep -Eq "ADVISORY +WRITE +-?[0-9]+ +[0-9a-f]+:[0-9a-f]+:$ino " /proc/locks
}

PID=""
kill_leftover() { [[ -z $PID ]] || kill -9 "$PID" 2>/dev/null || true; }
on_exit kill_leftover

# poll COND_FUNCTION: up to 60 s, every 50 ms, while $PID lives; 0 when COND held
poll() {
    local n
    for ((n = 0; n < 1200; n++)); do
        "$1" && return 0
        kill -0 "$PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# ---- part 1: SIGKILL inside a transactional migration --------------------------------

writer_busy() { # someone holds SQLite's write lock (BEGIN IMMEDIATE refused at once)
    ! sqlite3 -batch "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1
}
in_003() {
    [[ $(sq "SELECT group_concat(version) FROM (SELECT version FROM dbsage_migrations ORDER BY version)" 2>/dev/null) == "001,002" ]] &&
        writer_busy
}

"$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" up >"$T/up1.out" 2>"$T/up1.err" & # not the function: $! must be dbsage
PID=$!
if poll in_003; then pass "001 and 002 recorded, 003 holds the write lock"; else fail "up never reached migration 003"; fi
sleep 0.5 # the first statements of 003 are instant; the CTE runs for minutes
if kill -0 "$PID" 2>/dev/null && in_003; then pass "still inside 003 when killed"; else fail "up left 003 before the kill"; fi
if file_locked "$DB-dbsage.lock"; then pass "the migration lock $DB-dbsage.lock is held"; else fail "no fcntl write lock on $DB-dbsage.lock"; fi
assert_eq dbsage "$(cat "/proc/$PID/comm" 2>/dev/null)" "the process killed is dbsage itself"
kill -9 "$PID"
rc=0
wait "$PID" || rc=$?
PID=""
assert_eq 137 "$rc" "up died of SIGKILL"
if file_locked "$DB-dbsage.lock"; then fail "the migration lock survived the kill"; else pass "the kill released the migration lock"; fi

assert_eq "ok" "$(sq "PRAGMA integrity_check")" "database intact after the kill"
assert_eq "001,002" "$(sq "SELECT group_concat(version) FROM (SELECT version FROM dbsage_migrations ORDER BY version)")" \
    "tracking: the database is at 002"
assert_eq "001,002" "$(sq "SELECT group_concat(version) FROM (SELECT version FROM log ORDER BY seq)")" \
    "003's first statements were rolled back (no '003-first')"
assert_eq "0" "$(sq "SELECT count(*) FROM sqlite_master WHERE name = 'c'")" "003's table c was rolled back"
assert_eq "pending" "$(state_of 003)" "status: 003 pending"
assert_exit 1 migrate status --exit-code

sq "UPDATE knob SET n = 1000"
assert_exit 0 migrate --lock-timeout 0 up
assert_eq "001,002,003,004" "$(sq "SELECT group_concat(version) FROM (SELECT version FROM dbsage_migrations ORDER BY version)")" \
    "rerun: 003 and 004 recorded"
assert_eq "001,002,003-first,003-second,004" "$(sq "SELECT group_concat(version) FROM (SELECT version FROM log ORDER BY seq)")" \
    "rerun: every statement ran exactly once"
assert_eq "1|1000" "$(sq "SELECT id, n FROM c")" "rerun: 003's slow statement completed once"

# ---- part 2: SIGKILL inside a no-transaction migration -------------------------------

cat >"$M/005_notx.sql" <<EOF
-- dbsage:no-transaction
-- migrate:up
CREATE TABLE IF NOT EXISTS nt (id integer PRIMARY KEY, n integer);
INSERT OR REPLACE INTO nt (id, n) $SLOW SELECT 1, count(*) FROM r;
CREATE INDEX IF NOT EXISTS nt_n_idx ON nt (n);

-- migrate:down
DROP TABLE nt;
EOF
simple 006 six
sq "UPDATE knob SET n = 2000000000"

in_005() {
    [[ $(sq "SELECT count(*) FROM dbsage_migrations WHERE version = '005' AND execution_ms IS NULL" 2>/dev/null) == 1 &&
       $(sq "SELECT count(*) FROM sqlite_master WHERE name = 'nt'" 2>/dev/null) == 1 ]]
}
"$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" up >"$T/up2.out" 2>"$T/up2.err" &
PID=$!
if poll in_005; then pass "005 started: dirty row and its first table"; else fail "up never reached migration 005"; fi
sleep 0.5 # the CTE of 005 runs for minutes
if kill -0 "$PID" 2>/dev/null; then pass "still inside 005 when killed"; else fail "up left 005 before the kill"; fi
assert_eq dbsage "$(cat "/proc/$PID/comm" 2>/dev/null)" "the process killed is dbsage itself"
kill -9 "$PID"
rc=0
wait "$PID" || rc=$?
PID=""
assert_eq 137 "$rc" "up died of SIGKILL"

assert_eq "ok" "$(sq "PRAGMA integrity_check")" "database intact after the kill"
assert_eq "1" "$(sq "SELECT count(*) FROM dbsage_migrations WHERE version = '005' AND execution_ms IS NULL")" \
    "005's tracking row stays, execution_ms NULL"
assert_eq "1" "$(sq "SELECT count(*) FROM sqlite_master WHERE name = 'nt'")" "005's first statement stays (no transaction)"
assert_eq "0" "$(sq "SELECT count(*) FROM sqlite_master WHERE name = 'nt_n_idx'")" "005's last statement never ran"
assert_eq "0" "$(sq "SELECT count(*) FROM dbsage_migrations WHERE version = '006'")" "006 not applied"
assert_eq "dirty" "$(state_of 005)" "status: 005 dirty"
assert_contains "$(migrate history 2>&1 | awk '$1 == "005"')" "dirty" "history: 005 dirty"
assert_exit 1 migrate status --exit-code

sq "UPDATE knob SET n = 1000"
assert_exit 0 migrate --lock-timeout 0 up
assert_contains "$(cat "$ERR")" "005" "rerun warns about the interrupted 005"
assert_eq "applied" "$(state_of 005)" "rerun: 005 applied"
assert_eq "applied" "$(state_of 006)" "rerun: 006 applied"
assert_eq "0" "$(sq "SELECT count(*) FROM dbsage_migrations WHERE execution_ms IS NULL")" "no dirty row left"
assert_eq "1|1000" "$(sq "SELECT id, n FROM nt")" "nt: one row, the complete result"
assert_eq "1" "$(sq "SELECT count(*) FROM sqlite_master WHERE name = 'nt_n_idx'")" "rerun: 005's index exists"
assert_eq "001,002,003-first,003-second,004,006" "$(sq "SELECT group_concat(version) FROM (SELECT version FROM log ORDER BY seq)")" \
    "log: 006 ran once"
assert_exit 0 migrate status --exit-code
