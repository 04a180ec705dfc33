#!/usr/bin/env bash
# tests/cli/pg_inventory_against.sh — owns: `dbsage inventory --against URL`
# on a real PostgreSQL 15 database: some files of examples/robbieverse are
# applied (migrations 001, 002, 004_conversation_tags and the mood-events
# snapshot), dbmate's schema_migrations and Flyway's flyway_schema_history
# are created with rows, plus a table no file defines.  Asserts which live
# objects match which files, which files look applied / partially / not,
# what the tracking tables say (versions, latest, failed, files), the
# live-only table, DATABASE_URL via `--against -`, and a masked password.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/robbieverse
URL=$(pg_new_db inventory)
pg_apply "$URL" "$EX/database/migrations/001_initial.sql"
pg_apply "$URL" "$EX/database/migrations/002_conversations.sql"
pg_apply "$URL" "$EX/database/migrations/004_conversation_tags.sql"
pg_apply "$URL" "$EX/backend/schema-mood-events.sql"
pg_sql "$URL" "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('001'), ('004'), ('002');
CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200),
    script varchar(1000), success boolean NOT NULL);
INSERT INTO flyway_schema_history VALUES (1, '1', 'initial', 'V1__initial.sql', true),
    (2, '2', 'conversations', 'V2__conversations.sql', true), (3, '9', 'moods', 'V9__moods.sql', false),
    (4, NULL, '<< Flyway Baseline >>', NULL, true);
CREATE TABLE legacy_sessions (id int PRIMARY KEY);" >/dev/null

assert_exit 1 "$DBSAGE" inventory --format json --against "$URL" "$EX"
J=$T/a.json
cp "$OUT" "$J"
jq -e '.against' "$J" >/dev/null && pass "against section present" || fail "against section present"

# ---- objects ------------------------------------------------------------------------
assert_eq "users|database/migrations/001_initial.sql (identical)|database/sqlite/robbie_local.sql: column role TEXT: only in database/sqlite/robbie_local.sql;database/unified-schema/01-core.sql: column role text: only in database/unified-schema/01-core.sql" \
    "$(jq -r '.against.objects[] | select(.name == "users") | "\(.name)|\(.matches | join(";"))|\(.differs | join(";"))"' "$J")" \
    "users: identical to 001; the variants with a role column differ (first counted difference, not the dialect one)"
assert_eq "database/migrations/002_conversations.sql (compatible, the database holds more);database/unified-schema/02-conversations.sql (compatible, the database holds more)" \
    "$(jq -r '.against.objects[] | select(.name == "conversations") | .matches | join(";")' "$J")" \
    "conversations: the files lack the tags column the database has from 004"
assert_eq "backend/schema.sql: column id type: integer in backend/schema.sql, uuid in the database (conflict)" \
    "$(jq -r '.against.objects[] | select(.name == "conversations") | .differs | join(";")' "$J")" \
    "conversations: the basic backend shape conflicts"
assert_eq "backend/schema-mood-events.sql (identical)" \
    "$(jq -r '.against.objects[] | select(.name == "mood_events") | .matches | join(";")' "$J")" "mood_events identical"
assert_eq "false" "$(jq -r '.against.objects[] | select(.name == "moods") | .present' "$J")" "moods missing"
assert_eq "table legacy_sessions" "$(jq -r '.against.live_only | join(",")' "$J")" \
    "a live table in no file (tracking tables are not listed)"

# ---- files --------------------------------------------------------------------------
assert_eq "backend/schema-mood-events.sql applied 2/2
backend/schema-personalities.sql not applied 0/9
backend/schema.sql partially applied 1/3
database/migrations/001_initial.sql applied 1/1
database/migrations/002_conversations.sql applied 2/2
database/migrations/003_moods.sql not applied 0/1
database/migrations/004_conversation_tags.sql applied 1/1
database/migrations/004_message_index.sql not applied 0/1
database/migrations/006_deals.sql not applied 0/3
database/unified-schema/01-core.sql partially applied 1/3
database/unified-schema/02-conversations.sql partially applied 2/3" \
    "$(jq -r '.against.files[] | select(.file | test("backend/schema|migrations/|01-core|02-conv")) | "\(.file) \(.state) \(.present)/\(.total)"' "$J")" \
    "files: applied / partially / not (an ALTER counts by its effect)"
assert_eq "recorded by dbmate (version 004)" \
    "$(jq -r '.against.files[] | select(.file == "database/migrations/004_message_index.sql") | .tracked' "$J")" \
    "the 004 collision: dbmate records 004, but this 004 file is not applied"

