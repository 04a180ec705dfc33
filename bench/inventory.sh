#!/usr/bin/env bash
# bench/inventory.sh — owns: the `dbsage inventory` benchmark.
#
# 1. builds the release binary if needed (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release)
# 2. generates a fragmented repository with bench/gen_inventory.py (default 1,000 files,
#    50,000 statements: snapshots of both dialects, 8 migration folders, Python modules
#    holding SQL, seeds, tests, a vendored node_modules/)
# 3. times (best of BENCH_RUNS; hyperfine when installed) `dbsage inventory --format json`
#    of the tree (goal < 2 s) and, as the floor any libpg_query-based tool pays, a raw
#    parse of the same .sql files (bench/raw_parse.c); prints raw/dbsage
# 4. prints the CPU time (user+sys) too: on a shared machine the wall time depends on load
#
# Environment: BENCH_FILES (1000), BENCH_STATEMENTS (50000), BENCH_RUNS (5),
#              DBSAGE (binary; default build/dbsage), BENCH_KEEP=1 keeps the work dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
FILES=${BENCH_FILES:-1000}
STATEMENTS=${BENCH_STATEMENTS:-50000}
RUNS=${BENCH_RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-bench-inv.XXXXXX")
export LC_ALL=C
cleanup() { if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $W"; else rm -rf -- "$W"; fi; }
trap cleanup EXIT
say() { printf '== %s\n' "$*" >&2; }

# ---- 1. release binary --------------------------------------------------------------
if [[ -z ${DBSAGE:-} ]]; then
    DBSAGE=$ROOT/build/dbsage
    if [[ ! -x $DBSAGE ]] || ! grep -qi 'CMAKE_BUILD_TYPE:STRING=Release' build/CMakeCache.txt 2>/dev/null; then
        say "building the release binary in build/"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build build -j"$(nproc)" --target dbsage >/dev/null
fi
[[ -x $DBSAGE ]] || { echo "no dbsage binary at $DBSAGE" >&2; exit 1; }

# ---- 2. the tree ---------------------------------------------------------------------
say "generating $FILES files / $STATEMENTS statements"
python3 bench/gen_inventory.py --files "$FILES" --statements "$STATEMENTS" --out "$W/repo" >&2
mapfile -t SQL < <(find "$W/repo" -name '*.sql' -not -path '*/node_modules/*' | sort)
cc -O2 -o "$W/raw_parse" bench/raw_parse.c -lpg_query

# a sanity check of the answer: every file classified, vendored folder skipped
rc=0
"$DBSAGE" inventory --format json -o "$W/inv.json" "$W/repo" || rc=$?
((rc <= 1)) || { echo "dbsage inventory failed (exit $rc)" >&2; exit 1; }
n_files=$(jq '.summary.files' "$W/inv.json")
n_objects=$(jq '.summary.objects' "$W/inv.json")
n_multi=$(jq '.summary.multiply_defined' "$W/inv.json")
n_conf=$(jq '.summary.conflicting' "$W/inv.json")
skipped=$(jq -r '.skipped | join(" ")' "$W/inv.json")
winner=$(jq -r '.recommendation.winner.label' "$W/inv.json")
[[ $n_files == "$FILES" && $skipped == "node_modules/" ]] || {
    echo "unexpected answer: $n_files files (want $FILES), skipped '$skipped'" >&2
    exit 1
}

# time_best NAME CMD...: best wall time in seconds of $RUNS runs
time_best() {
    local name=$1
    shift
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$W/$name.json" --command-name "$name" \
            -- "$(printf '%q ' "$@")" >&2
        jq -r '.results[0].min' "$W/$name.json"
    else
        local best="" i t0 dt
        "$@" >/dev/null 2>&1 || true
        for ((i = 0; i < RUNS; i++)); do
            t0=$(date +%s.%N)
            "$@" >/dev/null 2>&1 || true
            dt=$(echo "$(date +%s.%N) - $t0" | bc -l)
            if [[ -z $best ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
        done
        echo "$best"
    fi
}
# cpu_time CMD...: user+sys seconds of one run
cpu_time() {
    local TIMEFORMAT='%U %S' t
    t=$({ time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1) || true
    echo "$t" | awk '{printf "%.3f", $1 + $2}'
}

say "timing dbsage inventory"
t_inv=$(time_best inventory "$DBSAGE" inventory --format json -o "$W/inv.json" "$W/repo")
cpu_inv=$(cpu_time "$DBSAGE" inventory --format json -o "$W/inv.json" "$W/repo")
say "timing the raw libpg_query parse of the .sql files"
t_raw=$(time_best raw_parse "$W/raw_parse" "${SQL[@]}")
ratio=$(echo "$t_raw / $t_inv" | bc -l)
load=$(cut -d' ' -f1 /proc/loadavg)

verdict() { if (($(echo "$1" | bc -l))); then echo PASS; else echo MISS; fi; }
printf '\ndbsage inventory benchmark: %d files (%d .sql), %d statements, best of %d runs, load average %s on %s cores\n' \
    "$FILES" "${#SQL[@]}" "$STATEMENTS" "$RUNS" "$load" "$(nproc)"
printf 'answer: %s objects, %s defined in more than one place, %s conflicting; winner %s\n\n' \
    "$n_objects" "$n_multi" "$n_conf" "$winner"
printf '%-52s %12s %8s %6s\n' "measure" "value" "goal" "result"
printf '%-52s %12s %8s %6s\n' "----------------------------------------------------" "------------" "--------" "------"
printf '%-52s %11.3fs %8s %6s\n' "dbsage inventory --format json (wall)" "$t_inv" "< 2 s" "$(verdict "$t_inv < 2")"
printf '%-52s %11.3fs %8s %6s\n' "  CPU time of one run (user+sys, 2 parse threads)" "$cpu_inv" "" ""
printf '%-52s %11.3fs %8s %6s\n' "raw libpg_query parse of the .sql files (1 thread)" "$t_raw" "" ""
printf '%-52s %11.2fx %8s %6s\n' "ratio raw parse / dbsage inventory" "$ratio" "" ""
