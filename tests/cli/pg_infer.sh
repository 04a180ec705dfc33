#!/usr/bin/env bash
# tests/cli/pg_infer.sh — owns: `dbsage infer --dialect pg` end to end on
# the test PostgreSQL cluster: the inferred migration applies (migrate up)
# and `dbsage import` of the inferred spec fills every table (row counts,
# jsonb / timestamptz / boolean values, child rows with their FK).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/infer
mkdir -p "$T/w"
cp -r "$FIX/data" "$T/w/data"
cd "$T/w"
URL=$(pg_new_db infer)

DATABASE_URL=$URL assert_exit 0 "$DBSAGE" infer data
assert_contains "$(cat "$ERR")" "(pg)" "the dialect follows DATABASE_URL"
mig=(migrations/*_import_tables.sql)
assert_files_equal "$FIX/expected/pg.sql" "${mig[0]}" "the PostgreSQL migration is the expected DDL"
assert_exit 0 "$DBSAGE" migrate --url "$URL" --dir migrations up
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml --into "$URL"
counts() {
    for t in conversations messages events notes self_models sessions user_profiles user_settings wikis; do
        printf '%s=%s ' "$t" "$(pg_sql "$URL" "SELECT count(*) FROM $t")"
    done
}
expected="conversations=3 messages=6 events=4 notes=2 self_models=2 sessions=2 user_profiles=3 user_settings=3 wikis=3 "
assert_eq "$expected" "$(counts)" "import of the inferred spec into PostgreSQL: rows per table"
assert_eq "m2|t|80.5" "$(pg_sql "$URL" "SELECT metadata->>'model', archived, tokens FROM conversations WHERE id = 'c2'")" \
    "jsonb, boolean and double precision columns hold the values"
assert_eq "2024-03-02 09:30:00+00" \
    "$(pg_sql "$URL" "SET timezone = 'UTC'; SELECT created_at FROM conversations WHERE id = 'c2'" | tail -1)" \
    "timestamptz from an RFC 3339 offset"
assert_eq "3" "$(pg_sql "$URL" "SELECT (usage->>'tokens')::int FROM messages WHERE conversation_id = 'c1' AND ordinal = 1")" \
    "child rows keyed by parent key + ordinal"
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml --into "$URL" --force
assert_eq "$expected" "$(counts)" "a second import adds no rows"
