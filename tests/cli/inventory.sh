#!/usr/bin/env bash
# tests/cli/inventory.sh — owns: `dbsage inventory` on the bundled fragmented
# repository examples/robbieverse (modelled on the RobbieVerse analysis):
# the exact class of every file, the skipped vendored folders, SQL found in
# Python string constants (with host-file line:col), the migration sequences
# with their collision and gap, every object defined in more than one place
# with its verdict and exact differences (PostgreSQL/SQLite variants matched
# through the type mapping), ALTERs recorded per file, the recommendation and
# what the other files add or contradict; formats, exit codes, determinism
# across thread counts, and small synthetic trees (JS/TS literals, flyway
# names, golang-migrate down files, SQLite-only statements).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/robbieverse
J=$T/inv.json

# ---- exit codes and usage ---------------------------------------------------------
assert_exit 0 "$DBSAGE" inventory --help
assert_contains "$(cat "$OUT")" "dbsage inventory [--against URL]" "--help prints the usage"
assert_exit 2 "$DBSAGE" inventory --format yaml "$EX"
assert_contains "$(cat "$ERR")" "unknown --format 'yaml'" "bad --format named"
assert_exit 2 "$DBSAGE" inventory "$T/does-not-exist"
assert_contains "$(cat "$ERR")" "does-not-exist: error: cannot read" "missing PATH is an I/O error"
assert_exit 2 "$DBSAGE" inventory --against - "$EX"
assert_contains "$(cat "$ERR")" "needs DATABASE_URL" "--against - without DATABASE_URL"
assert_exit 1 "$DBSAGE" inventory --format json "$EX"
cp "$OUT" "$J"
jq -e . "$J" >/dev/null && pass "JSON parses" || fail "JSON parses"

# ---- files by class ------------------------------------------------------------
assert_eq "node_modules/ vendor/" "$(jq -r '.skipped | join(" ")' "$J")" "vendored folders skipped"
assert_eq "0" "$(jq '[.files[] | select(.path | test("node_modules|vendor"))] | length' "$J")" "nothing from vendored folders"
assert_eq "backend/main.py snapshot pg python
backend/schema-mood-events.sql snapshot pg sql
backend/schema-personalities.sql snapshot pg sql
backend/schema.sql snapshot pg sql
backend/services/StickyNotesLearningService.py snapshot pg python
database/migrations/001_initial.sql migration pg sql
database/migrations/002_conversations.sql migration pg sql
database/migrations/003_moods.sql migration pg sql
database/migrations/004_conversation_tags.sql migration pg sql
database/migrations/004_message_index.sql migration pg sql
database/migrations/006_deals.sql migration pg sql
database/seeds/personalities_seed.sql seed pg sql
database/sqlite/robbie_local.sql snapshot sqlite sql
database/sticky_notes_schema.sql snapshot pg sql
database/unified-schema/01-core.sql migration pg sql
database/unified-schema/02-conversations.sql migration pg sql
database/unified-schema/03-vectors-rag.sql migration pg sql
database/unified-schema/04-enhanced-business-tables.sql migration pg sql
database/unified-schema/05-town-separation.sql migration pg sql
database/unified-schema/06-testpilot-simulations.sql migration pg sql
database/unified-schema/07-data-sharing-strategy.sql migration pg sql
database/unified-schema/08-universal-ai-state.sql migration pg sql
tests/test_schema.sql test pg sql" "$(jq -r '.files[] | "\(.path) \(.class) \(.dialect) \(.host)"' "$J")" "every file: class, dialect, host"
assert_eq "folder seeds/ 0 2" "$(jq -r '.files[] | select(.path | test("seed")) | "\(.why) \(.schema_statements) \(.data_statements)"' "$J")" "seed file: why and counts"
assert_eq "folder tests/" "$(jq -r '.files[] | select(.class == "test") | .why' "$J")" "test file: why"

# SQL in a Python string constant: the location is the host file's
assert_eq "creates table sticky_notes 9:1" \
    "$(jq -r '.files[] | select(.path == "backend/main.py") | .refs[] | "\(.action) \(.kind) \(.name) \(.line):\(.col)"' "$J")" \
    "SCHEMA_SQL in main.py: one CREATE TABLE at 9:1 (the SELECT in a call is not schema)"
