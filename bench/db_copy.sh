#!/usr/bin/env bash
# bench/db_copy.sh — owns: the bulk-load benchmark of the db driver (db_copy_*).
#
# Loads BENCH_ROWS (200,000) rows with awkward text (tabs, newlines,
# backslashes, quotes, NULLs) into a fresh table and compares, best of
# BENCH_RUNS (3):
#   PostgreSQL 15: bench/db_copy.c (db_copy_* = COPY FROM STDIN)  vs  psql \copy of the same rows
#   SQLite:        bench/db_copy.c (prepared INSERT, one transaction) vs  sqlite3 .import --csv
# and the same rows as a script of BENCH_ROWS INSERT statements (one
# transaction) run statement by statement:
#   db_exec_script  vs  sqlite3 CLI (stdin)  /  psql -f
# and prints the times and the ratio peer / dbsage (> 1: dbsage faster).
# Every run checks the row count read back; the dbsage runs also create the
# table (the peers get it made beforehand, untimed).
#
# Environment: BENCH_ROWS, BENCH_RUNS, DBSAGE_BUILD (a Release build dir with
# libdbsage_core.a; default build/, configured here when missing),
# BENCH_SKIP_PG=1.  Needs cc, psql/postgresql-15, sqlite3.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${BENCH_ROWS:-200000}
RUNS=${BENCH_RUNS:-3}
B=${DBSAGE_BUILD:-$ROOT/build}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench-copy.XXXXXX")
PG_STARTED=0
export PGOPTIONS='-c client_min_messages=warning'
cleanup() {
    if ((PG_STARTED)); then scripts/pg-test-cluster stop "$W/pg" >/dev/null 2>&1 || true; fi
    rm -rf -- "$W"
}
trap cleanup EXIT
say() { printf '== %s\n' "$*" >&2; }
die() { echo "bench/db_copy.sh: $*" >&2; exit 1; }

if [[ ! -f $B/libdbsage_core.a ]]; then
    say "building libdbsage_core in $B (Release)"
    cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$B" -j2 --target dbsage_core >/dev/null
cc -O2 -std=c17 -D_GNU_SOURCE -I src -I "$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)" \
    -I /usr/include/postgresql bench/db_copy.c "$B/libdbsage_core.a" \
    -lpg_query -lprotobuf-c -lsqlite3 -lpq -lfyaml -lcrypto -lm -o "$W/db_copy"
"$W/db_copy" gen "$W" "$N"

now() { date +%s.%N; }
# best of RUNS: time_best CMD... (each run gets a fresh target via $fresh)
best() {
    local best="" t0 t1 d out
    for ((r = 0; r < RUNS; r++)); do
        "$fresh"
        t0=$(now)
        out=$("$@")
        t1=$(now)
        [[ $(tail -n1 <<<"$out" | tr -d ' ') == "$N" ]] || die "run of '$*' read back '$out', want $N rows"
        d=$(echo "$t1 - $t0" | bc -l)
        if [[ -z $best ]] || (($(echo "$d < $best" | bc -l))); then best=$d; fi
    done
    printf '%.3f' "$best"
}

report() {  # engine dbsage_time peer_time peer_name
    printf '%-13s %8d rows   dbsage %7.3f s   %-14s %7.3f s   ratio %s/dbsage = %.2fx\n' \
        "$1" "$N" "$2" "$4" "$3" "$4" "$(echo "$3 / $2" | bc -l)"
}

# ---- SQLite ------------------------------------------------------------------------
DB=$W/bench.db
fresh_sqlite() { rm -f "$DB"; }
fresh_sqlite_peer() { rm -f "$DB"; sqlite3 "$DB" "CREATE TABLE bench_rows (id integer, a text, b text)"; }
fresh=fresh_sqlite
t_dbsage=$(best "$W/db_copy" load "$DB" "$N")
sqlite_import() { sqlite3 "$DB" ".import --csv $W/rows.csv bench_rows" "SELECT count(*) FROM bench_rows"; }
fresh=fresh_sqlite_peer
t_peer=$(best sqlite_import)
report sqlite "$t_dbsage" "$t_peer" "sqlite3 .import"
fresh=fresh_sqlite
t_dbsage=$(best "$W/db_copy" script "$DB" "$W/rows.sql")
sqlite_script() { sqlite3 -bail "$DB" <"$W/rows.sql" && sqlite3 "$DB" "SELECT count(*) FROM bench_rows"; }
t_peer=$(best sqlite_script)
report "sqlite script" "$t_dbsage" "$t_peer" "sqlite3 <file"

# ---- PostgreSQL --------------------------------------------------------------------
if [[ ${BENCH_SKIP_PG:-0} != 1 ]]; then
    URL=$(scripts/pg-test-cluster start "$W/pg" | tail -n1)
    PG_STARTED=1
    DBURL=${URL/\/postgres\?//bench?}
    fresh_pg() {
        psql "$URL" -X -q -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null
    }
    fresh_pg_peer() {
        fresh_pg
        psql "$DBURL" -X -q -c "CREATE TABLE bench_rows (id integer, a text, b text)" >/dev/null
    }
    fresh=fresh_pg
    t_dbsage=$(best "$W/db_copy" load "$DBURL" "$N")
    psql_copy() {
        psql "$DBURL" -X -qAt -v ON_ERROR_STOP=1 -c "\\copy bench_rows FROM '$W/rows.tsv'" \
            -c "SELECT count(*) FROM bench_rows"
    }
    fresh=fresh_pg_peer
    t_peer=$(best psql_copy)
    report pg "$t_dbsage" "$t_peer" "psql \\copy"
    fresh=fresh_pg
    t_dbsage=$(best "$W/db_copy" script "$DBURL" "$W/rows.sql")
    psql_script() {
        psql "$DBURL" -X -q -v ON_ERROR_STOP=1 -f "$W/rows.sql" >/dev/null
        psql "$DBURL" -X -qAt -c "SELECT count(*) FROM bench_rows"
    }
    t_peer=$(best psql_script)
    report "pg script" "$t_dbsage" "$t_peer" "psql -f"
fi
