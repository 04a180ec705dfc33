#!/usr/bin/env bash
# tests/cli/emit_roundtrip_smoke.sh — owns: smoke test of the SQLite DDL
# emitter (src/emit/emit_sqlite.c) through the CLI: a small schema file ->
# `inspect --format sql` -> sqlite3 into a fresh database -> inspect of that
# database must equal the file's catalog (catalog_canon), and the SQL emitted
# from the database is a fixed point.  The PostgreSQL half is
# pg_emit_roundtrip_smoke.sh (it needs the PostgreSQL fixture).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

command -v sqlite3 >/dev/null || skip "sqlite3 CLI not installed"

cat >"$T/schema.sql" <<'SQL'
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "Full Name" TEXT NOT NULL COLLATE NOCASE,
    email TEXT UNIQUE,
    created TEXT DEFAULT (datetime('now')),
    score REAL DEFAULT -1 CHECK (score >= -1)
);
CREATE TABLE "order" (
    k TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    qty INT NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX order_user_idx ON "order" (user_id DESC);
CREATE VIEW big AS SELECT k FROM "order" WHERE qty > 10;
CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN UPDATE users SET score = 0 WHERE id = new.id; END;
SQL

inspect_to() { # OUT ARGS...
    local out=$1
    shift
    "$DBSAGE" inspect "$@" >"$out" 2>"$out.err" || { cat "$out.err" >&2; return 1; }
}

inspect_to "$T/A.json" --dialect sqlite --format json --no-provenance "$T/schema.sql"
catalog_canon "$T/A.json" >"$T/A.canon"
assert_eq 2 "$(jq '.tables | length' "$T/A.json")" "file catalog has the two tables"

inspect_to "$T/S.sql" --dialect sqlite --format sql "$T/schema.sql"
assert_file_contains "$T/S.sql" 'id INTEGER PRIMARY KEY AUTOINCREMENT' "autoincrement key inline"
assert_file_contains "$T/S.sql" 'CREATE TABLE "order" (' "keyword table name quoted"
assert_file_contains "$T/S.sql" "DEFAULT (datetime('now'))" "expression default parenthesised"

db1=$(sqlite_new_db)
sqlite_apply "$db1" "$T/S.sql"
pass "emitted SQL applies to an empty database"
inspect_to "$T/B.json" --format json --no-provenance "$db1"
catalog_canon "$T/B.json" >"$T/B.canon"
assert_files_equal "$T/A.canon" "$T/B.canon" "inspect(files) == inspect(db of emitted SQL)"

inspect_to "$T/S2.sql" --format sql "$db1"
db2=$(sqlite_new_db)
sqlite_apply "$db2" "$T/S2.sql"
inspect_to "$T/D.json" --format json --no-provenance "$db2"
catalog_canon "$T/D.json" >"$T/D.canon"
assert_files_equal "$T/B.canon" "$T/D.canon" "SQL emitted from a database reproduces it"
inspect_to "$T/S3.sql" --format sql "$db2"
sed 1d "$T/S2.sql" >"$T/S2.body"
sed 1d "$T/S3.sql" >"$T/S3.body"
assert_files_equal "$T/S2.body" "$T/S3.body" "emission is a fixed point"
