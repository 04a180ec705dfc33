#!/usr/bin/env bash
# bench/copy.sh — owns: the copy benchmark (issue 7): a 1M-row SQLite
# database (bench/gen_sqlite_rows.py: integer, text, real, boolean,
# timestamp, json, blob, nullable text) loaded into PostgreSQL 15 by
#   pipe      sqlite3 -csv ... | psql -c "\copy items FROM STDIN CSV"  (the limit)
#   pgloader  pgloader (Debian package), data only into the same table
#   dbsage    dbsage copy --from SQLITE --to PG   (skipped when the binary
#             has no `copy` command yet)
# Every run gets a fresh database with the same target schema (created
# untimed), is timed with /usr/bin/time -v (wall clock, peak RSS) and checked:
# row count read back; dbsage runs also `dbsage verify --from --to` when it
# exists.  Prints best-of-BENCH_RUNS times, the ratios vs the pipe and vs
# pgloader, and dbsage's peak RSS against the goals (<= 1.25x the pipe,
# >= 4x faster than pgloader, < 64 MB).
#
# Environment: BENCH_ROWS (1000000), BENCH_RUNS (3), DBSAGE (binary, default
# build/dbsage; built Release in build/ when missing), BENCH_DB (reuse a
# generated SQLite file), BENCH_SKIP_PGLOADER=1.  Needs python3, sqlite3,
# psql/postgresql-15, pgloader (scripts/install-deps --bench), GNU time, jq.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
DBSAGE=${DBSAGE:-$ROOT/build/dbsage}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench-copyrows.XXXXXX")
chmod 0755 "$W"
PG_STARTED=0
export PGOPTIONS='-c client_min_messages=warning' PGTZ=UTC
cleanup() {
    if ((PG_STARTED)); then scripts/pg-test-cluster stop "$W/pg" >/dev/null 2>&1 || true; fi
    rm -rf -- "$W"
}
trap cleanup EXIT INT TERM
say() { printf '== %s\n' "$*" >&2; }
die() { echo "bench/copy.sh: $*" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || die "needs GNU time (/usr/bin/time)"

if [[ ! -x $DBSAGE ]]; then
    say "building dbsage in build/ (Release)"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2 --target dbsage >/dev/null
    DBSAGE=$ROOT/build/dbsage
fi

SRC=${BENCH_DB:-}
if [[ -z $SRC ]]; then
    SRC=$W/items.sqlite
    say "generating $N rows into $SRC"
    python3 bench/gen_sqlite_rows.py "$SRC" "$N"
fi
chmod 0644 "$SRC"
N=$(sqlite3 "$SRC" "SELECT count(*) FROM items")

URL=$(scripts/pg-test-cluster start "$W/pg" | tail -n1)
PG_STARTED=1
DBURL=${URL/\/postgres\?//bench?}
SOCK=$(cat "$W/pg/sockdir")
PORT=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' "$W/pg/url")

SCHEMA="CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, qty bigint,
  amount double precision, flag boolean, created_at timestamptz, payload jsonb,
  data bytea, note text)"
fresh() {
    psql "$URL" -X -q -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null
    psql "$DBURL" -X -q -v ON_ERROR_STOP=1 -c "$SCHEMA" >/dev/null
}
count() { psql "$DBURL" -X -qAt -c "SELECT count(*) FROM items"; }

# run NAME CMD...: best of RUNS; sets T_<NAME> (s) and RSS_<NAME> (kB, of the best run)
run() {
    local name=$1 best="" rss="" r e m
    shift
    for ((r = 0; r < RUNS; r++)); do
        fresh
        /usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/out" 2>&1 || {
            cat "$W/out" >&2
            die "$name run failed"
        }
        [[ $(count) == "$N" ]] || die "$name loaded $(count) rows, want $N"
        read -r e m <"$W/time"
        say "$name run $((r + 1)): ${e}s, peak RSS ${m} kB"
        if [[ -z $best ]] || (($(echo "$e < $best" | bc -l))); then best=$e rss=$m; fi
    done
    printf -v "T_$name" '%s' "$best"
    printf -v "RSS_$name" '%s' "$rss"
}

