#!/usr/bin/env bash
# tests/cli/migrate_sqlite.sh — owns: `dbsage migrate` on real SQLite files:
# new, up (--to), status, history, plan, validate (edits, CRLF/trailing-space
# edits), down (refusal, --steps, --to, missing down section), redo,
# baseline, failing migration (file:line, previous version kept), duplicate
# versions, dirty no-transaction rows, drift, diff NAME --to, up --dump,
# connection resolution (DATABASE_URL, .env, default dbsage.db), JSON.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
DB=$(sqlite_new_db)
MIG=$T/mig
mkdir -p "$MIG"
m() { "$DBSAGE" migrate --url "$DB" --dir "$MIG" "$@"; }
q() { sqlite3 "$DB" "$1"; }
tables() { sqlite3 "$1" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"; }

# ---- new ------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" migrate --dir "$T/newdir" new create_things
newpath=$(cat "$OUT")
[[ -f $newpath && $newpath == "$T/newdir/"*_create_things.sql ]] && pass "new prints the path of the file it created" ||
    fail "new: '$newpath' is not a new file in $T/newdir"
assert_file_contains "$newpath" "-- migrate:up" "new file has an up section"
assert_file_contains "$newpath" "-- migrate:down" "new file has a down section"

# ---- three migrations -------------------------------------------------------------
cat >"$MIG/001_users.sql" <<'EOF'
-- migrate:up
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);

-- migrate:down
DROP TABLE users;
EOF
cat >"$MIG/002_posts.sql" <<'EOF'
-- migrate:up
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), body TEXT);

-- migrate:down
DROP TABLE posts;
EOF
cat >"$MIG/003_posts_user.sql" <<'EOF'
-- migrate:up
CREATE INDEX posts_user ON posts (user_id);

-- migrate:down
DROP INDEX posts_user;
EOF

assert_exit 0 m status
assert_eq 3 "$(grep -c ' pending' "$OUT")" "status: three pending migrations"
assert_exit 1 m status --exit-code

# plan prints the SQL with file headers and runs nothing
assert_exit 0 m plan
assert_file_contains "$OUT" "-- $MIG/001_users.sql" "plan names each file"
assert_file_contains "$OUT" "CREATE INDEX posts_user ON posts (user_id);" "plan prints the up SQL"
assert_file_contains "$OUT" "BEGIN;" "plan shows the transaction framing"
assert_eq "" "$(tables "$DB")" "plan created no table"
assert_eq 0 "$(q 'SELECT count(*) FROM dbsage_migrations' 2>/dev/null || echo 0)" "plan recorded nothing"

# up --to
assert_exit 0 m up --to 002
assert_contains "$(cat "$OUT")" "applied 002_posts" "up --to 002 reports 002"
assert_eq "dbsage_migrations,posts,users" "$(tables "$DB")" "up --to 002 created users and posts"
assert_exit 0 m status
assert_contains "$(grep '^003' "$OUT")" "pending" "003 still pending after up --to 002"
assert_contains "$(grep '^001' "$OUT")" "applied" "001 applied"

assert_exit 0 m up
assert_eq "003" "$(q 'SELECT max(version) FROM dbsage_migrations')" "up applied 003"
# up never changes the database's journal mode
assert_eq "delete" "$(q 'PRAGMA journal_mode')" "journal mode untouched by up"
[[ ! -e $DB-wal ]] && pass "no WAL file" || fail "a WAL file appeared"
assert_exit 0 m up
assert_contains "$(cat "$OUT")" "nothing to apply" "up with nothing pending exits 0"
assert_exit 0 m status --exit-code
assert_eq "delete" "$(q 'PRAGMA journal_mode')" "journal mode untouched by an up with nothing to do"

# tracking columns
row=$(q "SELECT version, name, length(checksum), applied_at LIKE '____-__-__T__:__:__Z', execution_ms >= 0, applied_by LIKE '%@%', dbsage_version FROM dbsage_migrations WHERE version = '001'")
assert_eq "001|users|64|1|1|1|$("$DBSAGE" --version | cut -d' ' -f2)" "$row" "tracking row: version, name, checksum, applied_at, execution_ms, applied_by, dbsage_version"

# history
assert_exit 0 m history
assert_eq 4 "$(wc -l <"$OUT")" "history: header + three rows"
assert_exit 0 m history --format json
assert_eq "001 002 003" "$(jq -r '[.history[].version] | join(" ")' "$OUT")" "history json in order"
assert_eq "true" "$(jq '[.history[].execution_ms | type == "number"] | all' "$OUT")" "history json has execution_ms"

