#!/usr/bin/env bash
# tests/cli/pg_verify_copy.sh — owns: the CLI test of `dbsage verify --from
# --to` across engines: a SQLite file and a PostgreSQL database holding the
# same content (other row order; jsonb key order, timestamps with offsets and
# epoch milliseconds, 0/1 vs boolean, reals, numerics, bytea, NULLs) compare
# equal both ways; one changed value, one missing row, a missing table and a
# missing column are reported for exactly the table concerned; --tables,
# $DATABASE_URL, password masking, usage errors.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

SRC=$(sqlite_new_db)
cat >"$T/src.sql" <<'EOF'
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, amount REAL, price NUMERIC, flag BOOLEAN,
                    created_at TIMESTAMP, payload JSON, data BLOB);
INSERT INTO items VALUES (1, 'h\u00e9llo', 0.1, 12.5, 1, '2024-01-02 03:04:05.123456',
                          '{"b": 1, "a": [1, 2.50, {"z": null, "y": "é"}]}', x'00ff10');
INSERT INTO items VALUES (2, NULL, 1e20, 3, 0, '2024-01-02T03:04:05+02:00', '{"k": true}', x'');
INSERT INTO items VALUES (3, 'tab	and
newline', -0.0, 1000, 't', '2024-01-02', '[]', NULL);
INSERT INTO items VALUES (4, 'O''Brien', 0.30000000000000004, NULL, 'f', NULL, NULL, x'41');
CREATE TABLE events (id INTEGER PRIMARY KEY, at_ms INTEGER, day DATE);
INSERT INTO events VALUES (1, 1700000000123, '2024-02-29');
INSERT INTO events VALUES (2, 1700000000000, '2023-01-01');
INSERT INTO events VALUES (3, NULL, NULL);
CREATE TABLE tags (tag TEXT, n INTEGER);
INSERT INTO tags VALUES ('a', 1), ('a', 1), ('b', 2);
EOF
sqlite_apply "$SRC" "$T/src.sql"

DB=$(pg_new_db verify_copy)
cat >"$T/dst.sql" <<'EOF'
SET TimeZone = 'America/New_York';
CREATE TABLE items (id bigint PRIMARY KEY, name text, amount double precision, price numeric(10,3),
                    flag boolean, created_at timestamptz, payload jsonb, data bytea);
INSERT INTO items VALUES (4, 'O''Brien', 0.30000000000000004, NULL, false, NULL, NULL, '\x41');
INSERT INTO items VALUES (3, E'tab\tand\nnewline', 0, 1000, true, '2024-01-02 00:00:00+00', '[]', NULL);
INSERT INTO items VALUES (2, NULL, 1e20, 3, false, '2024-01-02 01:04:05+00', '{"k": true}', '\x');
INSERT INTO items VALUES (1, 'h\u00e9llo', 0.1, 12.5, true, '2024-01-02 03:04:05.123456+00',
                          '{"a": [1, 2.50, {"y": "é", "z": null}], "b": 1}', '\x00ff10');
CREATE TABLE events (id integer PRIMARY KEY, at_ms timestamptz, day date);
INSERT INTO events VALUES (3, NULL, NULL), (2, to_timestamp(1700000000), '2023-01-01'),
                          (1, to_timestamp(1700000000.123), '2024-02-29');
CREATE TABLE tags (tag text, n int);
INSERT INTO tags VALUES ('b', 2), ('a', 1), ('a', 1);
EOF
pg_apply "$DB" "$T/dst.sql"

# ---- equal across engines, both directions -------------------------------------------------
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DB"
assert_contains "$(cat "$OUT")" "3 tables: 3 equal, 0 differ" "SQLite -> PG: all tables equal"
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DB" --format json
assert_eq "equal equal equal" "$(jq -r '[.tables[].status] | join(" ")' "$OUT")" "json: every table equal"
assert_eq "4 3 3" "$(jq -r '[.tables[] | select(.table=="items" or .table=="events" or .table=="tags")
    | .to_rows] | sort | reverse | map(tostring) | join(" ")' "$OUT")" "json: row counts"
assert_eq "true" "$(jq -r '[.tables[] | .from_checksum == .to_checksum] | all' "$OUT")" "json: checksums equal"
assert_eq "timestamp" "$(jq -r '.tables[] | select(.table=="events") | .columns[] | select(.name=="at_ms") | .kind' "$OUT")" \
    "an INTEGER column copied into timestamptz compares as timestamps"
SUM_ITEMS=$(jq -r '.tables[] | select(.table=="items") | .from_checksum' "$OUT")
assert_exit 0 "$DBSAGE" verify --from "$DB" --to "$SRC"
assert_contains "$(cat "$OUT")" "3 equal" "PG -> SQLite: all tables equal"

