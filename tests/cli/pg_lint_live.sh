#!/usr/bin/env bash
# tests/cli/pg_lint_live.sh — owns: the design rules give the same findings (rule,
# severity, object, message) on a live database as on the SQL files applied to it:
# every PostgreSQL design fixture applied to a fresh PG15 database, every SQLite one
# to a fresh SQLite file.  Not compared: identifier-too-long (the server truncates the
# name, only the source text shows it) and role-literal-password (roles are
# cluster-wide and live databases do not show passwords) — file-only by nature.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/lint/design
cd "$T"
RULES=()
while read -r id cat _; do
    [[ $cat == design && $id != identifier-too-long && $id != role-literal-password ]] && RULES+=(--rule "$id")
done < <("$DBSAGE" lint --list-rules)
assert_eq 24 "${#RULES[@]}" "twelve design rules compared"

# sorted "rule severity object message" lines of a JSON lint output
canon() {
    jq -r '.findings[] | "\(.rule)\t\(.severity)\t\(.object)\t\(.message)"' "$1" | sort
}

compare() { # FIXTURE SOURCE-URL-OR-PATH
    local f=$1 live=$2 cfg=(--config /dev/null) rc
    [[ -f $(dirname "$f")/config.yaml ]] && cfg=(--config "$(dirname "$f")/config.yaml")
    rc=0
    "$DBSAGE" lint "${cfg[@]}" "${RULES[@]}" --format json "$f" >"$T/file.json" 2>"$T/file.err" || rc=$?
    ((rc < 2)) || fail "lint of $f exited $rc: $(cat "$T/file.err")"
    rc=0
    "$DBSAGE" lint "${cfg[@]}" "${RULES[@]}" --format json "$live" >"$T/live.json" 2>"$T/live.err" || rc=$?
    ((rc < 2)) || fail "lint of the database of $f exited $rc: $(cat "$T/live.err")"
    canon "$T/file.json" >"$T/file.txt"
    canon "$T/live.json" >"$T/live.txt"
    assert_files_equal "$T/file.txt" "$T/live.txt" "$(basename "$(dirname "$f")")/$(basename "$f"): file and live findings"
    # findings on the live database point at it, with its password masked
    if [[ -s $T/live.txt ]]; then
        assert_not_contains "$(jq -r '.findings[].file' "$T/live.json")" "$f" "live findings are not placed in the file"
    fi
}

total=0
for f in "$FIX"/*/bad.sql "$FIX"/*/good.sql; do
    case $f in */identifier-too-long/* | */role-literal-password/*) continue ;; esac
    url=$(pg_new_db lint_live)
    pg_apply "$url" "$f"
    compare "$f" "$url"
    total=$((total + $(wc -l <"$T/file.txt")))
done
for f in "$FIX"/*/*.sqlite.sql; do
    db=$(sqlite_new_db)
    sqlite_apply "$db" "$f"
    compare "$f" "$db"
    total=$((total + $(wc -l <"$T/file.txt")))
done
((total >= 20)) && pass "$total findings compared" || fail "only $total findings compared"

# a live database: findings name the (password-masked) connection; DATABASE_URL is honoured
url=$(pg_new_db lint_mask)
pg_apply "$url" "$FIX/missing-primary-key/bad.sql"
kw="dbname=$(pg_sql "$url" 'select current_database()') host=$(pg_sql "$url" "select current_setting('unix_socket_directories')") port=$(pg_sql "$url" "select current_setting('port')") user=postgres password=s3cret"
assert_exit 0 "$DBSAGE" lint --config /dev/null --rule missing-primary-key "$kw"
assert_contains "$(cat "$OUT")" "warning: table audit_log has no primary key [missing-primary-key]" "keyword conninfo linted"
assert_not_contains "$(cat "$OUT")$(cat "$ERR")" "s3cret" "the password is masked"
assert_exit 0 env DATABASE_URL="$url" "$DBSAGE" lint --config /dev/null --rule missing-primary-key
assert_contains "$(cat "$OUT")" "[missing-primary-key]" "DATABASE_URL is linted when no SOURCE is given"
assert_exit 2 "$DBSAGE" lint --config /dev/null "postgres://u:s3cret@127.0.0.1:1/x"
assert_not_contains "$(cat "$ERR")" "s3cret" "connection errors: exit 2, password masked"
