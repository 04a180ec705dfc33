#!/usr/bin/env bash
# tests/cli/import_sqlite.sh — owns: focused tests of `dbsage import` and
# `dbsage verify --spec` on SQLite (issue 6): rows per document and per `each:`
# element, constants, captures, casts, rejects with path:line:col in the reject
# file, a malformed file leaving no rows, the hash skip, --force, upserts on
# re-import, --strict, spec errors at spec:line:col, verify's recount, resume
# after SIGKILL.  (The example-based acceptance tests are import_cass.sh.)
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
mkdir -p data/conv data/users/u1 data/users/u2 data/events migrations
cat >migrations/001_init.sql <<'EOF'
-- migrate:up
CREATE TABLE conversations (id TEXT PRIMARY KEY, daemon_id TEXT NOT NULL, title TEXT, created_at TEXT,
                            file TEXT, archived INTEGER, metadata TEXT);
CREATE TABLE messages (conversation_id TEXT NOT NULL REFERENCES conversations (id), ordinal INTEGER NOT NULL,
                       role TEXT NOT NULL, content TEXT, tokens INTEGER, PRIMARY KEY (conversation_id, ordinal));
CREATE TABLE users (id TEXT PRIMARY KEY, display_name TEXT, born TEXT);
CREATE TABLE events (kind TEXT, at TEXT);
EOF
cat >data/conv/c1.json <<'EOF'
{"id": "c1", "title": "Hello", "created_at": 1700000000123, "archived": "yes", "metadata": {"a": [1, 2]},
 "messages": [{"role": "user", "content": "hi", "usage": {"tokens": 3}},
              {"role": "assistant", "content": "hello", "usage": {"tokens": "abc"}},
              {"content": "no role"},
              {"role": "user", "content": "bye", "usage": {"tokens": 4.0}}]}
EOF
cat >data/conv/c2.json <<'EOF'
{"id": "c2", "created_at": "2024-03-01T10:00:00+02:00", "archived": false,
 "messages": [{"role": "user", "content": "x"}]}
EOF
# valid JSON start, broken later: none of its rows may be written
cat >data/conv/c3.json <<'EOF'
{"id": "c3", "title": "broken",
 "messages": [{"role": "user", "content": "x"} {"role": "user"}]}
EOF
printf 'display_name: Ann\nborn: 1990-02-03\n' >data/users/u1/profile.yaml
printf 'display_name: Bob\nborn: 1990-02-30\n' >data/users/u2/profile.yaml
printf '{"kind": "a", "at": 0}\n{"kind": "b", "at": 60}\n' >data/events/e1.ndjson
cat >dbsage.yaml <<'EOF'
version: 1
into: sqlite:cass.db
migrations: migrations/
constants:
  daemon_id: cass