# ---- one changed value ------------------------------------------------------------------------
pg_sql "$DB" "UPDATE items SET amount = 0.1000001 WHERE id = 1" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --format json
assert_eq "items:content_differs events:equal tags:equal" \
    "$(jq -r '[.tables[] | "\(.table):\(.status)"] | sort_by(startswith("items") | not) | join(" ")' "$OUT")" \
    "a changed value: only items differs, by content"
assert_eq "4 4" "$(jq -r '.tables[] | select(.table=="items") | "\(.from_rows) \(.to_rows)"' "$OUT")" "same counts"
assert_eq "$SUM_ITEMS" "$(jq -r '.tables[] | select(.table=="items") | .from_checksum' "$OUT")" "source checksum stable"
assert_ne "$SUM_ITEMS" "$(jq -r '.tables[] | select(.table=="items") | .to_checksum' "$OUT")" "target checksum moved"
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB"
assert_contains "$(cat "$OUT")" "DIFFERS (content)" "text names the difference"

# a jsonb value with other content (not just other key order) is a difference
pg_sql "$DB" "UPDATE items SET amount = 0.1 WHERE id = 1" >/dev/null
pg_sql "$DB" "UPDATE items SET payload = '{\"k\": false}' WHERE id = 2" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables items
pg_sql "$DB" "UPDATE items SET payload = '{\"k\": true}' WHERE id = 2" >/dev/null
# a timestamp one microsecond off
pg_sql "$DB" "UPDATE events SET at_ms = at_ms + interval '1 microsecond' WHERE id = 1" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables events
pg_sql "$DB" "UPDATE events SET at_ms = to_timestamp(1700000000.123) WHERE id = 1" >/dev/null
# a boolean flipped
pg_sql "$DB" "UPDATE items SET flag = NOT flag WHERE id = 3" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables items
pg_sql "$DB" "UPDATE items SET flag = NOT flag WHERE id = 3" >/dev/null
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DB"

# ---- one missing row; a duplicate pair replaced (XOR would cancel it) ------------------------
pg_sql "$DB" "DELETE FROM events WHERE id = 2" >/dev/null
pg_sql "$DB" "DELETE FROM tags; INSERT INTO tags VALUES ('b', 2), ('c', 3), ('c', 3)" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --format json
assert_eq "count_differs 3 2" "$(jq -r '.tables[] | select(.table=="events") | "\(.status) \(.from_rows) \(.to_rows)"' "$OUT")" \
    "a missing row: count 3 -> 2"
assert_eq "content_differs" "$(jq -r '.tables[] | select(.table=="tags") | .status' "$OUT")" "duplicate rows swapped"
assert_eq "equal" "$(jq -r '.tables[] | select(.table=="items") | .status' "$OUT")" "items still equal"
assert_eq "2" "$(jq -r '.tables_differing' "$OUT")" "two tables differ"

# ---- --tables, missing table and column --------------------------------------------------------
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables items --format json
assert_eq "items" "$(jq -r '[.tables[].table] | join(",")' "$OUT")" "--tables limits the comparison"
pg_sql "$DB" "DROP TABLE tags; ALTER TABLE items DROP COLUMN data; ALTER TABLE items ADD COLUMN extra text" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables items,tags --format json
assert_eq "missing 3 null" "$(jq -r '.tables[] | select(.table=="tags") | "\(.status) \(.from_rows) \(.to_rows)"' "$OUT")" \
    "a table missing in the target"
assert_eq "columns_missing data extra" \
    "$(jq -r '.tables[] | select(.table=="items") | "\(.status) \(.missing_in_to | join(",")) \(.missing_in_from | join(","))"' "$OUT")" \
    "missing column reported, shared columns equal"