assert_eq "creates table sticky_notes 5:5" \
    "$(jq -r '.files[] | select(.path | test("StickyNotes")) | .refs[] | "\(.action) \(.kind) \(.name) \(.line):\(.col)"' "$J")" \
    "CREATE_NOTES in a service class"

# ---- sequences -------------------------------------------------------------------
assert_eq "database/migrations 001,002,003,004,004,006 | 004: 004_conversation_tags.sql, 004_message_index.sql | 005
database/unified-schema 01,02,03,04,05,06,07,08 |  | " \
    "$(jq -r '.sequences[] | "\(.dir) \([.files[].version] | join(",")) | \(.collisions | join(";")) | \(.gaps | join(","))"' "$J")" \
    "sequences with the 004 collision and the 005 gap"

# ---- the object index -------------------------------------------------------------
assert_eq "31 9 3" "$(jq -r '.summary | "\(.objects) \(.multiply_defined) \(.conflicting)"' "$J")" "summary counts"
assert_eq "table companies identical
table conversations conflicting
table deals compatible
table messages identical
table mood_history identical
table moods conflicting
table sticky_notes compatible
table users compatible
function calculate_mood conflicting" \
    "$(jq -r '.objects[] | select(.verdict != null) | "\(.kind) \(.name) \(.verdict)"' "$J")" "verdict per object defined more than once"
assert_eq "database/migrations/002_conversations.sql:12:1:pg:0 database/sqlite/robbie_local.sql:10:1:sqlite:0 database/unified-schema/02-conversations.sql:12:1:pg:0" \
    "$(jq -r '[.objects[] | select(.name == "messages") | .definitions[] | "\(.file):\(.line):\(.col):\(.dialect):\(.group)"] | join(" ")' "$J")" \
    "messages: the SQLite variant is identical through the type mapping"
assert_eq "database/migrations/004_message_index.sql alters 2:1 index messages_conversation_idx" \
    "$(jq -r '.objects[] | select(.name == "messages") | .changes[] | "\(.file) \(.action) \(.line):\(.col) \(.detail)"' "$J")" \
    "an index in another file is recorded as a change of the table"
assert_eq "database/migrations/006_deals.sql alters 16:1 add column last_login_at
database/unified-schema/05-town-separation.sql alters 7:1 add column town_id" \
    "$(jq -r '.objects[] | select(.name == "users") | .changes[] | "\(.file) \(.action) \(.line):\(.col) \(.detail)"' "$J")" \
    "ALTER TABLE users in two files (the table is defined elsewhere)"
assert_eq "column id type: integer in backend/schema-personalities.sql, uuid in database/migrations/003_moods.sql (conflict)
default id: nextval('moods_id_seq'::regclass) in backend/schema-personalities.sql, gen_random_uuid() in database/migrations/003_moods.sql
column name type: text in backend/schema-personalities.sql, character varying(50) in database/migrations/003_moods.sql (second is narrower)
column description text: only in backend/schema-personalities.sql
column intensity integer: only in database/migrations/003_moods.sql
unique UNIQUE (name): UNIQUE (name) in backend/schema-personalities.sql, none in database/migrations/003_moods.sql" \
    "$(jq -r '.objects[] | select(.name == "moods") | .pairs[0].differences[]' "$J")" "moods: the exact differences of the conflicting redefinition"
assert_eq "database/sticky_notes_schema.sql|column category text: only in database/sticky_notes_schema.sql;column learned boolean: only in database/sticky_notes_schema.sql" \
    "$(jq -r '.objects[] | select(.name == "sticky_notes") | .pairs[] | "\(.superset)|\(.differences | join(";"))"' "$J")" \
    "sticky_notes: the snapshot is a superset of the two Python copies"
assert_eq "compatible database/sqlite/robbie_local.sql|dialect only: column id uuid ~ TEXT;dialect only: default id gen_random_uuid() in database/migrations/001_initial.sql, none in database/sqlite/robbie_local.sql;dialect only: column created_at timestamp with time zone ~ TEXT;column role TEXT: only in database/sqlite/robbie_local.sql" \
    "$(jq -r '.objects[] | select(.name == "users") | .pairs[] | "\(.verdict) \(.superset)|\(.differences | join(";"))"' "$J")" \
    "users: dialect differences are listed but not counted; 001 lacks role"