# ---- validate -------------------------------------------------------------------------
assert_exit 0 m validate
cp "$MIG/001_users.sql" "$T/001.orig"
sed -e 's/$/  \r/' "$T/001.orig" >"$MIG/001_users.sql"
assert_exit 0 m validate
assert_exit 0 m status --exit-code
cat "$T/001.orig" >"$MIG/001_users.sql"
echo "-- an edit" >>"$MIG/001_users.sql"
assert_exit 1 m validate
assert_contains "$(cat "$OUT")" "$MIG/001_users.sql" "validate names the changed file"
assert_exit 1 m validate --format json
assert_eq "changed" "$(jq -r '.problems[0].state' "$OUT")" "validate json: changed"
assert_exit 1 m status --exit-code
assert_contains "$(grep '^001' "$OUT")" "changed" "status shows changed"
# up refuses while an applied file changed (validate on migrate)
cat >"$MIG/004_tags.sql" <<'EOF'
-- migrate:up
CREATE TABLE tags (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE tags;
EOF
assert_exit 1 m up
assert_contains "$(cat "$ERR")" "001_users.sql" "up names the changed file"
assert_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 'tags'")" "up refused: tags not created"
cp "$T/001.orig" "$MIG/001_users.sql"
assert_exit 0 m up
assert_eq "tags" "$(q "SELECT name FROM sqlite_master WHERE name = 'tags'")" "up after restoring the file"

# ---- down ----------------------------------------------------------------------------
assert_exit 2 m down
assert_contains "$(cat "$ERR")" "--steps" "down without --steps/--to refuses"
assert_eq 4 "$(q 'SELECT count(*) FROM dbsage_migrations')" "refused down changed nothing"
assert_exit 0 m down --steps 1
assert_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 'tags'")" "down --steps 1 dropped tags"
assert_eq 3 "$(q 'SELECT count(*) FROM dbsage_migrations')" "down --steps 1 removed one row"
assert_exit 0 m down --to 001
assert_eq "dbsage_migrations,users" "$(tables "$DB")" "down --to 001 keeps 001 only"
assert_eq "001" "$(q 'SELECT group_concat(version) FROM dbsage_migrations')" "tracking at 001"
q "INSERT INTO users (email) VALUES ('a@example.com')"
assert_exit 0 m redo
assert_contains "$(cat "$OUT")" "rolled back 001_users" "redo rolls back"
assert_contains "$(cat "$OUT")" "applied 001_users" "redo applies again"
assert_eq 0 "$(q 'SELECT count(*) FROM users')" "redo re-created users (down ran)"
assert_exit 0 m up

# ---- failing migration ------------------------------------------------------------------
cat >"$MIG/005_bad.sql" <<'EOF'
-- migrate:up
CREATE TABLE t5 (a INTEGER);

INSERT INTO no_such_table VALUES (1);
-- migrate:down
DROP TABLE t5;
EOF
assert_exit 1 m up
assert_contains "$(cat "$ERR")" "$MIG/005_bad.sql:4:" "failure names file:line of the statement"
assert_contains "$(cat "$ERR")" "no_such_table" "failure shows the server message"
assert_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 't5'")" "failed migration rolled back (no t5)"
assert_eq "004" "$(q 'SELECT max(version) FROM dbsage_migrations')" "tracking still at 004"
rm "$MIG/005_bad.sql"

# ---- down section missing -------------------------------------------------------------------
printf 'CREATE TABLE plain (a INTEGER);\n' >"$MIG/006.sql"
assert_exit 0 m up
assert_eq "plain" "$(q "SELECT name FROM sqlite_master WHERE name = 'plain'")" "VERSION.sql (up only) applied"
assert_exit 1 m down --steps 1
assert_contains "$(cat "$ERR")" "migrate:down" "down without a down section is an error"
assert_eq "006" "$(q 'SELECT max(version) FROM dbsage_migrations')" "nothing rolled back"
rm "$MIG/006.sql"
q "DROP TABLE plain; DELETE FROM dbsage_migrations WHERE version = '006'"

# ---- missing file ------------------------------------------------------------------------------
mv "$MIG/004_tags.sql" "$T/004_tags.sql"
assert_exit 1 m validate
assert_contains "$(cat "$OUT")" "004_tags" "validate names the missing file"
assert_exit 0 m status
assert_contains "$(grep '^004' "$OUT")" "missing-file" "status shows missing-file"
assert_exit 1 m down --steps 1
assert_contains "$(cat "$ERR")" "missing" "down past a missing file is an error"
mv "$T/004_tags.sql" "$MIG/004_tags.sql"

# ---- duplicate versions ------------------------------------------------------------------------
cp "$MIG/002_posts.sql" "$MIG/002_other.sql"
assert_exit 2 m status
assert_contains "$(cat "$ERR")" "002_posts.sql" "duplicate error names the first file"
assert_contains "$(cat "$ERR")" "002_other.sql" "duplicate error names the second file"
assert_exit 2 m up
rm "$MIG/002_other.sql"

# ---- dirty no-transaction migration -----------------------------------------------------------
cat >"$MIG/007_idx.sql" <<'EOF'
-- dbsage:no-transaction
-- migrate:up
CREATE INDEX IF NOT EXISTS users_email ON users (email);
-- migrate:down
DROP INDEX users_email;
EOF
assert_exit 0 m up
assert_eq "users_email" "$(q "SELECT name FROM sqlite_master WHERE name = 'users_email'")" "no-transaction migration applied"
# what a SIGKILL in the middle leaves: the row with execution_ms NULL
q "UPDATE dbsage_migrations SET execution_ms = NULL WHERE version = '007'"
assert_exit 0 m status
assert_contains "$(grep '^007' "$OUT")" "dirty" "status shows an interrupted no-transaction migration as dirty"
assert_exit 0 m up
assert_contains "$(cat "$ERR")" "dirty" "up warns before re-running a dirty migration"
assert_eq "1" "$(q "SELECT execution_ms IS NOT NULL FROM dbsage_migrations WHERE version = '007'")" "re-run finished it"
# a dirty row of a transactional file (e.g. the marker was removed since) is re-run too
q "UPDATE dbsage_migrations SET execution_ms = NULL WHERE version = '004'; DROP TABLE tags"
assert_exit 0 m up
assert_eq "tags|1" "$(q "SELECT (SELECT name FROM sqlite_master WHERE name = 'tags'), execution_ms IS NOT NULL FROM dbsage_migrations WHERE version = '004'")" "dirty transactional migration re-run"

# ---- out of order: a new file older than the latest applied version ---------------------------
cat >"$MIG/005_late.sql" <<'EOF2'
-- migrate:up
CREATE TABLE late (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE late;
EOF2
assert_exit 0 m status
assert_contains "$(grep '^005' "$OUT")" "(out of order)" "status marks an out-of-order pending file"
assert_exit 0 m up
assert_contains "$(cat "$ERR")" "out of order" "up warns about the out-of-order migration"
assert_eq "late" "$(q "SELECT name FROM sqlite_master WHERE name = 'late'")" "and applies it"
assert_exit 0 m down --to 005
assert_eq "late|" "$(q "SELECT (SELECT name FROM sqlite_master WHERE name = 'late'), (SELECT name FROM sqlite_master WHERE name = 'users_email')")" "down --to orders by version (007 rolled back, 005 kept)"
assert_exit 0 m down --steps 1
assert_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 'late'")" "out-of-order migration rolled back"
rm "$MIG/005_late.sql"
assert_exit 0 m up

# ---- drift -------------------------------------------------------------------------------------
assert_exit 0 m drift
assert_contains "$(cat "$OUT")" "no drift" "a clean drift says so"
q "ALTER TABLE users ADD COLUMN nickname TEXT"
assert_exit 1 m drift
assert_contains "$(cat "$OUT")" "nickname" "drift names the drifted column"
assert_exit 1 m drift --format json
assert_eq "users" "$(jq -r '.drift[0].name' "$OUT")" "drift json names the table"
q "ALTER TABLE users DROP COLUMN nickname"
assert_exit 0 m drift

# ---- diff NAME --to SCHEMA ------------------------------------------------------------------------
cat >"$T/desired.sql" <<'EOF'
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), body TEXT);
CREATE INDEX posts_user ON posts (user_id);
CREATE TABLE tags (id INTEGER PRIMARY KEY);
CREATE INDEX users_email ON users (email);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts (id), body TEXT NOT NULL);
EOF
assert_exit 0 m diff add_comments --to "$T/desired.sql"
difffile=$(cat "$OUT")
[[ -f $difffile && $difffile == "$MIG/"*_add_comments.sql ]] && pass "diff wrote the next migration" ||
    fail "diff: '$difffile' not written"
