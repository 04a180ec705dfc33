#!/usr/bin/env bash
# tests/cli/pg_import.sh — owns: focused tests of `dbsage import` / `verify
# --spec` on PostgreSQL (issue 6): typed columns (boolean, timestamptz, date,
# jsonb, bigint, bytea from base64), schema-qualified tables, rejects, a
# malformed file and a file failing on a constraint leave no rows (SAVEPOINT
# per file), the hash skip, upserts, verify, the spec's into: from DATABASE_URL.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
URL=$(pg_new_db import)
mkdir -p data/conv migrations
cat >migrations/001_init.sql <<'EOF'
-- migrate:up
CREATE SCHEMA app;
CREATE TABLE app.conversations (id text PRIMARY KEY, title text, created_at timestamptz, archived boolean,
                                metadata jsonb, day date, avatar bytea);
CREATE TABLE app.messages (conversation_id text NOT NULL REFERENCES app.conversations (id), ordinal int NOT NULL,
                           role text NOT NULL CHECK (role IN ('user', 'assistant')), tokens bigint,
                           PRIMARY KEY (conversation_id, ordinal));
EOF
cat >data/conv/c1.json <<'EOF'
{"id": "c1", "title": "Hello", "created_at": 1700000000, "archived": "yes", "metadata": {"a": [1, 2]},
 "day": "2024-02-29", "avatar": "aGVsbG8=",
 "messages": [{"role": "user", "tokens": 3}, {"role": "assistant", "tokens": "abc"}, {"role": "user", "tokens": 5}]}
