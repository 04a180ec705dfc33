#!/usr/bin/env bash
# tests/cli/compare.sh — owns: the `dbsage compare` command-line contract on
# SQL files and SQLite databases (no server; the live PostgreSQL side is
# pg_compare.sh).  The examples/backstage-cogito pair: exact findings
# (overlaps with scores and verdicts, column differences, conflicts,
# one-side-only objects, tenant copies, FK-graph hints) in text, JSON and
# Markdown (golden files in tests/cli/compare/); --exit-code, --min-score,
# --schema-map, -o; a PostgreSQL file against an SQLite database (dialect
# spellings fold: serial/INTEGER PRIMARY KEY, now()/CURRENT_TIMESTAMP,
# true/1, jsonb/JSON), and the example's A side against its SQLite
# translation (all identical, then exactly one planted conflict); B from
# DATABASE_URL; usage and I/O errors (exit 2).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/backstage-cogito
GOLD=$DBSAGE_SOURCE_DIR/tests/cli/compare

compare_ex() { (cd "$EX" && "$DBSAGE" compare "$@" backstage.sql cogito.sql); }

# ---- help and usage errors ---------------------------------------------------------
assert_exit 0 "$DBSAGE" compare --help
assert_contains "$(cat "$OUT")" "usage: dbsage compare" "--help prints the usage"
assert_exit 2 "$DBSAGE" compare "$EX/backstage.sql"
assert_contains "$(cat "$ERR")" "compare needs B (or DATABASE_URL)" "one source and no DATABASE_URL"
assert_exit 2 "$DBSAGE" compare
assert_exit 2 "$DBSAGE" compare a b c
assert_exit 2 "$DBSAGE" compare --format yaml "$EX/backstage.sql" "$EX/cogito.sql"
assert_contains "$(cat "$ERR")" "unknown --format 'yaml'" "bad --format named"
assert_exit 2 "$DBSAGE" compare --min-score 1.5 "$EX/backstage.sql" "$EX/cogito.sql"
assert_exit 2 "$DBSAGE" compare --min-score abc "$EX/backstage.sql" "$EX/cogito.sql"
assert_exit 2 "$DBSAGE" compare --schema-map nope "$EX/backstage.sql" "$EX/cogito.sql"
assert_contains "$(cat "$ERR")" "bad --schema-map 'nope'" "bad --schema-map named"
assert_exit 2 "$DBSAGE" compare --dialect-a oracle "$EX/backstage.sql" "$EX/cogito.sql"
assert_exit 2 "$DBSAGE" compare "$T/missing.sql" "$EX/cogito.sql"
assert_contains "$(cat "$ERR")" "missing.sql" "the unreadable source is named"
printf 'CREATE TABLE broken (;\n' >"$T/broken.sql"
assert_exit 2 "$DBSAGE" compare "$T/broken.sql" "$EX/cogito.sql"
assert_exit 2 "$DBSAGE" compare -o "$T/no/such/dir/out.txt" "$EX/backstage.sql" "$EX/cogito.sql"

# ---- the example pair: golden outputs ------------------------------------------------------
assert_exit 0 compare_ex
cp "$OUT" "$T/out.txt"
assert_files_equal "$GOLD/backstage-cogito.txt" "$T/out.txt" "text output"
assert_exit 0 compare_ex --format json
cp "$OUT" "$T/out.json"
assert_files_equal "$GOLD/backstage-cogito.json" "$T/out.json" "JSON output"
assert_exit 0 compare_ex --format markdown
cp "$OUT" "$T/out.md"
assert_files_equal "$GOLD/backstage-cogito.md" "$T/out.md" "Markdown output"
jq -e . "$T/out.json" >/dev/null && pass "JSON parses" || fail "JSON does not parse"

# ---- the example pair: the findings, one by one ------------------------------------------
J=$T/out.json
assert_eq "3 0 0 3 5 13 10 3" \
    "$(jq -r '.summary | "\(.overlaps) \(.identical) \(.compatible) \(.conflicting) \(.conflicts) \(.only_a) \(.only_b) \(.hints)"' "$J")" \
    "summary counts"
