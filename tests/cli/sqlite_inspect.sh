#!/usr/bin/env bash
# tests/cli/sqlite_inspect.sh — owns: CLI checks of the SQLite readers.
# inspect --format json of a SQLite SQL file (provenance, constraints, indexes,
# views, triggers, errors with exact line:col, ATTACH refused) and of a database
# file built from the same SQL with the sqlite3 CLI (same catalog).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

command -v sqlite3 >/dev/null || skip "sqlite3 CLI not installed"
command -v jq >/dev/null || skip "jq not installed"

cat >"$T/schema.sql" <<'SQL'
PRAGMA foreign_keys = ON;
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE,
  CONSTRAINT users_email_key UNIQUE (email)
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  body TEXT CONSTRAINT body_nonempty CHECK (length(body) > 0),
  words INTEGER AS (length(body)) STORED
) STRICT;
CREATE INDEX posts_user ON posts (user_id DESC) WHERE user_id IS NOT NULL;
CREATE VIEW post_authors AS SELECT p.id, u.email FROM posts p JOIN users u ON u.id = p.user_id;
CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN UPDATE users SET email = email WHERE id = new.user_id; END;
SQL
cat >"$T/002_alter.sql" <<'SQL'

ALTER TABLE posts ADD COLUMN title TEXT;
SQL

# ---- file source ------------------------------------------------------------
assert_exit 0 "$DBSAGE" inspect --dialect sqlite --format json "$T/schema.sql" "$T/002_alter.sql"
cp "$OUT" "$T/file.json"
J=$T/file.json
assert_eq "posts users" "$(jq -r '[.tables[].name] | join(" ")' "$J")" "tables listed"
assert_eq "$T/schema.sql:7:1" "$(jq -r '.tables[] | select(.name=="posts") | .provenance.created' "$J")" \
    "table provenance file:line:col"
assert_eq "$T/002_alter.sql:2:1" "$(jq -r '.tables[] | select(.name=="posts") | .provenance.altered[0]' "$J")" \
    "ALTER recorded as altered"
assert_eq "$T/002_alter.sql:2:1" \
    "$(jq -r '.tables[] | select(.name=="posts") | .columns[] | select(.name=="title") | .provenance.created' "$J")" \
    "added column created by the ALTER"
assert_eq "true" "$(jq -r '.tables[] | select(.name=="posts") | .strict' "$J")" "STRICT"
assert_eq "true" "$(jq -r '.tables[] | select(.name=="users") | .columns[0].autoincrement' "$J")" "AUTOINCREMENT"
assert_eq "NOCASE" "$(jq -r '.tables[] | select(.name=="users") | .columns[1].collation' "$J")" "collation"
assert_eq "users_email_key" \
    "$(jq -r '.tables[] | select(.name=="users") | .constraints[] | select(.kind=="u") | .name' "$J")" "named UNIQUE"
assert_eq "body_nonempty|length(body) > 0" \
    "$(jq -r '.tables[] | select(.name=="posts") | .constraints[] | select(.kind=="c") | "\(.name)|\(.expr)"' "$J")" "CHECK"
assert_eq "users|id|c" \
    "$(jq -r '.tables[] | select(.name=="posts") | .constraints[] | select(.kind=="f") | "\(.ref_table)|\(.ref_columns[0])|\(.on_delete)"' "$J")" \
    "foreign key"
assert_eq "s|length(body)" \
    "$(jq -r '.tables[] | select(.name=="posts") | .columns[] | select(.name=="words") | "\(.generated)|\(.generated_expr)"' "$J")" \
    "stored generated column"
assert_eq "posts_user|true|user_id IS NOT NULL" \
    "$(jq -r '.tables[] | select(.name=="posts") | .indexes[0] | "\(.name)|\(.elems[0].desc)|\(.where_expr)"' "$J")" \
    "partial DESC index"
assert_eq "main.posts main.users" "$(jq -r '.views[0].depends_on | join(" ")' "$J")" "view dependencies"
assert_eq "AFTER|INSERT" \
    "$(jq -r '.tables[] | select(.name=="posts") | .triggers[0] | "\(.timing)|\(.events | join(","))"' "$J")" "trigger"

# ---- live database built from the same SQL -----------------------------------
DB=$(sqlite_new_db)
sqlite_apply "$DB" "$T/schema.sql"
sqlite_apply "$DB" "$T/002_alter.sql"
assert_exit 0 "$DBSAGE" inspect --format json "$DB"
cp "$OUT" "$T/live.json"
assert_eq "$DB" "$(jq -r '.tables[] | select(.name=="posts") | .provenance.created' "$T/live.json")" \
    "live provenance is the path"
catalog_canon "$T/file.json" | jq -S 'del(.opaque, .source)' >"$T/file.canon"
catalog_canon "$T/live.json" | jq -S 'del(.opaque, .source)' >"$T/live.canon"
assert_files_equal "$T/file.canon" "$T/live.canon" "file and live database give the same catalog"

# ---- errors -------------------------------------------------------------------
printf 'CREATE TABLE a (x);\nCREATE TABLE b (x,,y);\nATTACH DATABASE %s AS o;\nCREATE TABLE c (z);\n' \
    "'$T/other.db'" >"$T/bad.sql"
assert_exit 1 "$DBSAGE" inspect --dialect sqlite --format json "$T/bad.sql"
assert_contains "$(cat "$ERR")" "$T/bad.sql:2:19: error:" "syntax error at the exact token"
assert_contains "$(cat "$ERR")" "$T/bad.sql:3:1: error: ATTACH is not allowed" "ATTACH refused"
[[ ! -e $T/other.db ]] && pass "ATTACH created no file" || fail "ATTACH created a file"

printf 'not a database at all, but long enough to have a header of sixteen bytes\n' >"$T/junk.sqlite"
assert_exit 2 "$DBSAGE" inspect --format json "sqlite:$T/junk.sqlite"
assert_contains "$(cat "$ERR")" "not a SQLite database" "non-database file reported"
