#!/usr/bin/env bash
# tests/cli/infer.sh — owns: `dbsage infer` on tests/fixtures/infer/data
# (JSON, NDJSON, YAML, Markdown, text, path captures by repeated file names
# and by uuids): the exact spec and DDL (SQLite and PostgreSQL), the summary
# and --format json, malformed files, usage errors, then migrate up +
# `dbsage import --spec` of the inferred spec into SQLite with row counts.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/infer
mkdir -p "$T/w"
cp -r "$FIX/data" "$T/w/data"
cd "$T/w"

# ---- spec and SQLite migration ----------------------------------------------------
assert_exit 0 "$DBSAGE" infer data
assert_files_equal "$FIX/expected/dbsage.yaml" dbsage.yaml "the spec is the expected one"
mig=(migrations/*_import_tables.sql)
assert_eq 1 "${#mig[@]}" "one migration written in migrations/ next to the spec"
assert_files_equal "$FIX/expected/sqlite.sql" "${mig[0]}" "the SQLite migration is the expected DDL"
summary=$(cat "$ERR")
assert_contains "$summary" "infer: 20 files, 22 documents, 0 malformed -> 9 tables" "summary counts"
assert_contains "$summary" "note: field 'summary' is sometimes an object, sometimes a scalar (1 of 2): stored as JSON text" \
    "a field that is an object and a string is reported as a conflict"
assert_contains "$summary" "messages: 6 rows (one per element of conversations.messages), key (conversation_id, ordinal)" \
    "array of objects -> child table keyed by parent key + ordinal"
assert_contains "$summary" "tokens                   real" "integer and real widen to real"
assert_contains "$summary" "created_at               timestamp" "date and timestamps widen to timestamp"
assert_eq "" "$(cat "$OUT")" "the text summary goes to stderr, not stdout"

# ---- refuses to overwrite; --force; --format json -----------------------------------
assert_exit 2 "$DBSAGE" infer data
assert_contains "$(cat "$ERR")" "dbsage.yaml exists" "an existing spec is not overwritten"
assert_exit 0 "$DBSAGE" infer --force --no-migration --format json data
assert_eq 1 "$(ls migrations | wc -l)" "--no-migration writes no migration"
grep -v '^migrations: ' "$FIX/expected/dbsage.yaml" >"$T/expected-nomig.yaml"
assert_files_equal "$T/expected-nomig.yaml" dbsage.yaml "--force rewrites the spec (--no-migration: no migrations: entry)"
json=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
t = {x["name"]: x for x in r["tables"]}
print(r["files"], r["documents"], r["malformed"], len(r["tables"]))
print(t["messages"]["parent"], t["messages"]["each"], ",".join(t["messages"]["key"]))
print(",".join(t["user_profiles"]["key"]), t["user_profiles"]["files"])
c = {x["name"]: x for x in t["conversations"]["columns"]}
print(c["title"]["type"], c["title"]["nullable"], c["title"]["present"], c["title"]["null"], c["summary"]["type"])
print(len(t["conversations"]["notes"]))' "$OUT")
assert_eq "20 22 0 9
conversations \$.messages conversation_id,ordinal
user_id data/users/{user_id}/profile.yaml
text True 2 1 json
1" "$json" "--format json: counts, child table, captures, column stats, notes"
assert_exit 0 "$DBSAGE" infer --force data
assert_eq 2 "$(ls migrations | wc -l)" "a second run writes the next migration"
rm "$(ls migrations/*.sql | tail -1)"

# ---- PostgreSQL dialect ----------------------------------------------------------------
assert_exit 0 "$DBSAGE" infer --dialect pg --out pg/spec.yaml data
pgmig=(pg/migrations/*_import_tables.sql)
assert_files_equal "$FIX/expected/pg.sql" "${pgmig[0]}" "the PostgreSQL migration is the expected DDL"
assert_file_contains pg/spec.yaml "files: ../data/conversations/*.json" "spec paths are relative to the spec's directory"
assert_file_contains pg/spec.yaml "migrations: migrations/" "migrations: next to the spec"

# ---- DIR is the spec's directory: the spec and migrations/ are not read back ------------
mkdir -p "$T/self"
cp -r "$FIX/data/notes" "$T/self/notes"
(cd "$T/self" && "$DBSAGE" infer . 2>/dev/null && "$DBSAGE" infer --force . 2>"$T/self.err")
assert_contains "$(cat "$T/self.err")" "infer: 2 files, 2 documents, 0 malformed -> 1 tables" \
    "a re-run in the data directory does not read its own spec and migrations"

# ---- usage errors --------------------------------------------------------------------------
assert_exit 2 "$DBSAGE" infer
assert_exit 2 "$DBSAGE" infer --out x.yaml no-such-dir
assert_exit 2 "$DBSAGE" infer --out x.yaml --dialect oracle data
assert_exit 2 "$DBSAGE" infer --out x.yaml --format xml data
assert_exit 0 "$DBSAGE" infer --help

# ---- a malformed file: reported at path:line:col, left out, exit 1 ----------------------------
mkdir -p "$T/bad"
cp -r "$FIX/data" "$T/bad/data"
printf '{"id": "c9",\n "title": ]\n}\n' >"$T/bad/data/conversations/c9.json"
printf 'PNG\0\0binary' >"$T/bad/data/notes/logo.png"
assert_exit 1 "$DBSAGE" infer --out "$T/bad/dbsage.yaml" "$T/bad/data"
assert_contains "$(cat "$ERR")" "conversations/c9.json:2:" "the malformed file is reported with its line"
assert_contains "$(cat "$ERR")" "21 files, 22 documents, 1 malformed" "the malformed file is counted, its documents are not"
assert_contains "$(cat "$ERR")" "notes/logo.png: warning: not a text document (NUL bytes): skipped" "a binary file is skipped with a warning"
[[ -f $T/bad/dbsage.yaml ]] && pass "the spec is still written" || fail "no spec after a malformed file"

# ---- the inferred spec imports: migrate up + import into SQLite --------------------------------
DB=$(sqlite_new_db)
assert_exit 0 "$DBSAGE" migrate --url "sqlite:$DB" --dir migrations up
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml --into "sqlite:$DB"
counts() {
    for t in conversations messages events notes self_models sessions user_profiles user_settings wikis; do
        printf '%s=%s ' "$t" "$(sqlite3 "$DB" "SELECT count(*) FROM $t")"
    done
}
expected="conversations=3 messages=6 events=4 notes=2 self_models=2 sessions=2 user_profiles=3 user_settings=3 wikis=3 "
assert_eq "$expected" "$(counts)" "import of the inferred spec: rows per table"
assert_eq "c1|1|assistant|{\"tokens\": 3}" "$(sqlite3 "$DB" "SELECT conversation_id, ordinal, role, usage FROM messages WHERE usage IS NOT NULL")" \
    "child rows carry the parent key and ordinal"
assert_eq "alice|Alice|2023-01-15|27" "$(sqlite3 "$DB" "SELECT * FROM user_profiles WHERE user_id = 'alice'")" \
    "path capture {user_id} is a column"
assert_eq "setup|Setting up|1" "$(sqlite3 "$DB" "SELECT slug, title, draft FROM wikis WHERE draft IS NOT NULL")" \
    "Markdown front matter + title"
assert_eq "data/notes/todo.txt" "$(sqlite3 "$DB" "SELECT path FROM notes WHERE body LIKE 'remember%'")" "text files: path + body"
assert_exit 0 "$DBSAGE" import --spec dbsage.yaml --into "sqlite:$DB" --force
assert_eq "$expected" "$(counts)" "a second import (--force: every file again) adds no rows: the keys hold"
