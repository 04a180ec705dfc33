#!/usr/bin/env bash
# bench/export.sh — owns: the `dbsage export` benchmark.  Builds a scaled
# cass-vessel SQLite database (gen_data.py --scale, migrate up, import), then
# times, best of BENCH_RUNS:
#   export-all   dbsage export --where daemons.id = D --follow both   (closure = every row)
#   export-user  dbsage export --where conversations.user_id = U      (a quarter of the rows)
#   peer         sqlite3 SRC .dump | sqlite3 NEW                      (a plain full copy)
#   copy         dbsage copy --from SRC --to NEW                       (the copy engine alone)
# and prints the ratios export/peer and export/copy (the closure's overhead).
# No timings in tests: this is only run by hand.  BENCH_SCALE (default 25 ->
# 1000 conversations), BENCH_RUNS (default 3), DBSAGE (default build/dbsage).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBSAGE=${DBSAGE:-$ROOT/build/dbsage}
SCALE=${BENCH_SCALE:-25}
RUNS=${BENCH_RUNS:-3}
EX=$ROOT/examples/cass-vessel
W=$(mktemp -d /tmp/dbsage-bench-export.XXXXXX)
trap 'rm -rf "$W"' EXIT
[[ -x $DBSAGE ]] || { cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build "$ROOT/build" -j2 >/dev/null; }

mkdir "$W/ex" && cp -r "$EX/migrations" "$EX/dbsage.yaml" "$W/ex/"
python3 "$EX/gen_data.py" --out "$W/ex/data" --scale "$SCALE" >/dev/null
"$DBSAGE" migrate --url "sqlite:$W/src.db" --dir "$W/ex/migrations" up >/dev/null
"$DBSAGE" import --spec "$W/ex/dbsage.yaml" --into "sqlite:$W/src.db" --reject-file "$W/r.ndjson" >/dev/null 2>&1 || true
D=$(sqlite3 "$W/src.db" 'SELECT id FROM daemons LIMIT 1')
U=$(sqlite3 "$W/src.db" 'SELECT user_id FROM conversations GROUP BY user_id ORDER BY user_id LIMIT 1')
ROWS=$(sqlite3 "$W/src.db" "SELECT sum(n) FROM (SELECT count(*) n FROM messages UNION ALL SELECT count(*) FROM conversations)")

best() { # NAME CMD...: best wall time of RUNS runs, seconds
    local b='' t0 t1 t
    for _ in $(seq "$RUNS"); do
        rm -f "$W/out.db"
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if [[ -z $b ]] || (($(echo "$t < $b" | bc -l))); then b=$t; fi
    done
    echo "$b"
}
peer() { sqlite3 "$W/src.db" .dump | sqlite3 "$W/out.db"; }
ea=$(best "$DBSAGE" export --from "$W/src.db" --to "$W/out.db" --where "daemons.id = $D" --follow both --seed b)
eu=$(best "$DBSAGE" export --from "$W/src.db" --to "$W/out.db" --where "conversations.user_id = $U" --seed b)
pe=$(best peer)
cp=$(best "$DBSAGE" copy --from "$W/src.db" --to "$W/out.db")
printf 'scale %s: %s messages+conversations\n' "$SCALE" "$ROWS"
printf '%-12s %8.3f s\n' export-all "$ea" export-user "$eu" "peer(.dump)" "$pe" copy "$cp"
printf 'ratio export-all / sqlite3 .dump|sqlite3 = %.2fx\n' "$(echo "$ea / $pe" | bc -l)"
printf 'ratio export-all / dbsage copy          = %.2fx\n' "$(echo "$ea / $cp" | bc -l)"