assert_eq "client_bsa.file_uploads=files.file_uploads 0.91 1.00 0.81 7 conflicting 2
client_bsa.file_upload_vectors=files.file_upload_vectors 0.83 1.00 0.67 5 conflicting 3
participants=conversation.participants 0.70 1.00 0.40 4 conflicting 0" \
    "$(jq -r '.overlaps[] | "\(.a)=\(.b) \(.score) \(.name_similarity) \(.column_overlap) \(.common_columns) \(.verdict) \(.conflicts)"' "$J" |
        awk '{ printf "%s %.2f %.2f %.2f %s %s %s\n", $1, $2, $3, $4, $5, $6, $7 }')" \
    "overlaps: pairs, scores, verdicts, conflict counts"
assert_eq "client_dev.file_uploads|client_dev.file_upload_vectors|" \
    "$(jq -r '[.overlaps[] | .tenant_copies | join(",")] | join("|")' "$J")" \
    "tenant copies join their pair"
# column-level compatibility of participants
assert_eq "type id integer bigint wider false
type name character varying(100) text wider false
only_a email character varying(255) null - false
only_a password text null - false
only_a role_id integer null - false
nullable is_active NOT NULL null - false
type created_at timestamp without time zone timestamp with time zone wider false
only_b user_id null uuid - false
only_b type null conversation.participant_kind - false
only_b metadata null jsonb - false
unique UNIQUE (email) UNIQUE (email) null - false
foreign_key FOREIGN KEY (role_id) REFERENCES participant_roles(id) null - false
foreign_key FOREIGN KEY (user_id) null REFERENCES users(id) - false" \
    "$(jq -r '.overlaps[2].differences[] | "\(.kind) \(.what) \(.a) \(.b) \(.relation // "-") \(.conflict)"' "$J")" \
    "participants: every column and constraint difference"
# the conflicts, exactly
assert_eq "client_bsa.file_uploads type id integer uuid
client_bsa.file_uploads default id nextval('client_bsa.file_uploads_id_seq'::regclass) gen_random_uuid()
client_bsa.file_upload_vectors type id integer uuid
client_bsa.file_upload_vectors default id nextval('client_bsa.file_upload_vectors_id_seq'::regclass) gen_random_uuid()
client_bsa.file_upload_vectors type file_upload_id integer uuid" \
    "$(jq -r '.conflicts[] | "\(.a_table) \(.difference.kind) \(.difference.what) \(.difference.a) \(.difference.b)"' "$J")" \
    "conflicts: uuid keys against serial ones"
# no conflict for what only differs in width or in the other side's extra column
assert_eq "participant_id:wider filename:wider size_bytes:wider created_at:wider client_id:only_b" \
    "$(jq -r '[.overlaps[0].differences[] | select(.conflict|not) | select(.kind != "foreign_key") |
             "\(.what):\(.relation // .kind)"] | join(" ")' "$J")" \
    "file_uploads: widenings and B's client_id are compatible"
# one-side-only objects
assert_eq "group_types llm_types llms message_types participant_roles session turn_kinds" \
    "$(jq -r '[.only_a[] | select(.hinted|not) | .name] | join(" ")' "$J")" \
    "complementary in A (Backstage's LLM and reference tables)"
assert_eq "table:client_mgmt.users table:conversation.block_lens_version table:conversation.block_turns table:conversation.lens_prototypes table:events.event_log view:conversation.block_turn_counts enum:conversation.participant_kind" \
    "$(jq -r '[.only_b[] | select(.hinted|not) | "\(.kind):\(.name)"] | join(" ")' "$J")" \
    "complementary in B (tables, view, enum)"
assert_eq "client_bsa.groups client_dev.groups" \
    "$(jq -r '[.only_a[] | select(.name|endswith("groups")) | .name] | join(" ")' "$J")" \
    "a hinted table's tenant copy is listed too"