assert_file_contains "$difffile" "comments" "the diff migration creates comments"
assert_exit 0 m up
assert_eq "comments" "$(q "SELECT name FROM sqlite_master WHERE name = 'comments'")" "up applied the diff migration"
assert_exit 0 m drift
assert_exit 0 m down --steps 1
assert_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 'comments'")" "the diff migration's down section works"
assert_exit 0 m up

# ---- up --dump ----------------------------------------------------------------------------------
assert_exit 0 m up --dump "$T/dump.sql"
[[ -s $T/dump.sql ]] && pass "up --dump wrote a file" || fail "up --dump wrote nothing"
assert_not_contains "$(cat "$T/dump.sql")" "dbsage_migrations" "dump leaves out the tracking table"
"$DBSAGE" inspect --dialect sqlite --format json "$T/dump.sql" >"$T/dump.json"
cp "$DB" "$T/copy.sqlite"
sqlite3 "$T/copy.sqlite" "DROP TABLE dbsage_migrations"
"$DBSAGE" inspect --format json "$T/copy.sqlite" >"$T/live.json"
# opaque statements (the dump's SET lines) exist only in files, as in roundtrip.inc
catalog_canon "$T/dump.json" | jq -S 'del(.opaque)' >"$T/a.json"
catalog_canon "$T/live.json" | jq -S 'del(.opaque)' >"$T/b.json"
assert_files_equal "$T/a.json" "$T/b.json" "inspect of the dump equals inspect of the database"

