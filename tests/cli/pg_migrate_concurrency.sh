#!/usr/bin/env bash
# tests/cli/pg_migrate_concurrency.sh — owns: concurrent `dbsage migrate up` on
# one PostgreSQL database (issue 4 acceptance).
#
# Eight processes run `up` at the same time over 20 migrations; four sleep
# (pg_sleep(0.05)) so the runs overlap, and migration 010 waits on an advisory
# lock (4242, 1) that the test holds: while it waits, the test checks that all
# eight processes are connected (seven waiting for the migration lock), that
# exactly 001..009 are recorded, and only then opens the gate — no fixed sleeps.
# Every migration creates its own table and inserts one row into `log` (no
# unique key: a second run would add a row or fail on CREATE TABLE).  Expected:
# all eight exit 0 without an error message; dbsage_migrations and log hold each
# version exactly once, in version order; no advisory lock is left behind.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
URL=$(pg_new_db migconc)
M=$T/migrations
mkdir -p "$M"
pg_sql "$URL" "CREATE TABLE log (seq bigserial PRIMARY KEY, version text NOT NULL,
                                 backend int NOT NULL DEFAULT pg_backend_pid())" >/dev/null

for ((i = 1; i <= 20; i++)); do
    v=$(printf '%03d' "$i")
    extra=""
    if ((i % 5 == 3)); then extra="SELECT pg_sleep(0.05);"; fi
    if ((i == 10)); then extra="SELECT pg_advisory_xact_lock(4242, 1);"; fi
    cat >"$M/${v}_step_$i.sql" <<EOF
-- migrate:up
CREATE TABLE t_$v (id integer PRIMARY KEY);
$extra
INSERT INTO log (version) VALUES ('$v');

-- migrate:down
DELETE FROM log WHERE version = '$v';
DROP TABLE t_$v;
EOF
done

PIDS=()
GATE_PID=""
kill_leftovers() {
    local p
    for p in "${PIDS[@]}" $GATE_PID; do kill -9 "$p" 2>/dev/null || true; done
}
on_exit kill_leftovers

# The gate: a psql session holding advisory lock (4242, 1), fed through a fifo.
mkfifo "$T/gate.fifo"
psql "$URL" -X -q -v ON_ERROR_STOP=1 <"$T/gate.fifo" >"$T/gate.out" 2>&1 &
GATE_PID=$!
exec 7>"$T/gate.fifo"
echo "SELECT pg_advisory_lock(4242, 1);" >&7
gate_held() {
    [[ $(pg_sql "$URL" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                          AND classid = 4242 AND objid = 1 AND objsubid = 2") == 1 ]]
}
for ((n = 0; n < 600; n++)); do gate_held && break; sleep 0.05; done
gate_held && pass "the test holds the gate lock" || fail "the test could not take the gate lock"

for ((k = 1; k <= 8; k++)); do
    "$DBSAGE" migrate --url "$URL" --dir "$M" up >"$T/p$k.out" 2>"$T/p$k.err" &
    PIDS[$k]=$!
done

# Wait (bounded; the default --lock-timeout is 60 s) until migration 010 waits at
# the gate and all eight processes are connected.
at_gate() {
    [[ $(pg_sql "$URL" "SELECT count(*) FROM pg_stat_activity
                          WHERE datname = current_database() AND pid <> pg_backend_pid()
                            AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock(4242, 1)%'") == 1 ]]
}
clients() {
    pg_sql "$URL" "SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND backend_type = 'client backend' AND application_name <> 'psql'"
}
for ((n = 0; n < 600; n++)); do
    at_gate && (($(clients) >= 8)) && break
    sleep 0.05
done
if at_gate; then pass "migration 010 is running and waits at the gate"; else fail "migration 010 never reached the gate"; fi
n=$(clients)
if ((n >= 8)); then pass "all 8 processes are connected at the same time"; else fail "only $n of 8 processes connected while 010 runs"; fi
assert_eq "$(seq -f '%03g' 1 9)" "$(pg_sql "$URL" "SELECT version FROM dbsage_migrations ORDER BY version")" \
    "while 010 runs, exactly 001..009 are recorded"
assert_eq "9" "$(pg_sql "$URL" "SELECT count(*) FROM log")" "while 010 runs, 9 log rows are visible"

echo "SELECT pg_advisory_unlock(4242, 1);" >&7
exec 7>&-
wait "$GATE_PID" || true
GATE_PID=""

codes=()
errs=""
for ((k = 1; k <= 8; k++)); do
    rc=0
    wait "${PIDS[$k]}" || rc=$?
    codes+=("$rc")
    if grep -qi 'error' "$T/p$k.err"; then errs+="process $k: $(cat "$T/p$k.err")"$'\n'; fi
done
assert_eq "0 0 0 0 0 0 0 0" "${codes[*]}" "all 8 processes exit 0"
assert_eq "" "$errs" "no process reported an error"
if [[ ${codes[*]} != "0 0 0 0 0 0 0 0" ]]; then
    for ((k = 1; k <= 8; k++)); do echo "--- process $k stderr:" >&2; head -n 20 "$T/p$k.err" >&2; done
fi

expect_once() {
    local want
    want=$(seq -f '%03g' 1 20)
    assert_eq "20" "$(pg_sql "$URL" "SELECT count(*) FROM dbsage_migrations")" "20 tracking rows"
    assert_eq "$want" "$(pg_sql "$URL" "SELECT version FROM dbsage_migrations ORDER BY version")" \
        "each version tracked once"
    assert_eq "20" "$(pg_sql "$URL" "SELECT count(*) FROM log")" "20 log rows: every migration ran exactly once"
    assert_eq "$want" "$(pg_sql "$URL" "SELECT version FROM log ORDER BY seq")" "migrations ran in version order"
    assert_eq "0" "$(pg_sql "$URL" "SELECT count(*) FROM dbsage_migrations WHERE execution_ms IS NULL")" \
        "no tracking row is dirty"
    assert_eq "20" "$(pg_sql "$URL" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'")" \
        "20 migration tables"
}
expect_once
# the backends of the finished processes end asynchronously: wait (bounded) for them
for ((n = 0; n < 600; n++)); do (($(clients) == 0)) && break; sleep 0.05; done
assert_eq "0" "$(clients)" "every process's session ended"
assert_eq "0" "$(pg_sql "$URL" "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                                  WHERE l.locktype = 'advisory' AND d.datname = current_database()")" \
    "no advisory lock left behind"

assert_exit 0 "$DBSAGE" migrate --url "$URL" --dir "$M" up
expect_once
assert_exit 0 "$DBSAGE" migrate --url "$URL" --dir "$M" status --exit-code
assert_not_contains "$(cat "$OUT")" "pending" "status: nothing pending"