assert_eq "client_bsa.groups" "$(jq -r '.only_a[] | select(.name == "client_dev.groups") | .copy_of' "$J")" \
    "tenant copy names its table"
# FK-graph hints: the conversation tables map through participants
assert_eq "client_bsa.grp_topic_avatar_turns=conversation.turns 0.34
client_bsa.topic_paths=conversation.blocks 0.16
client_bsa.groups=client_mgmt.clients 0.30" \
    "$(jq -r '.hints[] | "\(.a)=\(.b) \(.score)"' "$J" | awk '{ printf "%s %.2f\n", $1, $2 }')" \
    "hints, in discovery order"
assert_contains "$(jq -r '.hints[0].reason' "$J")" \
    "conversation.turns references conversation.participants (participant_id); from participants ~ conversation.participants" \
    "hint reason: both reference the paired participants"
assert_contains "$(jq -r '.hints[1].reason' "$J")" \
    "conversation.turns and conversation.blocks are linked through conversation.block_turns" \
    "hint reason: an association table counts as a link"
# text and Markdown say the same
assert_contains "$(cat "$T/out.txt")" \
    "participants ~ conversation.participants  score 0.70 (names 1.00, columns 0.40, 4 common)  conflicting (divergent: each side has what the other lacks)" \
    "text: a divergent pair"
assert_contains "$(cat "$T/out.txt")" "    ! column id: integer vs uuid (conflict)" "text: conflicts marked !"
assert_contains "$(cat "$T/out.md")" "| participants | conversation.participants | 0.70 | 1.00 | 0.40 | 4 | conflicting" \
    "Markdown: overlap table row"
assert_contains "$(cat "$T/out.md")" "- **conflict** column file_upload_id: integer vs uuid (conflict)" \
    "Markdown: conflicts in bold"

# ---- options ------------------------------------------------------------------------
assert_exit 1 compare_ex --exit-code
assert_exit 0 "$DBSAGE" compare --exit-code -f json "$EX/cogito.sql" "$EX/cogito.sql"
assert_eq "11 11 0 0 0 0 0" \
    "$(jq -r '.summary | "\(.overlaps) \(.identical) \(.conflicts) \(.only_a) \(.only_b) \(.hints) \(.compatible)"' "$OUT")" \
    "a schema against itself: every table identical, nothing else"
assert_exit 0 compare_ex --min-score 0.95 -f json
assert_eq "0 0" "$(jq -r '"\(.summary.overlaps) \(.summary.hints)"' "$OUT")" "--min-score 0.95 pairs nothing (and no hints without pairs)"
assert_exit 0 compare_ex --min-score 0.75 -f json
assert_eq "client_bsa.file_uploads client_bsa.file_upload_vectors" "$(jq -r '[.overlaps[].a] | join(" ")' "$OUT")" \
    "--min-score 0.75 keeps the two file tables"
assert_exit 0 compare_ex --schema-map client_bsa=conversation --schema-map client_dev=conversation -f json
assert_eq "participants=conversation.participants" "$(jq -r '[.overlaps[] | "\(.a)=\(.b)"] | join(" ")' "$OUT")" \
    "--schema-map keeps the client tables away from files.*"
assert_exit 0 compare_ex -o "$T/written.md" -f md
assert_eq "" "$(cat "$OUT")" "-o: nothing on stdout"
assert_files_equal "$GOLD/backstage-cogito.md" "$T/written.md" "-o writes the report"

# ---- across dialects: PostgreSQL file vs SQLite database ----------------------------------
cat >"$T/app.pg.sql" <<'E'
CREATE TABLE users (id serial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE,
  active boolean NOT NULL DEFAULT true, prefs jsonb, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id), body text, score numeric(10,2));
CREATE TABLE tags (id integer PRIMARY KEY, label text);
E
cat >"$T/app.sqlite.sql" <<'E'
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE,
  active BOOLEAN NOT NULL DEFAULT 1, prefs JSON, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE post (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), body BLOB,
  score REAL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB);
