#!/usr/bin/env bash
# bench/diff.sh — owns: the `dbsage diff` benchmark.
#
# Two generated 5,000-table catalogs that differ in ~5% of their tables
# (bench/gen_schema.py --seed 42, and the same with --mutate 0.05: columns added,
# types widened, NOT NULL dropped, indexes added), as SQL files.  Times, best of 5,
#   dbsage diff --dialect pg A B          (goal < 0.5 s)
#   dbsage diff --dialect sqlite A' B'    (same generator in SQLite dialect; reported)
# Each run parses both file sets and plans; the plan is checked to be non-empty and
# to touch roughly the mutated tables.
#
# Environment: BENCH_TABLES (5000), BENCH_MUTATE (0.05), BENCH_RUNS (5),
#              DBSAGE (binary; default: release build in build/), BENCH_KEEP=1 keeps the work dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TABLES=${BENCH_TABLES:-5000}
MUTATE=${BENCH_MUTATE:-0.05}
RUNS=${BENCH_RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench-diff.XXXXXX")
export LC_ALL=C

cleanup() { if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $W"; else rm -rf -- "$W"; fi; }
trap cleanup EXIT
say() { printf '== %s\n' "$*" >&2; }

if [[ -z ${DBSAGE:-} ]]; then
    DBSAGE=$ROOT/build/dbsage
    if [[ ! -x $DBSAGE ]] || ! grep -qi 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt 2>/dev/null; then
        say "building the release binary in build/"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build build -j"$(nproc)" --target dbsage >/dev/null
fi
[[ -x $DBSAGE ]] || { echo "no dbsage binary at $DBSAGE" >&2; exit 1; }

now() { date +%s.%N; }

# best_of NAME CMD...: best wall time of $RUNS runs (after one warm-up)
best_of() {
    local best="" i t0 dt
    "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now)
        "$@" >/dev/null 2>&1 || true
        dt=$(echo "$(now) - $t0" | bc -l)
        if [[ -z $best ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
    done
    printf '%.3f\n' "$best"
}

declare -A T_DIFF N_CHANGES N_TABLES
for dialect in pg sqlite; do
    say "generating 2 x $TABLES $dialect tables (~$MUTATE of them changed)"
    python3 bench/gen_schema.py --dialect "$dialect" --tables "$TABLES" --files 1 --seed 42 --out "$W/$dialect-a" >/dev/null
    python3 bench/gen_schema.py --dialect "$dialect" --tables "$TABLES" --files 1 --seed 42 \
        --mutate "$MUTATE" --mutate-seed 7 --out "$W/$dialect-b" >/dev/null
    A=$W/$dialect-a/0001_part.sql
    B=$W/$dialect-b/0001_part.sql
    rc=0
    "$DBSAGE" diff --dialect "$dialect" --format json --allow-destructive "$A" "$B" >"$W/$dialect.json" 2>"$W/$dialect.err" || rc=$?
    if ((rc != 0)); then
        echo "dbsage diff ($dialect) failed (exit $rc):" >&2
        head -n 20 "$W/$dialect.err" >&2
        exit 1
    fi
    N_CHANGES[$dialect]=$(jq '.changes | length' "$W/$dialect.json")
    N_TABLES[$dialect]=$(jq '[.changes[] | .name] | unique | length' "$W/$dialect.json")
    ((N_CHANGES[$dialect] > 0)) || { echo "the $dialect plan is empty" >&2; exit 1; }
    say "timing dbsage diff --dialect $dialect A B (best of $RUNS)"
    T_DIFF[$dialect]=$(best_of "$DBSAGE" diff --dialect "$dialect" -o "$W/$dialect.sql" "$A" "$B")
done

verdict() { if (($(echo "$1" | bc -l))); then echo PASS; else echo MISS; fi; }
printf '\n'
printf 'dbsage diff benchmark: 2 x %d tables, ~%s of the tables changed, best of %d runs\n\n' "$TABLES" "$MUTATE" "$RUNS"
printf '%-44s %10s %8s %8s %7s %6s\n' "measure" "time" "changes" "objects" "goal" "result"
printf '%-44s %10s %8s %8s %7s %6s\n' "--------------------------------------------" "----------" "--------" "--------" "-------" "------"
printf '%-44s %9ss %8s %8s %7s %6s\n' "dbsage diff --dialect pg A.sql B.sql" "${T_DIFF[pg]}" "${N_CHANGES[pg]}" "${N_TABLES[pg]}" "< 0.5 s" \
    "$(verdict "${T_DIFF[pg]} < 0.5")"
printf '%-44s %9ss %8s %8s %7s %6s\n' "dbsage diff --dialect sqlite A.sql B.sql" "${T_DIFF[sqlite]}" "${N_CHANGES[sqlite]}" "${N_TABLES[sqlite]}" "" ""
