#!/usr/bin/env bash
# tests/cli/pg_compare.sh — owns: `dbsage compare` on live PostgreSQL
# databases.  The examples/backstage-cogito pair applied to two databases of
# the test cluster gives exactly the findings of the SQL files (the golden
# outputs of compare.sh, source lines aside) in text, JSON and Markdown; a
# live database against a SQL file; B from DATABASE_URL; passwords masked in
# what is printed; an unreachable server is exit 2.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/backstage-cogito
GOLD=$DBSAGE_SOURCE_DIR/tests/cli/compare

A=$(pg_new_db backstage)
B=$(pg_new_db cogito)
pg_apply "$A" "$EX/backstage.sql"
pg_apply "$B" "$EX/cogito.sql"

# text: everything after the two source lines equals the files' golden output
assert_exit 0 "$DBSAGE" compare "$A" "$B"
tail -n +3 "$OUT" >"$T/live.txt"
tail -n +3 "$GOLD/backstage-cogito.txt" >"$T/gold.txt"
assert_files_equal "$T/gold.txt" "$T/live.txt" "live text findings equal the SQL files' findings"
assert_contains "$(head -n 2 "$OUT")" "(pg)" "source lines name the dialect"

# JSON: the same document but for the sources
assert_exit 0 "$DBSAGE" compare --format json "$A" "$B"
jq -S 'del(.a.source, .b.source)' "$OUT" >"$T/live.json"
jq -S 'del(.a.source, .b.source)' "$GOLD/backstage-cogito.json" >"$T/gold.json"
assert_files_equal "$T/gold.json" "$T/live.json" "live JSON findings equal the SQL files' findings"
assert_eq "3 5 3" "$(jq -r '"\(.summary.overlaps) \(.summary.conflicts) \(.summary.hints)"' "$OUT")" "live: overlaps, conflicts, hints"

# Markdown: the same report but for the two source bullets
assert_exit 0 "$DBSAGE" compare --format markdown "$A" "$B"
grep -v '^- \*\*[AB]\*\*' "$OUT" >"$T/live.md"
grep -v '^- \*\*[AB]\*\*' "$GOLD/backstage-cogito.md" >"$T/gold.md"
assert_files_equal "$T/gold.md" "$T/live.md" "live Markdown findings equal the SQL files' findings"

# a live database against a SQL file, and B from DATABASE_URL
assert_exit 0 "$DBSAGE" compare -f json "$EX/backstage.sql" "$B"
jq -S 'del(.a.source, .b.source)' "$OUT" >"$T/mixed.json"
assert_files_equal "$T/gold.json" "$T/mixed.json" "SQL file against live database: same findings"
DATABASE_URL=$B assert_exit 1 "$DBSAGE" compare --exit-code -f json "$A"
jq -S 'del(.a.source, .b.source)' "$OUT" >"$T/env.json"
assert_files_equal "$T/gold.json" "$T/env.json" "B from DATABASE_URL"

# a database against itself: identical, exit 0 with --exit-code
assert_exit 0 "$DBSAGE" compare --exit-code -f json "$B" "$B"
assert_eq "11 11 0" "$(jq -r '"\(.summary.overlaps) \(.summary.identical) \(.summary.only_a)"' "$OUT")" \
    "a live database against itself"

# passwords never printed (the cluster trusts local connections: the URL's
# password is shown, not checked)
DBNAME=$(basename "${B%%\?*}")
HOSTQ=${B#*\?}
PWURL="postgresql://someone:sekret123@/$DBNAME?$HOSTQ"
assert_exit 0 "$DBSAGE" compare "$A" "$PWURL"
assert_not_contains "$(cat "$OUT" "$ERR")" "sekret123" "password masked in the text output"
assert_contains "$(sed -n 2p "$OUT")" "someone:***@" "B shown with the password masked"
assert_exit 0 "$DBSAGE" compare -f json "$A" "$PWURL"
assert_not_contains "$(cat "$OUT" "$ERR")" "sekret123" "password masked in JSON"
assert_contains "$(jq -r .b.source "$OUT")" "someone:***@" "JSON source masked"

# unreachable server: exit 2, password masked in the error
assert_exit 2 "$DBSAGE" compare "$A" "postgresql://nobody:hunter2@127.0.0.1:1/none?connect_timeout=2"
assert_not_contains "$(cat "$OUT" "$ERR")" "hunter2" "password masked in the error"
assert_contains "$(cat "$ERR")" "nobody:***@127.0.0.1:1" "the error names the masked source"