E
DB=$(sqlite_new_db)
sqlite_apply "$DB" "$T/app.sqlite.sql"
assert_exit 0 "$DBSAGE" compare -f json "$T/app.pg.sql" "$DB"
J2=$T/x.json
cp "$OUT" "$J2"
assert_eq "pg sqlite" "$(jq -r '"\(.a.dialect) \(.b.dialect)"' "$J2")" "each side read in its own dialect"
assert_eq "users=users identical 1.00
posts=post conflicting 0.94" \
    "$(jq -r '.overlaps[] | "\(.a)=\(.b) \(.verdict) \(.score)"' "$J2" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 }')" \
    "users identical across dialects; posts ~ post by name (plural folded)"
assert_eq "type body text BLOB conflict true
type score numeric(10,2) REAL narrower false" \
    "$(jq -r '.overlaps[1].differences[] | "\(.kind) \(.what) \(.a) \(.b) \(.relation) \(.conflict)"' "$J2")" \
    "posts: text against BLOB conflicts, numeric against REAL narrows"
assert_eq "table:tags" "$(jq -r '[.only_a[] | "\(.kind):\(.name)"] | join(" ")' "$J2")" "tags only in the PostgreSQL file"
assert_eq "table:notes" "$(jq -r '[.only_b[] | "\(.kind):\(.name)"] | join(" ")' "$J2")" "notes only in the SQLite database"
assert_exit 1 "$DBSAGE" compare --exit-code "$T/app.pg.sql" "$DB"
assert_contains "$(cat "$OUT")" "posts ~ post: column body: text vs BLOB (conflict)" "text names the conflict"
# the SQLite side as SQL text, its dialect given
assert_exit 0 "$DBSAGE" compare -f json --dialect-b sqlite "$T/app.pg.sql" "$T/app.sqlite.sql"
assert_eq "sqlite identical" "$(jq -r '"\(.b.dialect) \(.overlaps[0].verdict)"' "$OUT")" "--dialect-b sqlite reads B as SQLite"

# ---- the example's A side written for SQLite: every table identical ---------------------
BS=$(sqlite_new_db)
sqlite_apply "$BS" "$GOLD/backstage.sqlite.sql"
assert_exit 0 "$DBSAGE" compare --exit-code -f json "$EX/backstage.sql" "$BS"
assert_eq "13 13 0 0 0 0" \
    "$(jq -r '.summary | "\(.overlaps) \(.identical) \(.conflicts) \(.only_a) \(.only_b) \(.hints)"' "$OUT")" \
    "backstage.sql (pg) against its SQLite translation: 13 identical tables"
assert_eq "5" "$(jq '[.overlaps[].tenant_copies[]] | length' "$OUT")" "client_dev's five tables are tenant copies"
# one real change on the SQLite side is the one finding
sed 's/    size_bytes INTEGER,/    size_bytes BLOB,/' "$GOLD/backstage.sqlite.sql" >"$T/bs2.sql"
BS2=$(sqlite_new_db)
sqlite_apply "$BS2" "$T/bs2.sql"
assert_exit 1 "$DBSAGE" compare --exit-code -f json "$EX/backstage.sql" "$BS2"
assert_eq "12 1 type size_bytes integer BLOB conflict" \
    "$(jq -r '"\(.summary.identical) \(.summary.conflicts) \(.conflicts[0].difference | "\(.kind) \(.what) \(.a) \(.b) \(.relation)")"' "$OUT")" \
    "size_bytes BLOB: the only conflict"

# ---- B from DATABASE_URL ------------------------------------------------------------------
DATABASE_URL=$DB assert_exit 0 "$DBSAGE" compare -f json "$T/app.pg.sql"
assert_eq "sqlite 2" "$(jq -r '"\(.b.dialect) \(.summary.overlaps)"' "$OUT")" "B defaults to DATABASE_URL"
