#!/usr/bin/env bash
# tests/cli/migrate_concurrency.sh — owns: concurrent `dbsage migrate up` on one
# SQLite file (issue 4 acceptance).
#
# Eight processes run `up` at the same time over 20 migrations (four of them slow:
# a recursive CTE of 200,000 rows).  Every migration creates its own table and
# inserts one row into `log`, which has no unique key, so a migration that ran
# twice shows up as an extra row (or as a failing CREATE TABLE).  Expected: all
# eight exit 0 without an error message, dbsage_migrations and log hold each
# version exactly once, in version order.  Round 1 starts behind a gate (the test
# holds SQLite's write lock) so that all eight are seen running at once with one
# of them holding the fcntl lock, before any migration runs.  A second round adds 5 migrations and
# starts 4 processes, then 4 more once the first new migration has committed.
# Only the fcntl lock of "<db>-dbsage.lock" serialises them (spec, issue 4).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T" # no .env / dbsage.db of the caller's directory
DB=$(sqlite_new_db)
M=$T/migrations
mkdir -p "$M"
sqlite3 "$DB" "CREATE TABLE log (seq INTEGER PRIMARY KEY, version TEXT NOT NULL)"

sq() { sqlite3 -batch -cmd '.timeout 20000' "$DB" "$1"; }

# write_migration N: NNN_step_N.sql; every 5th (003, 008, ...) is slow.
write_migration() {
    local v slow=""
    v=$(printf '%03d' "$1")
    if (($1 % 5 == 3)); then
        slow="INSERT INTO t_$v (id) WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 200000) SELECT count(*) FROM r;"
    fi
    cat >"$M/${v}_step_$1.sql" <<EOF
-- migrate:up
CREATE TABLE t_$v (id integer PRIMARY KEY);
$slow
INSERT INTO log (version) VALUES ('$v');

-- migrate:down
DELETE FROM log WHERE version = '$v';
DROP TABLE t_$v;
EOF
}

PIDS=()
GATE_PID=""
kill_leftovers() {
    local p
    for p in "${PIDS[@]}" $GATE_PID; do kill -9 "$p" 2>/dev/null || true; done
}
on_exit kill_leftovers

# start K: one background `up`, output in $T/pK.out / $T/pK.err
start() {
    "$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" up >"$T/p$1.out" 2>"$T/p$1.err" &
    PIDS[$1]=$!
}

# finish FIRST LAST: wait for processes FIRST..LAST; assert all exited 0 quietly
finish() {
    local k rc codes=() errs=""
    for ((k = $1; k <= $2; k++)); do
        rc=0
        wait "${PIDS[$k]}" || rc=$?
        codes+=("$rc")
        if grep -qi 'error' "$T/p$k.err"; then errs+="process $k: $(cat "$T/p$k.err")"$'\n'; fi
    done
    local zeros
    zeros=$(printf '0 %.0s' $(seq "$1" "$2"))
    assert_eq "${zeros% }" "${codes[*]}" "processes $1..$2 all exit 0"
    assert_eq "" "$errs" "no process $1..$2 reported an error"
    if [[ ${codes[*]} != "${zeros% }" ]]; then
        for ((k = $1; k <= $2; k++)); do
            echo "--- process $k stderr:" >&2
            head -n 20 "$T/p$k.err" >&2
        done
    fi
}

# expect_once N: tracking rows and log rows are 001..N, each once, in order
expect_once() {
    local want
    want=$(seq -f '%03g' 1 "$1")
    assert_eq "$1" "$(sq "SELECT count(*) FROM dbsage_migrations")" "$1 tracking rows"
    assert_eq "$want" "$(sq "SELECT version FROM dbsage_migrations ORDER BY version")" \
        "each version 001..$(printf '%03d' "$1") tracked once"
    assert_eq "$1" "$(sq "SELECT count(*) FROM log")" "$1 log rows: every migration ran exactly once"
    assert_eq "$want" "$(sq "SELECT version FROM log ORDER BY seq")" "migrations ran in version order"
    assert_eq "0" "$(sq "SELECT count(*) FROM dbsage_migrations WHERE execution_ms IS NULL")" \
        "no tracking row is dirty"
    local i exp="" act=""
    for ((i = 3; i <= $1; i += 5)); do
        exp+="200000 "
        act+="$(sq "SELECT group_concat(id) FROM t_$(printf '%03d' "$i")") "
    done
    assert_eq "$exp" "$act" "the slow migrations computed their full result once"
}