# ---- baseline ----------------------------------------------------------------------------------------
DB2=$(sqlite_new_db)
assert_exit 0 "$DBSAGE" migrate --url "$DB2" --dir "$MIG" baseline 002
assert_eq "001,002" "$(sqlite3 "$DB2" 'SELECT group_concat(version) FROM (SELECT version FROM dbsage_migrations ORDER BY version)')" "baseline recorded 001 and 002"
assert_eq "dbsage_migrations" "$(tables "$DB2")" "baseline ran nothing"
assert_exit 0 "$DBSAGE" migrate --url "$DB2" --dir "$MIG" status
assert_contains "$(grep '^003' "$OUT")" "pending" "after baseline 002, 003 is pending"
assert_exit 1 "$DBSAGE" migrate --url "$DB2" --dir "$MIG" baseline 999

# ---- status json ---------------------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" migrate --url "$DB2" --dir "$MIG" --format json status
assert_eq "applied applied pending" "$(jq -r '[.migrations[0:3][].state] | join(" ")' "$OUT")" "status json states"

# ---- connection resolution -------------------------------------------------------------------------------
DB3=$(sqlite_new_db)
assert_exit 0 env DATABASE_URL="sqlite:$DB3" "$DBSAGE" migrate --dir "$MIG" up --to 001
assert_eq "users" "$(sqlite3 "$DB3" "SELECT name FROM sqlite_master WHERE name = 'users'")" "DATABASE_URL is used"
mkdir "$T/envdir" "$T/plain"
DB4=$(sqlite_new_db)
printf '# comment\nOTHER=1\nDATABASE_URL="sqlite:%s"\n' "$DB4" >"$T/envdir/.env"
(cd "$T/envdir" && "$DBSAGE" migrate --dir "$MIG" up --to 001 >/dev/null 2>&1) && pass ".env up" || fail ".env up"
assert_eq "users" "$(sqlite3 "$DB4" "SELECT name FROM sqlite_master WHERE name = 'users'")" ".env DATABASE_URL is used"
(cd "$T/plain" && "$DBSAGE" migrate --dir "$MIG" up --to 001 >/dev/null 2>&1) && pass "default db up" || fail "default db up"
assert_eq "users" "$(sqlite3 "$T/plain/dbsage.db" "SELECT name FROM sqlite_master WHERE name = 'users'")" "default dbsage.db created in cwd"
# --url wins over DATABASE_URL
assert_exit 0 env DATABASE_URL="sqlite:$DB3" "$DBSAGE" migrate --dir "$MIG" --url "$DB2" history
assert_contains "$(cat "$OUT")" "002" "--url wins over DATABASE_URL"

# options after the subcommand, unknown command
assert_exit 0 "$DBSAGE" migrate status --url "$DB2" --dir "$MIG"
assert_exit 2 "$DBSAGE" migrate --url "$DB2" --dir "$MIG" frobnicate
assert_exit 0 "$DBSAGE" migrate --help