EOF
cat >data/conv/c2.json <<'EOF'
{"id": "c2", "created_at": "2024-03-01T10:00:00+02:00", "archived": false, "messages": [{"role": "user"}]}
EOF
cat >data/conv/c3.json <<'EOF'
{"id": "c3", "messages": [{"role": "user"},
EOF
# valid document, but a row the server refuses (CHECK): the whole file is rolled back on PostgreSQL
cat >data/conv/c4.json <<'EOF'
{"id": "c4", "messages": [{"role": "user"}, {"role": "robot"}]}
EOF
cat >dbsage.yaml <<'EOF'
version: 1
migrations: migrations
sources:
  - name: conv
    files: data/conv/{cid}.json
    tables:
      - table: app.conversations
        key: [id]
        columns:
          id: $file.cid
          title: {path: $.title, sql: "coalesce(?, 'untitled')"}
          created_at: {path: $.created_at, type: timestamp}
          archived: {path: $.archived, type: boolean}
          metadata: {path: $.metadata, type: json}
          day: {path: $.day, type: date}
          avatar: {path: $.avatar, type: blob}
      - table: app.messages
        each: $.messages
        key: [conversation_id, ordinal]
        columns:
          conversation_id: $parent.id
          ordinal: $index
          role: $.role
          tokens: {path: $.tokens, type: integer}
EOF
q() { pg_sql "$URL" "$1"; }

DATABASE_URL=$URL assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --no-progress
assert_eq "c1|Hello|2023-11-14 22:13:20+00|t|{\"a\": [1, 2]}|2024-02-29|hello
c2|untitled|2024-03-01 08:00:00+00|f|||" \
    "$(q "SET timezone = 'UTC'; SELECT id, title, created_at, archived, metadata, day, convert_from(avatar, 'UTF8') FROM app.conversations ORDER BY id")" \
    "typed columns on PostgreSQL, sql expression"
assert_eq "c1|0|3
c1|2|5
c2|0|" "$(q 'SELECT conversation_id, ordinal, tokens FROM app.messages ORDER BY 1, 2')" "each rows; the cast reject is missing"
assert_eq "0" "$(q "SELECT count(*) FROM app.conversations WHERE id IN ('c3', 'c4')")" "malformed and refused files leave no rows"
assert_file_contains dbsage-rejects.ndjson '"path":"data/conv/c1.json","line":3' "cast reject with its line"
assert_file_contains dbsage-rejects.ndjson "cannot read 'abc' as integer" "cast reject reason"
assert_file_contains dbsage-rejects.ndjson '"path":"data/conv/c3.json"' "malformed file rejected"
assert_file_contains dbsage-rejects.ndjson 'messages_role_check' "the server's refusal rejects the file"
assert_eq "conv|data/conv/c1.json|3|1
conv|data/conv/c2.json|2|0" "$(q 'SELECT source, path, rows, rejected FROM dbsage_imports ORDER BY 2')" "dbsage_imports"

# rerun: skipped, nothing doubled; --force: upserts
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --into "$URL" --format json
assert_contains "$(cat "$OUT")" '"files":4,"imported":0,"skipped":2,"malformed":2' "rerun skips"
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --into "$URL" --force
assert_eq "2|3" "$(q 'SELECT (SELECT count(*) FROM app.conversations), (SELECT count(*) FROM app.messages)')" "nothing doubled"

rm data/conv/c3.json data/conv/c4.json
# a clean batch goes through COPY into the staging tables + INSERT ... SELECT ... ON CONFLICT
cat >data/conv/c5.json <<'EOF'
{"id": "c5", "title": "tab\there", "created_at": "2024-05-05T05:05:05.5Z", "archived": "on", "metadata": [{"k": null}],
 "avatar": "AAEC/w==", "messages": [{"role": "assistant", "tokens": 9000000000}, {"role": "user"}]}
EOF
printf '{"id": "c2", "title": "renamed", "messages": [{"role": "assistant"}]}\n' >data/conv/c2.json
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml --into "$URL" --format json
assert_contains "$(cat "$OUT")" '"files":3,"imported":2,"skipped":1,"malformed":0,"documents":2,"rows":5,"rejected":0' "clean batch"
assert_eq "c2|renamed||
c5|tab	here|t|\\x000102ff" \
    "$(q "SELECT id, title, archived, avatar FROM app.conversations WHERE id IN ('c2', 'c5') ORDER BY id")" \
    "COPY path: text with a tab, boolean, bytea; the changed file updated its row"
assert_eq "2024-05-05 05:05:05.5+00|[{\"k\": null}]|9000000000" \
    "$(q "SET timezone = 'UTC'; SELECT created_at, metadata, (SELECT tokens FROM app.messages WHERE conversation_id = 'c5' AND ordinal = 0) FROM app.conversations WHERE id = 'c5'")" \
    "COPY path: timestamptz, jsonb, bigint"
assert_eq "c2|0|assistant" "$(q "SELECT conversation_id, ordinal, role FROM app.messages WHERE conversation_id = 'c2'")" "c2's message updated"
assert_exit 0 "$DBSAGE" verify --spec dbsage.yaml --into "$URL"
assert_contains "$(cat "$OUT")" "verify: ok" "verify ok on PostgreSQL"
q "DELETE FROM app.messages WHERE conversation_id = 'c1' AND ordinal = 2" >/dev/null
assert_exit 1 "$DBSAGE" verify --spec dbsage.yaml --into "$URL"
assert_contains "$(cat "$OUT")" "MISMATCH" "verify finds the missing row"
# password masked in messages
assert_exit 2 "$DBSAGE" import --spec dbsage.yaml --into "postgres://u:secret@127.0.0.1:1/x"
assert_not_contains "$(cat "$ERR")" "secret" "password masked"

# a first import into an empty database: COPY straight into the tables; a re-import
# (--force) conflicts on the keys and goes through the staging tables: same rows
URL2=$(pg_new_db import2)
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --into "$URL2"
assert_eq "3|5|0" "$(pg_sql "$URL2" "SELECT (SELECT count(*) FROM app.conversations), (SELECT count(*) FROM app.messages), (SELECT count(*) FROM app.messages WHERE conversation_id = 'c1' AND ordinal = 1)")" \
    "first import: c1 (minus its cast reject), c2, c5"
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --into "$URL2" --force
assert_eq "3|5" "$(pg_sql "$URL2" "SELECT (SELECT count(*) FROM app.conversations), (SELECT count(*) FROM app.messages)")" \
    "--force re-import: keys conflict, upserted through staging, nothing doubled"
assert_eq "renamed" "$(pg_sql "$URL2" "SELECT title FROM app.conversations WHERE id = 'c2'")" "values as in the files"
