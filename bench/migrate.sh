#!/usr/bin/env bash
# bench/migrate.sh — owns: the `dbsage migrate up` benchmark against dbmate.
#
# Generates BENCH_MIGRATIONS (100) small dbmate-compatible migrations
# (VERSION_name.sql with "-- migrate:up" / "-- migrate:down": create table,
# add column, create index, insert a row, create view, in turn) and times, on a
# fresh database for every run,
#     dbsage migrate --url URL --dir DIR up
#     dbmate --no-dump-schema --migrations-dir DIR up      (DATABASE_URL=URL)
# against SQLite (a new file) and PostgreSQL 15 (a new database in a throwaway
# cluster started with scripts/pg-test-cluster and stopped at the end).
# Best of BENCH_RUNS; prints both times and the ratio dbmate / dbsage
# (goal: >= 3x).  Before timing, it checks that both tools apply the same
# files in the same order and produce the same tables, indexes and rows.
#
# dbmate comes from npm:  npm install --prefix bench/.tools dbmate
# (done here when missing; bench/.tools is git-ignored).
#
# Environment: BENCH_MIGRATIONS (100), BENCH_RUNS (10), BENCH_KEEP=1 keeps the work dir,
#              DBSAGE (binary; default: release build in build/), DBMATE (binary),
#              BENCH_SKIP_PG=1 (SQLite only), BENCH_NO_HYPERFINE=1 (use the date loop),
#              BENCH_SQLITE_TMPFS (/dev/shm; empty: no tmpfs run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${BENCH_MIGRATIONS:-100}
RUNS=${BENCH_RUNS:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench-migrate.XXXXXX")
export LC_ALL=C NO_COLOR=1 PGOPTIONS='-c client_min_messages=warning'
unset DATABASE_URL

PG_DIR=$W/pg
PG_STARTED=0
cleanup() {
    if ((PG_STARTED)); then scripts/pg-test-cluster stop "$PG_DIR" >/dev/null 2>&1 || true; fi
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $W" >&2; else rm -rf -- "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that cleanup (and the PG cluster stop) runs when interrupted
say() { printf '== %s\n' "$*" >&2; }
die() { echo "bench/migrate.sh: $*" >&2; exit 1; }

# ---- the two tools -------------------------------------------------------------

if [[ -z ${DBSAGE:-} ]]; then
    DBSAGE=$ROOT/build/dbsage
    if [[ ! -x $DBSAGE ]] || ! grep -qi 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt 2>/dev/null; then
        say "building the release binary in build/"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build build -j2 --target dbsage >/dev/null
fi
[[ -x $DBSAGE ]] || die "no dbsage binary at $DBSAGE"
"$DBSAGE" migrate --help >/dev/null 2>&1 || die "$DBSAGE has no working 'migrate' command"

if [[ -z ${DBMATE:-} ]]; then
    DBMATE=$ROOT/bench/.tools/node_modules/.bin/dbmate
    if [[ ! -x $DBMATE ]]; then
        say "installing dbmate into bench/.tools (npm)"
        npm install --silent --prefix "$ROOT/bench/.tools" dbmate >/dev/null
    fi
fi
[[ -x $DBMATE ]] || die "no dbmate binary at $DBMATE"

# ---- the migrations ------------------------------------------------------------

# gen_migrations DIR COUNT: COUNT files, 5 kinds in turn on table t_<group>.
gen_migrations() {
    local dir=$1 count=$2 i g v up down
    mkdir -p -- "$dir"
    for ((i = 1; i <= count; i++)); do
        g=$(((i - 1) / 5 + 1))
        v=$(printf '2024%010d' "$i")
        case $(((i - 1) % 5)) in
        0) name=create_t_$g
           up="CREATE TABLE t_$g (
    id integer PRIMARY KEY,
    name text NOT NULL,
    created_at text NOT NULL DEFAULT '2024-01-01'
);"
           down="DROP TABLE t_$g;" ;;
        1) name=add_note_to_t_$g
           up="ALTER TABLE t_$g ADD COLUMN note text;"
           down="ALTER TABLE t_$g DROP COLUMN note;" ;;
        2) name=index_t_${g}_name
           up="CREATE INDEX t_${g}_name_idx ON t_$g (name);"
           down="DROP INDEX t_${g}_name_idx;" ;;
        3) name=seed_t_$g
           up="INSERT INTO t_$g (id, name, note) VALUES ($g, 'row $g', 'seeded by migration $i');"
           down="DELETE FROM t_$g WHERE id = $g;" ;;
        4) name=view_t_$g
           up="CREATE VIEW t_${g}_named AS SELECT id, name FROM t_$g WHERE note IS NOT NULL;"
           down="DROP VIEW t_${g}_named;" ;;
        esac
        printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" >"$dir/${v}_$name.sql"
    done
}