assert_eq "body differs between backend/schema-personalities.sql and database/unified-schema/08-universal-ai-state.sql" \
    "$(jq -r '.objects[] | select(.name == "calculate_mood") | .pairs[0].differences[]' "$J")" "functions with different bodies conflict"
assert_eq "1" "$(jq '[.objects[] | select(.name == "active_conversations" and .kind == "view")] | length' "$J")" "views are indexed"

# ---- recommendation -------------------------------------------------------------
assert_eq "database/unified-schema/ (in order) 18 18 0 0" \
    "$(jq -r '.recommendation.winner | "\(.label) \(.score) \(.objects) \(.conflicts) \(.dangling)"' "$J")" "winner and its score"
assert_eq "backend/schema-personalities.sql 9
database/migrations/ (in order) 6
backend/schema.sql 3
database/sqlite/robbie_local.sql 3" \
    "$(jq -r '.recommendation.candidates[1:5][] | "\(.label) \(.score)"' "$J")" "runners-up in order"
assert_eq "0|table mood_history,table current_mood|table conversations (column id type: integer in backend/schema.sql, uuid in the recommendation (conflict))" \
    "$(jq -r '.recommendation.others[] | select(.file == "backend/schema.sql") | "\(.agrees)|\(.adds | join(","))|\(.contradicts | join(";"))"' "$J")" \
    "backend/schema.sql: what it adds and contradicts"
assert_eq "2|table mood_history|" \
    "$(jq -r '.recommendation.others[] | select(.file == "database/sqlite/robbie_local.sql") | "\(.agrees)|\(.adds | join(","))|\(.contradicts | join(";"))"' "$J")" \
    "the SQLite variant agrees with the winner on users and messages"
assert_eq "0" "$(jq '[.recommendation.others[] | select(.file | test("unified-schema"))] | length' "$J")" "winner files are not 'other files'"

# ---- text and markdown ------------------------------------------------------------
assert_exit 1 "$DBSAGE" inventory "$EX"
TXT=$(cat "$OUT")
assert_contains "$TXT" "dbsage inventory: 23 files, 2 sequences, 31 objects (9 defined in more than one place, 3 conflicting)" "text summary line"
assert_contains "$TXT" "    collision 004: 004_conversation_tags.sql, 004_message_index.sql" "text: collision"
assert_contains "$TXT" "    gap 005" "text: gap"
assert_contains "$TXT" "  table moods: conflicting" "text: conflicting object"
assert_contains "$TXT" "  source of truth: database/unified-schema/ (in order)" "text: recommendation"
assert_contains "$TXT" "      contradicts function calculate_mood (body differs between backend/schema-personalities.sql and the recommendation)" "text: contradiction"
assert_exit 1 "$DBSAGE" inventory --format markdown -o "$T/inv.md" "$EX"
assert_file_contains "$T/inv.md" "### table \`moods\` — conflicting" "markdown: object heading"
assert_file_contains "$T/inv.md" "| \`database/migrations/\` | pg | 001, 002, 003, 004, 004, 006 | 004: 004_conversation_tags.sql, 004_message_index.sql | 005 |" "markdown: sequence row"

# the same answer from one worker thread and from four
DBSAGE_PARSE_THREADS=1 "$DBSAGE" inventory --format json "$EX" >"$T/one.json" || true
DBSAGE_PARSE_THREADS=4 "$DBSAGE" inventory --format json "$EX" >"$T/four.json" || true
assert_files_equal "$J" "$T/one.json" "1 thread: same JSON"
assert_files_equal "$J" "$T/four.json" "4 threads: same JSON"