# ---- tracking tables ----------------------------------------------------------------
assert_eq "dbmate schema_migrations 001,002,004 latest=004 dirty= files=001 -> database/migrations/001_initial.sql;001 -> database/unified-schema/01-core.sql;002 -> database/migrations/002_conversations.sql;002 -> database/unified-schema/02-conversations.sql;004 -> database/migrations/004_conversation_tags.sql;004 -> database/migrations/004_message_index.sql;004 -> database/unified-schema/04-enhanced-business-tables.sql unknown=
flyway flyway_schema_history 1,2,9 latest=9 dirty=9 files=1 -> database/migrations/001_initial.sql;1 -> database/unified-schema/01-core.sql;2 -> database/migrations/002_conversations.sql;2 -> database/unified-schema/02-conversations.sql unknown=9" \
    "$(jq -r '.against.tracking[] | "\(.tool) \(.table) \(.versions | join(",")) latest=\(.latest) dirty=\(.dirty | join(",")) files=\(.files | join(";")) unknown=\(.unknown | join(","))"' "$J")" \
    "dbmate and flyway: versions in order, latest, failed, files"

# ---- text, DATABASE_URL, masking ---------------------------------------------------------
assert_exit 1 "$DBSAGE" inventory --against "$URL" "$EX"
assert_contains "$(cat "$OUT")" "    flyway (flyway_schema_history): 3 applied, latest 9, dirty/failed: 9" "text: flyway line"
assert_contains "$(cat "$OUT")" "    database/migrations/006_deals.sql            not applied (0/3)" "text: file state"
DATABASE_URL=$URL assert_exit 1 "$DBSAGE" inventory --format json --against - "$EX"
assert_eq "$(jq -c '.against.files' "$J")" "$(jq -c '.against.files' "$OUT")" "--against - reads DATABASE_URL"
SECRET="postgresql://nobody:s3cret-pw@127.0.0.1:1/nodb?connect_timeout=2"
assert_exit 2 "$DBSAGE" inventory --against "$SECRET" "$EX"
assert_not_contains "$(cat "$OUT" "$ERR")" "s3cret-pw" "the password never appears"

# ---- Sqitch and Atlas ----------------------------------------------------------------
URL2=$(pg_new_db inventory_sqitch)
pg_apply "$URL2" "$EX/backend/schema.sql"
pg_sql "$URL2" "CREATE SCHEMA sqitch;
CREATE TABLE sqitch.changes (change_id text PRIMARY KEY, change text NOT NULL, project text NOT NULL,
    committed_at timestamptz NOT NULL);
INSERT INTO sqitch.changes VALUES ('a', '001_initial', 'robbie', '2026-01-01'), ('b', 'schema', 'robbie', '2026-01-02'),
    ('c', 'no_such_change', 'robbie', '2026-01-03');
CREATE SCHEMA atlas_schema_revisions;
CREATE TABLE atlas_schema_revisions.atlas_schema_revisions (version varchar PRIMARY KEY, description varchar,
    applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0, error text);
INSERT INTO atlas_schema_revisions.atlas_schema_revisions VALUES ('006', 'deals', 1, 3, 'relation exists'),
    ('002', 'conversations', 2, 2, NULL);" >/dev/null
assert_exit 1 "$DBSAGE" inventory --format json --against "$URL2" "$EX"
assert_eq "sqitch sqitch.changes 001_initial,schema,no_such_change latest=no_such_change dirty= files=001_initial -> database/migrations/001_initial.sql;schema -> backend/schema.sql unknown=no_such_change
atlas atlas_schema_revisions.atlas_schema_revisions 002,006 latest=006 dirty=006 files=002 -> database/migrations/002_conversations.sql;002 -> database/unified-schema/02-conversations.sql;006 -> database/migrations/006_deals.sql;006 -> database/unified-schema/06-testpilot-simulations.sql unknown=" \
    "$(jq -r '.against.tracking[] | "\(.tool) \(.table) \(.versions | join(",")) latest=\(.latest) dirty=\(.dirty | join(",")) files=\(.files | join(";")) unknown=\(.unknown | join(","))"' "$OUT")" \
    "Sqitch (changes by name) and Atlas (applied < total or an error = dirty)"
assert_eq "backend/schema.sql applied 3/3" \
    "$(jq -r '.against.files[] | select(.file == "backend/schema.sql") | "\(.file) \(.state) \(.present)/\(.total)"' "$OUT")" \
    "the basic backend schema is what this database runs"
assert_eq "" "$(jq -r '.against.live_only | join(",")' "$OUT")" "tracking tables are not live-only objects"

# --against needs a database, not a file
assert_exit 2 "$DBSAGE" inventory --against "$EX/backend/schema.sql" "$EX"
assert_contains "$(cat "$ERR")" "--against needs a live database" "--against a SQL file is a usage error"