# ---- round 1: 8 processes at once, 20 migrations ---------------------------------

# A gate: the test holds SQLite's write lock (BEGIN IMMEDIATE in a sqlite3 fed
# through a fifo) while the 8 start, so the one that gets the migration lock
# waits on its first write (busy timeout) and the others wait for the migration
# lock.  The test sees all 8 alive, exactly one fcntl write lock on
# "<db>-dbsage.lock" and nothing recorded, then opens the gate.
writer_busy() { ! sqlite3 -batch "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }
file_locks() { # FILE: fcntl write locks (POSIX or OFD) the kernel lists on FILE
    local ino
    ino=$(stat -c %i "$1" 2>/dev/null) || { echo 0; return; }
    grep -Ec "ADVISORY +WRITE +-?[0-9]+ +[0-9a-f]+:[0-9a-f]+:$ino " /proc/locks || true
}
alive_count() {
    local k n=0
    for ((k = $1; k <= $2; k++)); do kill -0 "${PIDS[$k]}" 2>/dev/null && n=$((n + 1)); done
    echo "$n"
}
mkfifo "$T/gate.fifo"
sqlite3 -batch "$DB" <"$T/gate.fifo" >"$T/gate.out" 2>&1 &
GATE_PID=$!
exec 7>"$T/gate.fifo"
echo "BEGIN IMMEDIATE;" >&7
for ((n = 0; n < 600; n++)); do writer_busy && break; sleep 0.05; done
if writer_busy; then pass "the test holds the write lock (gate)"; else fail "the test could not take the write lock"; fi

for ((i = 1; i <= 20; i++)); do write_migration "$i"; done
for ((k = 1; k <= 8; k++)); do start "$k"; done
for ((n = 0; n < 200; n++)); do (($(file_locks "$DB-dbsage.lock") == 1)) && break; sleep 0.05; done
assert_eq "1" "$(file_locks "$DB-dbsage.lock")" "one process holds the migration lock ($DB-dbsage.lock)"
assert_eq "8" "$(alive_count 1 8)" "all 8 processes are running at the same time"
assert_eq "0" "$(sq "SELECT count(*) FROM log")" "nothing applied while the gate is closed"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$GATE_PID" || true
GATE_PID=""
finish 1 8
assert_eq "0" "$(file_locks "$DB-dbsage.lock")" "the migration lock is released at the end"
expect_once 20
assert_eq "ok" "$(sq "PRAGMA integrity_check")" "database intact"

# ---- round 2: 5 new migrations; 4 processes, then 4 more joining mid-run -----------

for ((i = 21; i <= 25; i++)); do write_migration "$i"; done
for ((k = 9; k <= 12; k++)); do start "$k"; done
# Wait (bounded) until the first new migration committed or the first four are done.
for ((n = 0; n < 600; n++)); do
    [[ $(sq "SELECT count(*) FROM log") -gt 20 ]] && break
    alive=0
    for ((k = 9; k <= 12; k++)); do kill -0 "${PIDS[$k]}" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.05
done
for ((k = 13; k <= 16; k++)); do start "$k"; done
finish 9 16
expect_once 25

# ---- afterwards: nothing left to do ------------------------------------------------

assert_exit 0 "$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" up
expect_once 25
assert_exit 0 "$DBSAGE" migrate --url "sqlite:$DB" --dir "$M" status --exit-code
assert_not_contains "$(cat "$OUT")" "pending" "status: nothing pending"
