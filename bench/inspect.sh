#!/usr/bin/env bash
# bench/inspect.sh — owns: the `dbsage inspect` benchmark.
#
# 1. builds the release binary if needed (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release)
# 2. generates a large PostgreSQL schema with bench/gen_schema.py
# 3. times (best of 5; hyperfine when installed) `dbsage inspect --format sql FILES` (and json)
#    and a raw libpg_query parse of the same files (bench/raw_parse.c) and prints
#    "dbsage speed relative to raw parse = raw_time / dbsage_time" (goal >= 0.8)
# 4. starts a throwaway cluster (scripts/pg-test-cluster), loads the schema, times
#    `dbsage inspect --format json postgres-URL` (goal < 1 s), stops the cluster
# 5. prints a summary table with the goals and PASS/MISS
#
# Environment: BENCH_TABLES (5000), BENCH_FILES (50), BENCH_RUNS (5),
#              DBSAGE (binary to use; default build/dbsage), BENCH_KEEP=1 keeps the work dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TABLES=${BENCH_TABLES:-5000}
FILES=${BENCH_FILES:-50}
RUNS=${BENCH_RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench.XXXXXX")
CLUSTER=$W/cluster
export LC_ALL=C

cleanup() {
    if [[ -f $CLUSTER/url ]]; then
        scripts/pg-test-cluster stop "$CLUSTER" >/dev/null 2>&1 || true
    fi
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $W"; else rm -rf -- "$W"; fi
}
trap cleanup EXIT

say() { printf '== %s\n' "$*" >&2; }

# ---- 1. release binary ------------------------------------------------------------
if [[ -z ${DBSAGE:-} ]]; then
    DBSAGE=$ROOT/build/dbsage
    if [[ ! -x $DBSAGE ]] || ! grep -qi 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt 2>/dev/null; then
        say "building the release binary in build/"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build build -j"$(nproc)" --target dbsage >/dev/null
fi
[[ -x $DBSAGE ]] || { echo "no dbsage binary at $DBSAGE" >&2; exit 1; }

# ---- 2. schema and baseline program --------------------------------------------------
say "generating $TABLES tables in $FILES files"
python3 bench/gen_schema.py --tables "$TABLES" --files "$FILES" --out "$W/schema" >&2
mapfile -t SQL < <(find "$W/schema" -name '*.sql' | sort -V)
cc -O2 -o "$W/raw_parse" bench/raw_parse.c -lpg_query
"$W/raw_parse" "${SQL[@]}" >/dev/null
bytes=$(cat "${SQL[@]}" | wc -c)

# time_best NAME CMD...: best wall time in seconds of $RUNS runs (stdout discarded)
time_best() {
    local name=$1
    shift
    if command -v hyperfine >/dev/null 2>&1 && command -v jq >/dev/null 2>&1; then
        hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$W/$name.json" \
            --command-name "$name" -- "$(printf '%q ' "$@")" >&2
        jq -r '.results[0].min' "$W/$name.json"
    else
        local best="" i t0 t1 dt
        "$@" >/dev/null 2>&1 || true # warm-up
        for ((i = 0; i < RUNS; i++)); do
            t0=$(date +%s.%N)
            "$@" >/dev/null 2>&1 || true
            t1=$(date +%s.%N)
            dt=$(echo "$t1 - $t0" | bc -l)
            if [[ -z $best ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
        done
        echo "$best"
    fi
}

# hyperfine -N does not redirect through a shell; let dbsage write to a file
say "timing dbsage inspect of the files"
# check_run WHAT CMD...: exit 1 (diagnostics) is tolerated with a warning, worse is fatal
check_run() {
    local what=$1 rc=0
    shift
    "$@" 2>"$W/err" || rc=$?
    if ((rc >= 2)); then
        echo "dbsage inspect of $what failed (exit $rc):" >&2
        head -n 20 "$W/err" >&2
        exit 1
    elif ((rc == 1)); then
        echo "WARNING: dbsage inspect of $what reported $(grep -c ': error:' "$W/err") errors, e.g.:" >&2
        head -n 3 "$W/err" >&2
    fi
}
check_run "the generated files" "$DBSAGE" inspect --format json -o "$W/files.json" "$W/schema"
n_files_tables=$(jq '.tables | length' "$W/files.json")
# the canonical SQL output (the default format) is the headline figure; the
# JSON output (50 MB of text for 5,000 tables) is reported beside it
t_inspect=$(time_best dbsage_files "$DBSAGE" inspect --format sql -o "$W/files.sql" "${SQL[@]}")
t_inspect_json=$(time_best dbsage_files_json "$DBSAGE" inspect --format json -o "$W/files.json" "${SQL[@]}")
say "timing the raw libpg_query parse"
t_raw=$(time_best raw_parse "$W/raw_parse" "${SQL[@]}")
ratio=$(echo "$t_raw / $t_inspect" | bc -l)
ratio_json=$(echo "$t_raw / $t_inspect_json" | bc -l)

# ---- 4. live PostgreSQL ------------------------------------------------------------------
say "starting a throwaway PostgreSQL cluster"
scripts/pg-test-cluster start "$CLUSTER" >/dev/null
admin=$(cat "$CLUSTER/url")
psql "$admin" -X -q -c 'CREATE DATABASE bench' >/dev/null
url=${admin/#postgresql:\/\/\/postgres\?/postgresql:///bench?}
say "loading $TABLES tables"
t0=$(date +%s.%N)
for f in "${SQL[@]}"; do
    PGOPTIONS='-c client_min_messages=warning' psql "$url" -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$f" >/dev/null
done
t_load=$(echo "$(date +%s.%N) - $t0" | bc -l)
psql "$url" -X -q -c 'ANALYZE' >/dev/null
check_run "the live database" "$DBSAGE" inspect --format json -o "$W/live.json" "$url"
n_live_tables=$(jq '.tables | length' "$W/live.json")
say "timing dbsage inspect of the live database"
t_live=$(time_best dbsage_live "$DBSAGE" inspect --format json -o "$W/live.json" "$url")
scripts/pg-test-cluster stop "$CLUSTER" >/dev/null
rm -f "$CLUSTER/url"

# ---- 5. summary ----------------------------------------------------------------------------
verdict() { if (($(echo "$1" | bc -l))); then echo PASS; else echo MISS; fi; }
printf '\n'
printf 'dbsage inspect benchmark: %d tables, %d files, %s bytes of SQL, best of %d runs\n' \
    "$TABLES" "${#SQL[@]}" "$bytes" "$RUNS"
printf 'tables seen: files %s, live %s; loading the schema with psql took %.2f s\n\n' \
    "$n_files_tables" "$n_live_tables" "$t_load"
printf '%-48s %12s %10s %6s\n' "measure" "value" "goal" "result"
printf '%-48s %12s %10s %6s\n' "------------------------------------------------" "------------" "----------" "------"
printf '%-48s %11.3fs %10s %6s\n' "raw libpg_query parse of the files" "$t_raw" "" ""
printf '%-48s %11.3fs %10s %6s\n' "dbsage inspect --format sql FILES" "$t_inspect" "" ""
printf '%-48s %11.2fx %10s %6s\n' "dbsage speed relative to raw parse (raw/dbsage)" "$ratio" ">= 0.8x" \
    "$(verdict "$ratio >= 0.8")"
printf '%-48s %11.3fs %10s %6s\n' "dbsage inspect --format json FILES" "$t_inspect_json" "" ""
printf '%-48s %11.2fx %10s %6s\n' "  the same with JSON output (raw/dbsage)" "$ratio_json" "" ""
printf '%-48s %11.3fs %10s %6s\n' "dbsage inspect --format json LIVE ($TABLES tables)" "$t_live" "< 1 s" \
    "$(verdict "$t_live < 1")"