# ---- DATABASE_URL, masking, usage ---------------------------------------------------------------
assert_exit 1 env DATABASE_URL="$DB" "$DBSAGE" verify --from "$SRC" --tables events
assert_contains "$(cat "$OUT")" "events" "--to defaults to DATABASE_URL"
SECRET_URL=${DB/postgresql:\/\/\//postgresql://postgres:s3cret@/}
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$SECRET_URL" --tables events
assert_not_contains "$(cat "$OUT" "$ERR")" "s3cret" "password masked"
assert_exit 2 "$DBSAGE" verify --from "$SRC"
assert_contains "$(cat "$ERR")" "--to" "--to required"
assert_exit 2 "$DBSAGE" verify --from "$SRC" --to "$DB" --format yaml
assert_exit 2 "$DBSAGE" verify --from "$SRC" --to "$DB" --tables nope
assert_contains "$(cat "$ERR")" "no table 'nope'" "unknown table named"
assert_exit 2 "$DBSAGE" verify --from "$T/absent.sqlite" --to "$DB"
assert_exit 0 "$DBSAGE" verify --from "$SRC" --help
assert_contains "$(cat "$OUT")" "--from URL" "help"

# ---- --spec: per table and per tenant ---------------------------------------------------------
# A two-tenant source and a target filled by hand the way the spec's copy would fill it
# (tenant column injected from the schema suffix via a lookup, keys of `notes` remapped by
# offset), so this does not depend on the copy engine.
TS=$(pg_new_db verify_spec_src)
TD=$(pg_new_db verify_spec_dst)
pg_sql "$TS" "CREATE SCHEMA client_a; CREATE SCHEMA client_b;
  CREATE TABLE client_a.notes (id int PRIMARY KEY, body text, at timestamptz, meta jsonb);
  CREATE TABLE client_b.notes (id int PRIMARY KEY, body text, at timestamptz, meta jsonb);
  INSERT INTO client_a.notes VALUES (1, 'a1', '2024-01-01 10:00+00', '{\"x\": 1, \"a\": 2}'), (2, 'a2', NULL, NULL);
  INSERT INTO client_b.notes VALUES (1, 'b1', '2024-02-01 10:00+00', '[1]');
  CREATE TABLE public.kinds (code text PRIMARY KEY, label text);
  INSERT INTO kinds VALUES ('k', 'Kay')" >/dev/null
pg_sql "$TD" "CREATE TABLE clients (id int PRIMARY KEY, slug text UNIQUE);
  INSERT INTO clients VALUES (10, 'a'), (20, 'b');
  CREATE TABLE kinds (code text PRIMARY KEY, label text, extra int);
  INSERT INTO kinds VALUES ('k', 'Kay', NULL);
  CREATE TABLE notes (id int PRIMARY KEY, client_id int, text text, at timestamptz, meta json);
  INSERT INTO notes VALUES (1, 10, 'a1', '2024-01-01 11:00+01', '{\"a\": 2, \"x\": 1}'), (2, 10, 'a2', NULL, NULL),
                           (1001, 20, 'b1', '2024-02-01 10:00+00', '[ 1 ]')" >/dev/null
cat >"$T/spec.yaml" <<'YAML'
version: 1
tenants:
  schemas: 'client_*'
  column: client_id
  value: {lookup: "SELECT id FROM clients WHERE slug = $1", from: schema_suffix}
tables:
  - into: kinds
    select: SELECT code, label FROM public.kinds
  - into: notes
    per_tenant: true
    select: SELECT n.id, n.body, n.at, n.meta FROM {schema}.notes n
    key: id
    remap: offset
    columns: {id: id, text: body, at: at, meta: meta}
YAML
assert_exit 0 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec.yaml" --format json
assert_eq "kinds:-:equal notes:client_a:equal notes:client_b:equal" \
    "$(jq -r '[.tables[] | "\(.table):\(.tenant // "-"):\(.status)"] | join(" ")' "$OUT")" "spec: every table/tenant equal"
assert_eq "10 20" "$(jq -r '[.tables[] | select(.tenant) | .tenant_value] | join(" ")' "$OUT")" "tenant values from the lookup"
assert_eq "id" "$(jq -r '[.tables[] | select(.tenant == "client_b") | .remapped[]] | join(",")' "$OUT")" \
    "the offset-remapped key is not compared"
assert_eq "2 1" "$(jq -r '[.tables[] | select(.tenant) | .to_rows | tostring] | join(" ")' "$OUT")" "rows per tenant"
assert_eq "extra" "$(jq -r '.tables[] | select(.table == "kinds") | .missing_in_from | join(",")' "$OUT")" \
    "unmapped target column listed"
pg_sql "$TD" "UPDATE notes SET text = 'B1' WHERE client_id = 20" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec.yaml" --format json
assert_eq "kinds:-:equal notes:client_a:equal notes:client_b:content_differs" \
    "$(jq -r '[.tables[] | "\(.table):\(.tenant // "-"):\(.status)"] | join(" ")' "$OUT")" \
    "spec: a changed value shows in its tenant only"
pg_sql "$TD" "UPDATE notes SET text = 'b1' WHERE client_id = 20; UPDATE notes SET client_id = 20 WHERE id = 2" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec.yaml" --tables notes
assert_contains "$(cat "$OUT")" "notes [client_a]  DIFFERS (row count)  rows 2 -> 1" "a row under the wrong tenant: tenant a"
assert_contains "$(cat "$OUT")" "notes [client_b]  DIFFERS (row count)  rows 1 -> 2" "a row under the wrong tenant: tenant b"
assert_not_contains "$(cat "$OUT")" "kinds" "--tables with --spec"
assert_exit 2 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/absent.yaml"

# the offsets the copy recorded (dbsage_copy_tenants) make the remapped key comparable
pg_sql "$TD" "UPDATE notes SET client_id = 10 WHERE id = 2;
  CREATE TABLE dbsage_copy_tenants (job text NOT NULL, target_table text NOT NULL, tenant text NOT NULL,
    tenant_value text, key_offset bigint NOT NULL, PRIMARY KEY (job, target_table, tenant));
  INSERT INTO dbsage_copy_tenants VALUES ('j', 'notes', 'client_a', '10', 0), ('j', 'notes', 'client_b', '20', 1000)" >/dev/null
assert_exit 0 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec.yaml" --tables notes --format json
assert_eq "0 0" "$(jq -r '[.tables[] | .remapped | length | tostring] | join(" ")' "$OUT")" "recorded offsets: the key is compared"
assert_eq "id,text,at,meta" "$(jq -r '.tables[1].columns | map(.name) | join(",")' "$OUT")" "compared columns"
pg_sql "$TD" "UPDATE notes SET id = 1002 WHERE id = 1001" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec.yaml" --tables notes --format json
assert_eq "equal content_differs" "$(jq -r '[.tables[].status] | join(" ")' "$OUT")" "a key off its offset is a difference"

# remap: map — the target's keys are translated back through dbsage_key_map
sed 's/remap: offset/remap: map/' "$T/spec.yaml" >"$T/spec_map.yaml"
pg_sql "$TD" "UPDATE notes SET id = 1001 WHERE id = 1002;
  CREATE TABLE dbsage_key_map (\"table\" text NOT NULL, tenant text NOT NULL, old_key text NOT NULL,
    new_key text NOT NULL, PRIMARY KEY (\"table\", tenant, old_key));
  INSERT INTO dbsage_key_map VALUES ('notes', 'client_a', '1', '1'), ('notes', 'client_a', '2', '2'),
                                    ('notes', 'client_b', '1', '1001')" >/dev/null
assert_exit 0 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec_map.yaml" --tables notes --format json
assert_eq "id,text,at,meta id,text,at,meta" "$(jq -r '[.tables[] | .columns | map(.name) | join(",")] | join(" ")' "$OUT")" \
    "recorded key map: the key is compared"
pg_sql "$TD" "UPDATE dbsage_key_map SET new_key = CASE old_key WHEN '1' THEN '2' ELSE '1' END WHERE tenant = 'client_a'" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$TS" --to "$TD" --spec "$T/spec_map.yaml" --tables notes --format json
assert_eq "content_differs equal" "$(jq -r '[.tables[].status] | join(" ")' "$OUT")" "two keys swapped in the map: a difference"

# ---- with the copy engine: dbsage copy, then verify ------------------------------------------
# the awkward SQLite source above, copied by dbsage copy into an empty PG database
CP=$(pg_new_db verify_after_copy)
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$CP"
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$CP"
assert_contains "$(cat "$OUT")" "3 tables: 3 equal" "dbsage copy SQLite -> PG verifies equal"
# the Backstage -> Cogito consolidation: every (table, tenant) equal on every column
EX=$DBSAGE_SOURCE_DIR/examples/backstage-to-cogito
BS=$(pg_new_db verify_backstage)
CG=$(pg_new_db verify_cogito)
python3 "$EX/gen_backstage.py" >"$T/backstage.sql"
pg_apply "$BS" "$T/backstage.sql"
assert_exit 0 "$DBSAGE" migrate --url "$CG" --dir "$EX/cogito" up
assert_exit 0 "$DBSAGE" copy --from "$BS" --to "$CG" --spec "$EX/copy.yaml"
assert_exit 0 "$DBSAGE" verify --from "$BS" --to "$CG" --spec "$EX/copy.yaml" --format json
assert_eq "14 0 0" "$(jq -r '"\([.tables[] | select(.status == "equal")] | length) \([.tables[] | .remapped[]] | length) \(.tables_differing)"' "$OUT")" \
    "example: 14 (table, tenant) pairs equal, no column left uncompared"
pg_sql "$CG" "UPDATE conversation.turns SET content = content || '.' WHERE id = (SELECT min(id) FROM conversation.turns)" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$BS" --to "$CG" --spec "$EX/copy.yaml" --tables conversation.turns --format json
assert_eq "1" "$(jq -r '[.tables[] | select(.status == "content_differs")] | length' "$OUT")" "example: one changed turn, one tenant differs"