# ---- synthetic trees --------------------------------------------------------------
# no conflicts -> exit 0; JS template literal and TS string; flyway names; a down file is no collision
R=$T/repo
mkdir -p "$R/web" "$R/db/flyway" "$R/db/golang" "$R/dist"
cat >"$R/web/db.js" <<'E'
// a comment with 'CREATE TABLE ignored (x int)' inside is not a literal
const table = "widgets";
db.exec(`
  CREATE TABLE gadgets (id integer PRIMARY KEY, label text NOT NULL, owner ${"text"})
`);
E
cat >"$R/web/schema.ts" <<'E'
export const SQL: string = 'CREATE TABLE gadgets (id integer PRIMARY KEY, label text NOT NULL, owner)';
export const NOT_SQL = 'SELECT 1';
E
printf 'CREATE TABLE a (id int PRIMARY KEY);\n' >"$R/db/flyway/V1__a.sql"
printf 'ALTER TABLE a ADD COLUMN b text;\n' >"$R/db/flyway/V2__b.sql"
printf 'CREATE TABLE c (id int PRIMARY KEY);\n' >"$R/db/flyway/V4__c.sql"
printf 'CREATE TABLE g (id int PRIMARY KEY);\n' >"$R/db/golang/000001_g.up.sql"
printf 'DROP TABLE g;\n' >"$R/db/golang/000001_g.down.sql"
printf 'CREATE TABLE h (id int PRIMARY KEY);\n' >"$R/db/golang/000002_h.up.sql"
printf 'CREATE TABLE built (id int);\n' >"$R/dist/out.sql"
assert_exit 0 "$DBSAGE" inventory --format json "$R"
cp "$OUT" "$T/r.json"
assert_eq "db/flyway 1,2,4 |  | 3
db/golang 000001,000001,000002 |  | " \
    "$(jq -r '.sequences[] | "\(.dir) \([.files[].version] | join(",")) | \(.collisions | join(";")) | \(.gaps | join(","))"' "$T/r.json")" \
    "flyway versions and gap; a golang-migrate down file is not a collision"
assert_eq "dist/" "$(jq -r '.skipped | join(" ")' "$T/r.json")" "build output skipped"
assert_eq "web/db.js:4:3 web/schema.ts:1:29" \
    "$(jq -r '[.objects[] | select(.name == "gadgets") | .definitions[] | "\(.file):\(.line):\(.col)"] | join(" ")' "$T/r.json")" \
    "JS template literal (interpolation blanked) and TS string"
assert_eq "compatible" "$(jq -r '.objects[] | select(.name == "gadgets") | .verdict' "$T/r.json")" \
    "an untyped column in one literal: compatible, not conflicting"
assert_eq "alters 1:1 add column b" \
    "$(jq -r '.files[] | select(.path == "db/flyway/V2__b.sql") | .refs[] | "\(.action) \(.line):\(.col) \(.detail)"' "$T/r.json")" \
    "an ALTER of a table from another file is recorded"
assert_eq "drops table g" "$(jq -r '.files[] | select(.path | test("down")) | .refs[] | "\(.action) \(.kind) \(.name)"' "$T/r.json")" "down file drops"

# an SQLite-only file (AUTOINCREMENT, WITHOUT ROWID, a trigger)
mkdir -p "$T/lite"
cat >"$T/lite/app.sqlite.sql" <<'E'
CREATE TABLE Notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TRIGGER notes_ai AFTER INSERT ON Notes BEGIN UPDATE kv SET v = 'x' WHERE k = 'last'; END;
INSERT INTO kv VALUES ('last', NULL);
E
assert_exit 0 "$DBSAGE" inventory --format json "$T/lite"
assert_eq "sqlite 4 3 1|creates table notes 1:1;creates table kv 2:1;alters table notes 3:1 trigger notes_ai" \
    "$(jq -r '.files[0] | "\(.dialect) \(.statements) \(.schema_statements) \(.data_statements)|\([.refs[] | "\(.action) \(.kind) \(.name) \(.line):\(.col)\(if .detail then " " + .detail else "" end)"] | join(";"))"' "$OUT")" \
    "SQLite file: heads, trigger kept whole, names folded"

# ---- --against a live SQLite database (golang-migrate and dbsage tracking tables) ----
DB=$(sqlite_new_db)
sqlite_apply "$DB" "$EX/database/sqlite/robbie_local.sql"
sqlite3 "$DB" "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (6, 1);
CREATE TABLE dbsage_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL, execution_ms BIGINT, applied_by TEXT, dbsage_version TEXT);
INSERT INTO dbsage_migrations VALUES ('001', 'initial', 'x', '2026-01-01T00:00:00Z', 12, 'ci@host', '0.1.0'),
    ('002', 'conversations', 'y', '2026-01-01T00:00:01Z', NULL, 'ci@host', '0.1.0');"