say "generating $N migrations"
gen_migrations "$W/migrations" "$N"
M=$W/migrations

run_dbsage() { "$DBSAGE" migrate --url "$1" --dir "$M" up; }
run_dbmate() { DATABASE_URL=$1 "$DBMATE" --no-dump-schema --migrations-dir "$M" up; }

now() { date +%s.%N; }
q() { printf '%q ' "$@"; } # a command line, quoted for bash -c and for hyperfine -N

# best_of PREPARE CMD: best wall time (s) of $RUNS runs of CMD, each after PREPARE
# (untimed); one warm-up.  hyperfine when installed.
best_of() {
    local prepare=$1 cmd=$2
    if [[ ${BENCH_NO_HYPERFINE:-0} != 1 ]] && command -v hyperfine >/dev/null; then
        hyperfine -N --style none --warmup 1 --runs "$RUNS" --prepare "$prepare" \
            --export-json "$W/hf.json" "$cmd" >/dev/null 2>"$W/hf.err" ||
            { cat "$W/hf.err" >&2; die "hyperfine failed: $cmd"; }
        jq -r '.results[0].min' "$W/hf.json" | xargs printf '%.4f\n'
        return
    fi
    local best="" i t0 dt
    bash -c "$prepare" >/dev/null 2>&1
    bash -c "$cmd" >/dev/null 2>&1 || die "failed: $cmd"
    for ((i = 0; i < RUNS; i++)); do
        bash -c "$prepare" >/dev/null 2>&1
        t0=$(now)
        bash -c "$cmd" >/dev/null 2>&1 || die "failed: $cmd"
        dt=$(echo "$(now) - $t0" | bc -l)
        if [[ -z $best ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
    done
    printf '%.4f\n' "$best"
}

# ---- SQLite --------------------------------------------------------------------

sqlite_dump() { # PATH: the user schema and rows (not the tracking tables)
    sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master
                  WHERE name NOT LIKE 'sqlite_%' AND name NOT IN ('schema_migrations', 'dbsage_migrations')
                    AND tbl_name NOT IN ('schema_migrations', 'dbsage_migrations')
                  ORDER BY type, name"
    local t
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\_%' ESCAPE '\\' ORDER BY name"); do
        sqlite3 "$1" "SELECT '$t', * FROM \"$t\" ORDER BY id"
    done
}

say "SQLite: checking both tools apply the same files the same way"
S1=$W/check-dbsage.sqlite S2=$W/check-dbmate.sqlite
run_dbsage "sqlite:$S1" >"$W/check-dbsage.out" 2>&1 || { cat "$W/check-dbsage.out" >&2; die "dbsage migrate up (SQLite) failed"; }
run_dbmate "sqlite:$S2" >"$W/check-dbmate.out" 2>&1 || { cat "$W/check-dbmate.out" >&2; die "dbmate up (SQLite) failed"; }
sqlite3 "$S1" "SELECT version FROM dbsage_migrations ORDER BY version" >"$W/v-dbsage"
sqlite3 "$S2" "SELECT version FROM schema_migrations ORDER BY version" >"$W/v-dbmate"
cmp -s "$W/v-dbsage" "$W/v-dbmate" || { diff -u "$W/v-dbmate" "$W/v-dbsage" | head -20 >&2; die "SQLite: applied versions differ"; }
[[ $(wc -l <"$W/v-dbsage") == "$N" ]] || die "SQLite: dbsage applied $(wc -l <"$W/v-dbsage") of $N migrations"
sqlite_dump "$S1" >"$W/s-dbsage"
sqlite_dump "$S2" >"$W/s-dbmate"
cmp -s "$W/s-dbsage" "$W/s-dbmate" || { diff -u "$W/s-dbmate" "$W/s-dbsage" | head -20 >&2; die "SQLite: resulting databases differ"; }

# Edge cases of dbmate's file format: a file without a name, comments before the
# up marker, "transaction:false", CRLF line endings, an empty down section, files
# that are not *.sql; and (separately) versions of different widths.  Every file
# appends to compat_log, so the order each tool ran them in is visible.
say "SQLite: dbmate file-format edge cases"
gen_compat() {
    local d=$W/compat
    mkdir -p "$d" "$W/widths"
    lg() { printf "INSERT INTO compat_log (seq, v) SELECT count(*) + 1, '%s' FROM compat_log;" "$1"; }
    printf -- '-- migrate:up\nCREATE TABLE compat_log (seq integer, v text);\n%s\n-- migrate:down\nDROP TABLE compat_log;\n' "$(lg first)" >"$d/20240101000001_first.sql"
    printf -- '-- migrate:up transaction:false\n%s\n\n-- migrate:down transaction:false\nSELECT 1;\n' "$(lg notx)" >"$d/20240101000002_notx.sql"
    printf -- '-- a comment before the up marker\n-- another one\n\n-- migrate:up\n%s\n-- migrate:down\n' "$(lg comment_first)" >"$d/20240101000003_comment_first.sql"
    printf -- '-- migrate:up\r\n%s\r\n-- migrate:down\r\nSELECT 1;\r\n' "$(lg crlf)" >"$d/20240101000004_crlf.sql"
    printf -- '-- migrate:up\n%s\n-- migrate:down\n' "$(lg no_name)" >"$d/20240101000005.sql"
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n' "$(lg empty_down)" >"$d/20240101000006_empty_down.sql"
    echo 'not a migration' >"$d/README.md"
    echo 'SELECT 1;' >"$d/notes.txt"
    local v
    for v in 1 2 9 10 011; do
        printf -- '-- migrate:up\nCREATE TABLE IF NOT EXISTS compat_log (seq integer, v text);\n%s\n-- migrate:down\n' "$(lg "$v")" >"$W/widths/${v}_w.sql"
    done
}
gen_compat
COMPAT=()
for set in compat widths; do
    rm -f "$W/c1.sqlite" "$W/c2.sqlite"
    "$DBSAGE" migrate --url "sqlite:$W/c1.sqlite" --dir "$W/$set" up >"$W/c1.out" 2>&1 || true
    DATABASE_URL=sqlite:$W/c2.sqlite "$DBMATE" --no-dump-schema --migrations-dir "$W/$set" up >"$W/c2.out" 2>&1 || true
    o1=$(sqlite3 "$W/c1.sqlite" "SELECT group_concat(v, ' ') FROM (SELECT v FROM compat_log ORDER BY seq)" 2>/dev/null || echo "(failed)")
    o2=$(sqlite3 "$W/c2.sqlite" "SELECT group_concat(v, ' ') FROM (SELECT v FROM compat_log ORDER BY seq)" 2>/dev/null || echo "(failed)")
    if [[ $o1 == "$o2" ]]; then
        COMPAT+=("$(printf '%-8s same files, same order: %s' "$set" "$o1")")
    else
        COMPAT+=("$(printf '%-8s DIFFERENT  dbsage: %s | dbmate: %s' "$set" "$o1" "$o2")")
    fi
done

# SQLite commits in the default journal mode fsync (journal, directory, database);
# on a disk that dominates, so the file is timed on the work directory's file
# system and, when there is one, on tmpfs (/dev/shm), where what remains is the
# tools' own cost.
SQ_DIRS=("$W")
if [[ -n ${BENCH_SQLITE_TMPFS-/dev/shm} && -d ${BENCH_SQLITE_TMPFS-/dev/shm} && -w ${BENCH_SQLITE_TMPFS-/dev/shm} ]]; then
    SQ_TMPFS=$(mktemp -d "${BENCH_SQLITE_TMPFS-/dev/shm}/dbsage-bench-migrate.XXXXXX")
    SQ_DIRS+=("$SQ_TMPFS")
    trap 'rm -rf -- "$SQ_TMPFS"; cleanup' EXIT
fi
SQ_LABELS=() SQ_DBSAGE=() SQ_DBMATE=()
for d in "${SQ_DIRS[@]}"; do
    SQ=$d/bench.sqlite
    fstype=$(df -T "$d" | awk 'NR == 2 { print $2 }')
    say "SQLite on $fstype ($d): timing, best of $RUNS, fresh file each run"
    SQ_LABELS+=("SQLite/$fstype")
    SQ_DBSAGE+=("$(best_of "$(q rm -f "$SQ" "$SQ-journal" "$SQ-wal" "$SQ-shm" "$SQ-dbsage.lock")" \
        "$(q "$DBSAGE" migrate --url "sqlite:$SQ" --dir "$M" up)")")
    SQ_DBMATE+=("$(best_of "$(q rm -f "$SQ" "$SQ-journal" "$SQ-wal" "$SQ-shm")" \
        "$(q env "DATABASE_URL=sqlite:$SQ" "$DBMATE" --no-dump-schema --migrations-dir "$M" up)")")
done

# ---- PostgreSQL ----------------------------------------------------------------

T_PG_DBSAGE="" T_PG_DBMATE=""
if [[ ${BENCH_SKIP_PG:-0} != 1 ]]; then
    say "PostgreSQL: starting a throwaway cluster"
    ADMIN=$(scripts/pg-test-cluster start "$PG_DIR")
    PG_STARTED=1
    SOCK=$(cat "$PG_DIR/sockdir")
    PORT=${ADMIN##*port=}
    PORT=${PORT%%&*}
    # dbsage: libpq URL; dbmate (lib/pq): same socket, sslmode=disable
    pg_urls() { # NAME -> sets U_DBSAGE, U_DBMATE
        U_DBSAGE="postgresql:///$1?host=$SOCK&port=$PORT&user=postgres"
        U_DBMATE="postgres://postgres@/$1?host=$SOCK&port=$PORT&sslmode=disable"
    }
    recreate() { q psql "$ADMIN" -X -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
    pg_dump_user() { # URL: user tables, columns, indexes, views, rows
        psql "$1" -X -A -t -q -c "
          SELECT 'col', table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
            FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name NOT IN ('schema_migrations', 'dbsage_migrations')
           ORDER BY 2, 3;
          SELECT 'idx', tablename, indexname, indexdef FROM pg_indexes
           WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'dbsage_migrations')
           ORDER BY 2, 3;
          SELECT 'view', viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 2;"
        local t
        for t in $(psql "$1" -X -A -t -q -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%' ORDER BY 1"); do
            psql "$1" -X -A -t -q -c "SELECT '$t', * FROM $t ORDER BY id"
        done
    }

    say "PostgreSQL: checking both tools apply the same files the same way"
    eval "$(recreate check_dbsage)"
    eval "$(recreate check_dbmate)"
    pg_urls check_dbsage; C1=$U_DBSAGE
    pg_urls check_dbmate; C2=$U_DBSAGE; C2M=$U_DBMATE
    run_dbsage "$C1" >"$W/pcheck-dbsage.out" 2>&1 || { cat "$W/pcheck-dbsage.out" >&2; die "dbsage migrate up (PostgreSQL) failed"; }
    run_dbmate "$C2M" >"$W/pcheck-dbmate.out" 2>&1 || { cat "$W/pcheck-dbmate.out" >&2; die "dbmate up (PostgreSQL) failed"; }
    psql "$C1" -X -A -t -q -c "SELECT version FROM dbsage_migrations ORDER BY version" >"$W/pv-dbsage"
    psql "$C2" -X -A -t -q -c "SELECT version FROM schema_migrations ORDER BY version" >"$W/pv-dbmate"
    cmp -s "$W/pv-dbsage" "$W/pv-dbmate" || { diff -u "$W/pv-dbmate" "$W/pv-dbsage" | head -20 >&2; die "PostgreSQL: applied versions differ"; }
    pg_dump_user "$C1" >"$W/ps-dbsage"
    pg_dump_user "$C2" >"$W/ps-dbmate"
    cmp -s "$W/ps-dbsage" "$W/ps-dbmate" || { diff -u "$W/ps-dbmate" "$W/ps-dbsage" | head -20 >&2; die "PostgreSQL: resulting databases differ"; }

    say "PostgreSQL: timing, best of $RUNS, fresh database each run"
    pg_urls bench_dbsage
    T_PG_DBSAGE=$(best_of "$(recreate bench_dbsage)" "$(q "$DBSAGE" migrate --url "$U_DBSAGE" --dir "$M" up)")
    pg_urls bench_dbmate
    T_PG_DBMATE=$(best_of "$(recreate bench_dbmate)" "$(q env "DATABASE_URL=$U_DBMATE" "$DBMATE" --no-dump-schema --migrations-dir "$M" up)")
fi

# ---- summary -------------------------------------------------------------------

ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }
verdict() { if (($(echo "$1 >= 3" | bc -l))); then echo PASS; else echo MISS; fi; }
printf '\n'
printf 'dbsage migrate up vs dbmate %s: %d migrations, fresh database, best of %d runs\n\n' \
    "$("$DBMATE" --version | awk '{print $3}')" "$N" "$RUNS"
printf '%-12s %12s %12s %14s %6s\n' "database" "dbsage" "dbmate" "dbmate/dbsage" "goal>=3x"
printf '%-12s %12s %12s %14s %6s\n' "------------" "------------" "------------" "--------------" "------"
for i in "${!SQ_LABELS[@]}"; do
    r=$(ratio "${SQ_DBMATE[$i]}" "${SQ_DBSAGE[$i]}")
    printf '%-12s %11ss %11ss %13sx %6s\n' "${SQ_LABELS[$i]}" "${SQ_DBSAGE[$i]}" "${SQ_DBMATE[$i]}" "$r" "$(verdict "$r")"
done
if [[ -n $T_PG_DBSAGE ]]; then
    r=$(ratio "$T_PG_DBMATE" "$T_PG_DBSAGE")
    printf '%-12s %11ss %11ss %13sx %6s\n' PostgreSQL "$T_PG_DBSAGE" "$T_PG_DBMATE" "$r" "$(verdict "$r")"
fi
printf '(PostgreSQL: scripts/pg-test-cluster, unix socket, fsync off. SQLite: both commit each migration in the\n default rollback journal with synchronous=FULL; on a disk the fsyncs dominate, tmpfs shows the tools)\n'
printf '\ndbmate file compatibility (SQLite; dbmate sorts by file name, dbsage numerically):\n'
printf '  %s\n' "${COMPAT[@]}"