cat >"$W/pipe.sh" <<PIPE
set -eo pipefail
sqlite3 -csv "$SRC" "SELECT id, name, qty, amount, flag, created_at, payload,
    '\\x' || hex(data), note FROM items" |
    psql "$DBURL" -X -q -v ON_ERROR_STOP=1 -c "\\copy items FROM STDIN CSV"
PIPE
run pipe bash "$W/pipe.sh"

T_pgloader="" PGLOADER_VERIFY=""
if [[ ${BENCH_SKIP_PGLOADER:-0} != 1 ]]; then
    command -v pgloader >/dev/null || die "pgloader missing (scripts/install-deps --bench)"
    cat >"$W/load.pgl" <<PGL
LOAD DATABASE
  FROM sqlite://$SRC
  INTO postgresql://postgres@unix:$SOCK:$PORT/bench
  WITH data only, workers = 2, concurrency = 1
  SET work_mem to '64MB';
PGL
    run pgloader pgloader --no-ssl-cert-verification -q "$W/load.pgl"
    # informative, untimed: does pgloader's copy hold the same values? (the last run's rows)
    if "$DBSAGE" verify --help 2>&1 | grep -q -- --from; then
        PGLOADER_VERIFY=$("$DBSAGE" verify --from "$SRC" --to "$DBURL" --format json 2>&1 |
            jq -r '.tables[] | "\(.status)"' 2>/dev/null || echo "verify failed")
        say "dbsage verify of pgloader's copy: $PGLOADER_VERIFY"
    fi
fi

T_dbsage="" VERIFY_S=""
if "$DBSAGE" copy --help >/dev/null 2>&1; then
    run dbsage "$DBSAGE" copy --from "$SRC" --to "$DBURL"
    if "$DBSAGE" verify --help 2>&1 | grep -q -- --from; then
        /usr/bin/time -f '%e %M' -o "$W/vtime" "$DBSAGE" verify --from "$SRC" --to "$DBURL" >"$W/verify" 2>&1 || {
            cat "$W/verify" >&2
            die "dbsage verify: the copy differs from the source"
        }
        read -r VERIFY_S VERIFY_KB <"$W/vtime"
        say "dbsage verify: equal (${VERIFY_S}s, peak RSS ${VERIFY_KB} kB)"
    fi
else
    say "dbsage copy not available in $DBSAGE: skipped"
fi

echo
printf 'copy SQLite -> PostgreSQL 15, %d rows, best of %d\n' "$N" "$RUNS"
printf '  %-10s %8.2f s   peak RSS %6d MB\n' pipe "$T_pipe" $((RSS_pipe / 1024))
if [[ -n $T_pgloader ]]; then
    printf '  %-10s %8.2f s   peak RSS %6d MB   %.2fx the pipe\n' pgloader "$T_pgloader" \
        $((RSS_pgloader / 1024)) "$(echo "$T_pgloader / $T_pipe" | bc -l)"
    [[ -z $PGLOADER_VERIFY ]] || printf '             (dbsage verify of its copy: %s)\n' "$PGLOADER_VERIFY"
fi
if [[ -n $T_dbsage ]]; then
    r_pipe=$(echo "$T_dbsage / $T_pipe" | bc -l)
    printf '  %-10s %8.2f s   peak RSS %6d MB   %.2fx the pipe' dbsage "$T_dbsage" \
        $((RSS_dbsage / 1024)) "$r_pipe"
    if [[ -n $T_pgloader ]]; then
        printf ', %.2fx faster than pgloader' "$(echo "$T_pgloader / $T_dbsage" | bc -l)"
    fi
    echo
    if [[ -n $VERIFY_S ]]; then
        printf '  %-10s %8.2f s   peak RSS %6d MB   (dbsage verify of the copy: counts + checksums, both sides)\n' \
            verify "$VERIFY_S" $((VERIFY_KB / 1024))
    fi
    ok() { if (($(echo "$1" | bc -l))); then echo PASS; else echo MISS; fi; }
    printf 'goals: <= 1.25x the pipe: %s; peak RSS < 64 MB: %s' \
        "$(ok "$r_pipe <= 1.25")" "$(ok "$RSS_dbsage < 65536")"
    if [[ -n $T_pgloader ]]; then
        printf '; >= 4x faster than pgloader: %s' "$(ok "$T_pgloader / $T_dbsage >= 4")"
    fi
    echo
fi