assert_exit 1 "$DBSAGE" inventory --format json --against "sqlite:$DB" "$EX"
assert_eq "golang-migrate 6 dirty=6 files=6 -> database/migrations/006_deals.sql;6 -> database/unified-schema/06-testpilot-simulations.sql
dbsage 001,002 dirty=002 files=001 -> database/migrations/001_initial.sql;001 -> database/unified-schema/01-core.sql;002 -> database/migrations/002_conversations.sql;002 -> database/unified-schema/02-conversations.sql" \
    "$(jq -r '.against.tracking[] | "\(.tool) \(.versions | join(",")) dirty=\(.dirty | join(",")) files=\(.files | join(";"))"' "$OUT")" \
    "SQLite: golang-migrate (dirty flag) and dbsage (NULL execution_ms = dirty)"
assert_eq "database/sqlite/robbie_local.sql applied 3/3" \
    "$(jq -r '.against.files[] | select(.file | test("sqlite")) | "\(.file) \(.state) \(.present)/\(.total)"' "$OUT")" \
    "the SQLite variant looks applied to the SQLite database"
assert_eq "database/migrations/001_initial.sql (compatible, the database holds more);database/sqlite/robbie_local.sql (identical);database/unified-schema/01-core.sql (identical)" \
    "$(jq -r '.against.objects[] | select(.name == "users") | .matches | join(";")' "$OUT")" \
    "PostgreSQL files compared with an SQLite database through the type mapping"

# ---- a file no reader accepts (MySQL) and an unterminated quote ---------------------
mkdir -p "$T/my"
cat >"$T/my/a.sql" <<'E'
CREATE TABLE `users` (`id` int(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;
ALTER TABLE `users` ADD COLUMN `name` varchar(50);
E
printf 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n' >"$T/my/b.sql"
printf 'CREATE TABLE "unterminated (x int);\n' >"$T/my/c.sql"
assert_exit 0 "$DBSAGE" inventory --format json "$T/my"
assert_eq "2 0 0|table users creates 1:1,table users alters 2:1" \
    "$(jq -r '.files[0] | "\(.refused) \(.schema_statements - 2) \(.data_statements)|\([.refs[] | "\(.kind) \(.name) \(.action) \(.line):\(.col)"] | join(","))"' "$OUT")" \
    "MySQL statements: refused, but their targets are still recorded from the statement heads"
assert_eq "users" "$(jq -r '[.objects[].name] | join(",")' "$OUT")" "an unterminated quoted name is not an object"
assert_eq "b.sql" "$(jq -r '.recommendation.winner.label' "$OUT")" "a tie goes to the file that reads cleanly"

# ---- search_path and schemas created in another file ----------------------------------
mkdir -p "$T/sp"
printf 'CREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE TABLE users (id int PRIMARY KEY, email text);\n' >"$T/sp/a.sql"
printf 'CREATE TABLE app.users (id int PRIMARY KEY, email text, name text);\n' >"$T/sp/b.sql"
assert_exit 0 "$DBSAGE" inventory --format json "$T/sp"
assert_eq "app users compatible b.sql column name text: only in b.sql" \
    "$(jq -r '.objects[] | "\(.schema) \(.name) \(.verdict) \(.pairs[0].superset) \(.pairs[0].differences | join(";"))"' "$OUT")" \
    "an unqualified CREATE after SET search_path and app.users of a file without CREATE SCHEMA are one object, compared"

# ---- a symlinked folder that loops back is not followed ------------------------------------
mkdir -p "$T/loop/a"
ln -s .. "$T/loop/a/up"
printf 'CREATE TABLE x (id int);\n' >"$T/loop/a/x.sql"
assert_exit 0 timeout 20 "$DBSAGE" inventory --format json "$T/loop"
assert_eq "a/x.sql" "$(jq -r '[.files[].path] | join(",")' "$OUT")" "symlink loop: one file, no recursion"