sources:
  - name: conversations
    files: data/conv/{conversation_id}.json
    tables:
      - table: conversations
        key: [id]
        columns:
          id: $.id
          daemon_id: {const: daemon_id}
          title: {path: $.title, default: untitled}
          created_at: {path: $.created_at, type: timestamp}
          file: $path
          archived: {path: $.archived, type: boolean}
          metadata: {path: $.metadata, type: json}
      - table: messages
        each: $.messages
        key: [conversation_id, ordinal]
        columns:
          conversation_id: $parent.id
          ordinal: $index
          role: {path: $.role, required: true}
          content: $.content
          tokens: {path: $.usage.tokens, type: integer}
  - name: users
    files: data/users/{user_id}/profile.yaml
    tables:
      - table: users
        key: id
        columns:
          id: $file.user_id
          display_name: {path: $.display_name, sql: "upper(?)"}
          born: {path: $.born, type: date}
  - name: events
    files: data/events/*.ndjson
    format: ndjson
    tables:
      - table: events
        columns:
          kind: $.kind
          at: {path: $.at, type: timestamp}
EOF
sq() { sqlite3 -batch cass.db "$1"; }

# ---- first import -------------------------------------------------------------
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --no-progress
assert_eq "2" "$(sq 'SELECT count(*) FROM conversations')" "conversations c1 and c2 (c3 is malformed)"
assert_eq "c1|cass|Hello|2023-11-14T22:13:20.123Z|data/conv/c1.json|1|{\"a\":[1,2]}" \
    "$(sq "SELECT id, daemon_id, title, created_at, file, archived, replace(metadata, ' ', '') FROM conversations WHERE id = 'c1'")" \
    "constant, epoch ms timestamp, boolean, path, json"
assert_eq "c2|untitled|2024-03-01T08:00:00Z|0" "$(sq "SELECT id, title, created_at, archived FROM conversations WHERE id = 'c2'")" \
    "default, timestamp with offset -> UTC, false -> 0"
assert_eq "c1|0|user|3
c1|3|user|4
c2|0|user|" "$(sq 'SELECT conversation_id, ordinal, role, tokens FROM messages ORDER BY 1, 2')" \
    "each rows with \$parent and \$index; the cast and required rejects are missing"
assert_eq "0 0" "$(sq "SELECT count(*) FROM conversations WHERE id = 'c3'") $(sq "SELECT count(*) FROM messages WHERE conversation_id = 'c3'")" \
    "a malformed file leaves no rows"
assert_eq "u1|ANN|1990-02-03" "$(sq 'SELECT * FROM users')" "capture, sql expression; 1990-02-30 rejected"
assert_eq "a|1970-01-01T00:00:00Z
b|1970-01-01T00:01:00Z" "$(sq 'SELECT kind, at FROM events ORDER BY kind')" "ndjson, table without key"
assert_file_contains dbsage-rejects.ndjson '"path":"data/conv/c1.json","line":3,"col":77,"table":"messages","reason":"column tokens: cannot read '"'abc'"' as integer"}' \
    "cast reject at the value's line:col"
assert_file_contains dbsage-rejects.ndjson '"reason":"column role: required value missing ($.role)"' "required reject"
assert_file_contains dbsage-rejects.ndjson '"path":"data/conv/c3.json","line":2,"col":48' "malformed file in the reject file"
assert_file_contains dbsage-rejects.ndjson '"table":null' "malformed file: no table"
assert_file_contains dbsage-rejects.ndjson "cannot read '1990-02-30' as date" "date reject"
assert_eq "4" "$(wc -l <dbsage-rejects.ndjson | tr -d ' ')" "4 rejects"
assert_contains "$(cat "$ERR")" "data/conv/c1.json:3:77: rejected: column tokens: cannot read 'abc' as integer" "reject on stderr"
assert_eq "conversations|data/conv/c1.json|3|2
conversations|data/conv/c2.json|2|0
events|data/events/e1.ndjson|2|0
users|data/users/u1/profile.yaml|1|0
users|data/users/u2/profile.yaml|0|1" "$(sq 'SELECT source, path, rows, rejected FROM dbsage_imports ORDER BY 1, 2')" \
    "dbsage_imports: one row per imported file (not the malformed one)"
assert_eq "64" "$(sq "SELECT length(sha256) FROM dbsage_imports WHERE path = 'data/conv/c1.json'")" "sha256 recorded"

# ---- re-run: unchanged files skipped, nothing doubled --------------------------------
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --format json
assert_contains "$(cat "$OUT")" '"files":6,"imported":0,"skipped":5,"malformed":1' "rerun: 5 skipped, the malformed one again"
assert_eq "2|3|2" "$(sq 'SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages), (SELECT count(*) FROM events)')" \
    "rerun: nothing doubled"
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --force --source conversations --source users
assert_eq "2|3|2" "$(sq 'SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages), (SELECT count(*) FROM events)')" \
    "--force: keys upsert, nothing doubled"
assert_exit 2 "$DBSAGE" import --spec dbsage.yaml --source nosuch
assert_contains "$(cat "$ERR")" "no source 'nosuch'" "unknown --source"

# a changed file is imported again and its rows updated
printf 'display_name: Robert\nborn: 1990-02-28\n' >data/users/u2/profile.yaml
rm data/conv/c3.json
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml
assert_eq "u1|ANN
u2|ROBERT" "$(sq 'SELECT id, display_name FROM users ORDER BY id')" "changed file re-imported"
assert_contains "$(cat "$OUT")" "users                               2        1" "one skipped, one imported"

# ---- verify -----------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" verify --spec dbsage.yaml
assert_contains "$(cat "$OUT")" "verify: ok" "verify ok"
assert_contains "$(cat "$OUT")" "messages                              3          3" "messages expected vs counted"
sq "DELETE FROM messages WHERE ordinal = 3"
assert_exit 1 "$DBSAGE" verify --spec dbsage.yaml --format json
assert_contains "$(cat "$OUT")" '{"table":"messages","expected":3,"counted":2,"ok":false}' "verify: a missing row"
printf '{"id": "c1", "title": "changed", "messages": []}\n' >data/conv/c1.json
assert_exit 1 "$DBSAGE" verify --spec dbsage.yaml
assert_contains "$(cat "$ERR")" "data/conv/c1.json: warning: changed since its import" "verify: changed file"

# ---- --strict -------------------------------------------------------------------------------
printf '{"id": "c4", "messages": [{"role": "user", "usage": {"tokens": "x"}}]}\n' >data/conv/c4.json
assert_exit 1 "$DBSAGE" import --spec dbsage.yaml --strict --source conversations --reject-file "$T/strict.ndjson"
assert_contains "$(cat "$ERR")" "--strict: stopped" "strict stops"
assert_eq "0" "$(sq "SELECT count(*) FROM conversations WHERE id = 'c4'")" "strict: the file's rows are rolled back"
assert_file_contains "$T/strict.ndjson" '"path":"data/conv/c4.json"' "--reject-file"

# ---- spec errors ----------------------------------------------------------------------------
cat >bad.yaml <<'EOF'
version: 1
sources:
  - name: s
    files: data/conv/*.json
    tabels: []
  - name: t
    files: data/conv/*.json
    tables:
      - table: conversations
        key: [nope]
        columns:
          id: {path: $.id, type: integr}
          title: {pth: $.title}
EOF
assert_exit 2 "$DBSAGE" import --spec bad.yaml --into sqlite:cass.db
assert_contains "$(cat "$ERR")" "bad.yaml:5:5: error: unknown source key 'tabels'" "unknown key at line:col"
assert_contains "$(cat "$ERR")" "bad.yaml:12:34: error: unknown type 'integr'" "unknown type at line:col"
assert_contains "$(cat "$ERR")" "bad.yaml:13:19: error: unknown column option 'pth'" "unknown option"
assert_contains "$(cat "$ERR")" "key column 'nope' is not one of the table's columns" "bad key"
cat >bad2.yaml <<'EOF'
sources:
  - name: s
    files: data/conv/*.json
    tables:
      - table: conversations
        columns:
          id: $.id
          colour: $.colour
      - table: nosuch
        columns:
          id: $.id
EOF
assert_exit 2 "$DBSAGE" import --spec bad2.yaml --into sqlite:cass.db
assert_contains "$(cat "$ERR")" "bad2.yaml:8:11: error: table 'conversations' has no column 'colour'" "unknown column"
assert_contains "$(cat "$ERR")" "bad2.yaml:9:16: error: table 'nosuch' does not exist" "unknown table"
assert_exit 2 "$DBSAGE" import
assert_exit 2 "$DBSAGE" import --spec missing.yaml
assert_exit 0 "$DBSAGE" import --help
assert_contains "$(cat "$OUT")" "--reject-file" "help"

# ---- SIGKILL and resume ------------------------------------------------------------------------
mkdir -p big/data
python3 - <<'EOF'
import json
for i in range(3000):
    msgs = [{"role": "user", "content": "m%d" % j} for j in range(20)]
    with open("big/data/c%04d.json" % i, "w") as f:
        json.dump({"id": "c%d" % i, "messages": msgs}, f)
EOF
cat >big/spec.yaml <<'EOF'
sources:
  - name: c
    files: data/{id}.json
    tables:
      - table: conversations
        key: [id]
        columns: {id: $.id, daemon_id: {const: x}}
      - table: messages
        each: $.messages
        key: [conversation_id, ordinal]
        columns: {conversation_id: $parent.id, ordinal: $index, role: $.role, content: $.content}
EOF
BIG=$T/big.db
sqlite3 "$BIG" <migrations/001_init.sql
DBSAGE_IMPORT_BATCH_FILES=20 "$DBSAGE" import --spec big/spec.yaml --into "sqlite:$BIG" >/dev/null 2>&1 &
pid=$!
n=0
for _ in $(seq 1 20000); do
    n=$(sqlite3 -batch -cmd '.timeout 2000' "$BIG" "SELECT count(*) FROM dbsage_imports" 2>/dev/null || echo 0)
    [[ $n -gt 0 ]] && break
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_files=$(sqlite3 "$BIG" "SELECT count(*) FROM dbsage_imports")
if ((done_files > 0 && done_files < 3000)); then pass "killed mid-run ($done_files of 3000 files committed)"; else fail "the kill did not land mid-run ($done_files files)"; fi
assert_eq "$((done_files * 20))|$done_files" "$(sqlite3 "$BIG" 'SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM conversations)')" \
    "after the kill: exactly the committed files' rows"
assert_exit 0 "$DBSAGE" import --spec big/spec.yaml --into "sqlite:$BIG" --format json
assert_contains "$(cat "$OUT")" "\"skipped\":$done_files" "the rerun skips the committed files"
assert_eq "60000|3000|3000" "$(sqlite3 "$BIG" 'SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM conversations), (SELECT count(*) FROM dbsage_imports)')" \
    "resumed: nothing lost or doubled"
assert_exit 0 "$DBSAGE" verify --spec big/spec.yaml --into "sqlite:$BIG"
