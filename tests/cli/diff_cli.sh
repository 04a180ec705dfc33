#!/usr/bin/env bash
# tests/cli/diff_cli.sh — owns: the `dbsage diff` command-line contract.
# Options and exit codes (--exit-code 0/1/2, usage errors), `empty` as FROM/TO,
# dialect mismatch, --format json shape (jq), destructive changes left out
# without --allow-destructive (with the message), hazard comments, --down,
# --rename and `-- dbsage:renamed-from` annotations producing RENAME instead of
# drop + add.  Uses SQL files and real SQLite files only (no server needed); the
# PostgreSQL live side is covered by pg_diff_roundtrip.sh.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

"$DBSAGE" diff --help >/dev/null 2>&1 || skip "dbsage has no diff command yet"

# ---- inputs ---------------------------------------------------------------------
cat >"$T/s_from.sql" <<'E'
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, legacy TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT);
E
cat >"$T/s_to.sql" <<'E'
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, legacy TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));
CREATE INDEX orders_user ON orders (user_id);
E
cat >"$T/p_from.sql" <<'E'
CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE ticket (id integer PRIMARY KEY, qty text, s status NOT NULL DEFAULT 'new', old text);
E
cat >"$T/p_to.sql" <<'E'
CREATE TYPE status AS ENUM ('new', 'open', 'done');
CREATE TABLE ticket (id integer PRIMARY KEY, qty integer, s status NOT NULL DEFAULT 'new');
E
cat >"$T/p_alias_a.sql" <<'E'
CREATE TABLE t (id serial PRIMARY KEY, a int4, b varchar(10), c timestamptz DEFAULT now(), d bool DEFAULT true);
E
cat >"$T/p_alias_b.sql" <<'E'
CREATE SEQUENCE t_id_seq AS integer;
CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'::regclass) PRIMARY KEY, a integer,
    b character varying(10), c timestamp with time zone DEFAULT (now()), d boolean DEFAULT true);
ALTER SEQUENCE t_id_seq OWNED BY t.id;
E

diff_rc() { # prints the exit status of dbsage diff ARGS (stdout $OUT, stderr $ERR)
    local rc=0
    "$DBSAGE" diff "$@" >"$OUT" 2>"$ERR" || rc=$?
    echo "$rc"
}

# ---- help and usage -------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --help
for opt in --dialect --down --exit-code --allow-destructive --format --rename; do
    assert_contains "$(cat "$OUT")" "$opt" "diff --help documents $opt"
done
assert_exit 2 "$DBSAGE" diff "$T/s_from.sql"
assert_exit 2 "$DBSAGE" diff --format yaml "$T/s_from.sql" "$T/s_to.sql"
assert_exit 2 "$DBSAGE" diff --no-such-option "$T/s_from.sql" "$T/s_to.sql"

# ---- --exit-code --------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --exit-code --dialect sqlite "$T/s_from.sql" "$T/s_from.sql"
assert_not_contains "$(grep -v '^--' "$OUT")" "CREATE" "no statements for identical schemas"
assert_exit 1 "$DBSAGE" diff --exit-code --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
assert_contains "$(cat "$OUT")" "CREATE TABLE" "--exit-code 1 still prints the plan"
assert_exit 0 "$DBSAGE" diff --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
assert_exit 2 "$DBSAGE" diff --exit-code --dialect sqlite "$T/s_from.sql" "$T/does_not_exist.sql"
assert_ne 0 "$(diff_rc --dialect sqlite "$T/s_from.sql" "$T/does_not_exist.sql")" "missing input is an error"
printf 'CREATE TABLE broken (id INTEGER PRIMARY KEY,\n' >"$T/broken.sql"
assert_exit 2 "$DBSAGE" diff --exit-code --dialect pg "$T/p_from.sql" "$T/broken.sql"
assert_contains "$(cat "$ERR")" "broken.sql" "the syntax error names the file"

# alias spellings, serial vs nextval, default spellings: no change (PostgreSQL)
assert_exit 0 "$DBSAGE" diff --exit-code --dialect pg "$T/p_alias_a.sql" "$T/p_alias_b.sql"
assert_exit 0 "$DBSAGE" diff --exit-code --dialect pg "$T/p_alias_b.sql" "$T/p_alias_a.sql"

# ---- empty as FROM / TO ---------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --dialect sqlite empty "$T/s_to.sql"
assert_contains "$(cat "$OUT")" "CREATE TABLE" "empty -> TO creates the tables"
assert_contains "$(cat "$OUT")" "CREATE INDEX" "empty -> TO creates the index"
db=$(sqlite_new_db)
sqlite3 -bail "$db" <"$OUT" && pass "the plan from empty applies to a new SQLite file" ||
    fail "the plan from empty does not apply"
assert_exit 0 "$DBSAGE" diff --exit-code "$db" "$T/s_to.sql"
assert_exit 0 "$DBSAGE" diff --exit-code --dialect sqlite empty empty
assert_exit 0 "$DBSAGE" diff --dialect sqlite "$T/s_to.sql" empty
assert_not_contains "$(grep -v '^ *--' "$OUT")" "DROP TABLE" "TO empty without --allow-destructive drops nothing"
assert_contains "$(cat "$OUT" "$ERR")" "destructive" "the left-out drops are reported"
assert_exit 0 "$DBSAGE" diff --allow-destructive --dialect sqlite "$T/s_to.sql" empty
assert_contains "$(cat "$OUT")" "DROP TABLE" "TO empty with --allow-destructive drops the tables"
assert_exit 0 "$DBSAGE" diff --dialect pg empty "$T/p_to.sql"
assert_contains "$(cat "$OUT")" "CREATE TYPE" "pg: empty -> TO creates the enum"

# ---- dialect ----------------------------------------------------------------------------------------
assert_exit 2 "$DBSAGE" diff --exit-code "$T/p_from.sql" "$db"
assert_contains "$(cat "$ERR")" "dialect" "dialect mismatch is explained"
assert_exit 2 "$DBSAGE" diff --exit-code --dialect sqlite "$T/s_from.sql" "postgresql:///nowhere?host=$T/no-such-dir"

# ---- destructive changes ---------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
plan=$(cat "$OUT")
assert_not_contains "$(grep -v "^ *--" "$OUT")" "DROP TABLE audit" "drop of audit left out without --allow-destructive"
assert_contains "$(cat "$OUT" "$ERR")" "--allow-destructive" "the message names --allow-destructive"
assert_contains "$plan" "CREATE TABLE" "non-destructive changes are still planned"
assert_exit 0 "$DBSAGE" diff --allow-destructive --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
assert_contains "$(cat "$OUT")" "DROP TABLE audit" "--allow-destructive includes the drop"
assert_contains "$(cat "$OUT")" "-- hazard:" "hazard comments annotate statements"
assert_contains "$(cat "$OUT")" "destructive" "the drop is annotated destructive"
assert_contains "$(cat "$OUT")" "PRAGMA foreign_keys" "the NOT NULL rebuild switches foreign keys off"
assert_contains "$(cat "$OUT")" "foreign_key_check" "the rebuild checks foreign keys before commit"
# PRAGMA foreign_keys must be outside the transaction: before BEGIN, after COMMIT
awk '/^PRAGMA foreign_keys *= *OFF/ {off=NR} /^BEGIN/ && !b {b=NR} /^COMMIT/ {c=NR} /^PRAGMA foreign_keys *= *ON/ {on=NR}
     END {exit !(off && b && off < b && c && on > c)}' "$OUT" &&
    pass "PRAGMA foreign_keys=OFF before BEGIN, =ON after COMMIT" ||
    fail "PRAGMA foreign_keys placement: $(grep -n -E 'PRAGMA|BEGIN|COMMIT' "$OUT" | tr '\n' ' ')"
# the rebuild keeps the rows, with foreign keys ON in the session (no cascade fires)
db=$(sqlite_new_db)
sqlite3 -bail "$db" <"$T/s_from.sql"
sqlite3 -bail "$db" "INSERT INTO users VALUES (1, 'a@x', NULL), (2, 'b@x', 'l'); INSERT INTO audit VALUES (1, 'm');"
{ echo 'PRAGMA foreign_keys=ON;'; cat "$OUT"; } | sqlite3 -bail "$db" && pass "plan applies to the live file" ||
    fail "plan does not apply to the live file"
assert_eq 2 "$(sqlite3 "$db" 'SELECT count(*) FROM users')" "users rows survive the rebuild"
assert_exit 0 "$DBSAGE" diff --exit-code --allow-destructive "$db" "$T/s_to.sql"

# PostgreSQL: enum ADD VALUE, USING, hazards; destructive column drop left out
assert_exit 0 "$DBSAGE" diff --dialect pg "$T/p_from.sql" "$T/p_to.sql"
assert_contains "$(cat "$OUT")" "ADD VALUE 'open'" "enum value added in place"
assert_contains "$(cat "$OUT")" "USING" "text -> integer has a USING cast"
assert_contains "$(cat "$OUT")" "table-rewrite" "type change annotated table-rewrite"
assert_contains "$(cat "$OUT")" "access-exclusive" "type change annotated access-exclusive"
assert_contains "$(cat "$OUT")" "data-dependent" "USING cast annotated data-dependent"
assert_not_contains "$(grep -v '^ *--' "$OUT")" "DROP COLUMN" "column drop left out"
assert_exit 0 "$DBSAGE" diff --allow-destructive --dialect pg "$T/p_from.sql" "$T/p_to.sql"
assert_contains "$(cat "$OUT")" "DROP COLUMN" "column drop with --allow-destructive"

# ---- --down ----------------------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --allow-destructive --down --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
down=$(cat "$OUT")
assert_exit 0 "$DBSAGE" diff --allow-destructive --dialect sqlite "$T/s_to.sql" "$T/s_from.sql"
assert_contains "$down" "DROP TABLE" "down drops the table the up plan creates"
assert_contains "$down" "CREATE TABLE" "down recreates the table the up plan drops"
db=$(sqlite_new_db)
sqlite3 -bail "$db" <"$T/s_to.sql"
sqlite3 -bail "$db" <<<"$down" && pass "down plan applies to TO" || fail "down plan does not apply to TO"
assert_exit 0 "$DBSAGE" diff --exit-code --allow-destructive "$db" "$T/s_from.sql"

# ---- --format json ----------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" diff --format json --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
cp "$OUT" "$T/plan.json"
if jq -e . "$T/plan.json" >/dev/null 2>&1; then pass "json output parses"; else fail "json output does not parse"; fi
assert_eq sqlite "$(jq -r '.dialect' "$T/plan.json")" "json dialect"
assert_eq true "$(jq '(.changes | type == "array" and length > 0) and (.skipped | type == "array") and (.notes | type == "array")' "$T/plan.json")" \
    "json has changes, skipped, notes arrays"
assert_eq true "$(jq '[.changes[] | (.kind | type == "string") and (.object_kind | type == "string") and
    (.name | type == "string") and (.hazards | type == "array") and (.sql | type == "string")] | all' "$T/plan.json")" \
    "every change has kind, object_kind, name, hazards[], sql"
assert_eq true "$(jq '[.changes[].kind] | index("create_table") != null' "$T/plan.json")" "json lists create_table"
assert_eq true "$(jq '[.skipped[] | .hazards | index("destructive") != null] | (length > 0 and all)' "$T/plan.json")" \
    "the drop of audit is in skipped, hazard destructive"
assert_eq true "$(jq '[.skipped[] | select(.name == "audit")] | length == 1' "$T/plan.json")" "skipped names audit"
assert_eq true "$(jq '.notes | length > 0' "$T/plan.json")" "a note says destructive changes were left out"
assert_exit 0 "$DBSAGE" diff --format json --allow-destructive --dialect sqlite "$T/s_from.sql" "$T/s_to.sql"
assert_eq true "$(jq '(.skipped | length == 0) and ([.changes[] | select(.hazards | index("destructive"))] | length > 0)' "$OUT")" \
    "with --allow-destructive the drop moves into changes"
assert_exit 0 "$DBSAGE" diff --format json --dialect pg "$T/p_from.sql" "$T/p_to.sql"
assert_eq true "$(jq '[.changes[] | select(.kind == "add_enum_value")] | length == 1' "$OUT")" "json: one add_enum_value"
assert_eq true "$(jq '[.changes[] | .hazards[]] | index("table-rewrite") != null' "$OUT")" "json: table-rewrite hazard listed"
assert_exit 1 "$DBSAGE" diff --format json --exit-code --dialect pg "$T/p_from.sql" "$T/p_to.sql"
assert_exit 0 "$DBSAGE" diff --format json --exit-code --dialect pg "$T/p_to.sql" "$T/p_to.sql"
assert_eq 0 "$(jq '.changes | length' "$OUT")" "json of no difference: no changes"

# ---- renames ------------------------------------------------------------------------------------
cat >"$T/r_from.sql" <<'E'
CREATE TABLE customer (id INTEGER PRIMARY KEY, fullname TEXT NOT NULL);
CREATE INDEX idx_old ON customer (fullname);
E
cat >"$T/r_to_plain.sql" <<'E'
CREATE TABLE client (id INTEGER PRIMARY KEY, display_name TEXT NOT NULL);
CREATE INDEX client_name ON client (display_name);
E
cat >"$T/r_to_annot.sql" <<'E'
-- dbsage:renamed-from customer
CREATE TABLE client (
    id INTEGER PRIMARY KEY,
    -- dbsage:renamed-from fullname
    display_name TEXT NOT NULL
);
-- dbsage:renamed-from idx_old
CREATE INDEX client_name ON client (display_name);
E
# without a hint: drop + add, flagged destructive, left out by default
assert_exit 0 "$DBSAGE" diff --dialect sqlite "$T/r_from.sql" "$T/r_to_plain.sql"
assert_not_contains "$(cat "$OUT")" "RENAME" "no hint: no rename"
assert_contains "$(cat "$OUT" "$ERR")" "destructive" "no hint: the drop of customer is destructive"
# annotations
assert_exit 0 "$DBSAGE" diff --dialect sqlite "$T/r_from.sql" "$T/r_to_annot.sql"
a=$(grep -v '^ *--' "$OUT")
assert_contains "$a" "RENAME TO" "annotation: table renamed"
assert_contains "$a" "RENAME COLUMN" "annotation: column renamed"
assert_not_contains "$a" "DROP TABLE" "annotation: no drop of the table"
assert_exit 0 "$DBSAGE" diff --format json --dialect sqlite "$T/r_from.sql" "$T/r_to_annot.sql"
assert_eq true "$(jq '[.changes[].hazards[]] | index("destructive") == null' "$OUT")" "annotated renames are not destructive"
assert_eq 0 "$(jq '.skipped | length' "$OUT")" "annotated renames skip nothing"
# the renamed schema applies and keeps the rows
db=$(sqlite_new_db)
sqlite3 -bail "$db" <"$T/r_from.sql"
sqlite3 -bail "$db" "INSERT INTO customer VALUES (1, 'ann'), (2, 'bob')"
"$DBSAGE" diff "$db" "$T/r_to_annot.sql" >"$T/rename.sql"
sqlite3 -bail "$db" <"$T/rename.sql" && pass "rename plan applies" || fail "rename plan does not apply"
assert_eq "ann,bob" "$(sqlite3 "$db" "SELECT group_concat(display_name) FROM (SELECT display_name FROM client ORDER BY id)")" \
    "rows survive the renames"
assert_exit 0 "$DBSAGE" diff --exit-code "$db" "$T/r_to_annot.sql"
# down of the annotated renames renames back
assert_exit 0 "$DBSAGE" diff --down --dialect sqlite "$T/r_from.sql" "$T/r_to_annot.sql"
assert_contains "$(cat "$OUT")" "RENAME" "down of a rename is a rename"
assert_not_contains "$(grep -v '^ *--' "$OUT")" "DROP TABLE" "down of a rename drops nothing"
# --rename options
assert_exit 0 "$DBSAGE" diff --dialect sqlite --rename customer=client --rename client.fullname=display_name \
    "$T/r_from.sql" "$T/r_to_plain.sql"
a=$(grep -v '^ *--' "$OUT")
assert_contains "$a" "RENAME TO" "--rename: table renamed"
assert_contains "$a" "RENAME COLUMN" "--rename: column renamed"
assert_not_contains "$a" "DROP TABLE" "--rename: no drop of the table"
assert_exit 2 "$DBSAGE" diff --exit-code --dialect sqlite --rename nonsense "$T/r_from.sql" "$T/r_to_plain.sql"

# PostgreSQL annotations: table, column, enum value
cat >"$T/pr_from.sql" <<'E'
CREATE TYPE color AS ENUM ('red', 'grn');
CREATE TABLE emp (id integer PRIMARY KEY, nm text, c color);
E
cat >"$T/pr_to.sql" <<'E'
CREATE TYPE color AS ENUM ('red',
    -- dbsage:renamed-from grn
    'green');
-- dbsage:renamed-from emp
CREATE TABLE employee (
    id integer PRIMARY KEY,
    -- dbsage:renamed-from nm
    name text,
    c color
);
E
assert_exit 0 "$DBSAGE" diff --dialect pg "$T/pr_from.sql" "$T/pr_to.sql"
a=$(grep -v '^ *--' "$OUT")
assert_contains "$a" "RENAME TO" "pg annotation: table renamed"
assert_contains "$a" "RENAME COLUMN" "pg annotation: column renamed"
assert_contains "$a" "RENAME VALUE" "pg annotation: enum value renamed"
assert_not_contains "$a" "DROP" "pg annotations: nothing dropped"

# dbsage's own tracking tables are not part of the user's schema: a database
# managed by `dbsage migrate` does not differ from its schema file
cat >"$T/tracked.sql" <<'E'
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
E
db=$(sqlite_new_db)
sqlite_apply "$db" "$T/tracked.sql"
sqlite3 "$db" "CREATE TABLE dbsage_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE dbsage_imports (path TEXT PRIMARY KEY)"
assert_exit 0 "$DBSAGE" diff --exit-code "$db" "$T/tracked.sql"
assert_not_contains "$(cat "$OUT")" "dbsage_migrations" "diff ignores dbsage_migrations"
sqlite3 "$db" "CREATE TABLE audit (id INTEGER PRIMARY KEY)"
assert_exit 1 "$DBSAGE" diff --exit-code --allow-destructive "$db" "$T/tracked.sql"
assert_contains "$(cat "$OUT")" "DROP TABLE audit" "other tables of the database still differ"
assert_not_contains "$(cat "$OUT")" "dbsage_imports" "diff ignores dbsage_imports"

# foreign keys are dropped and re-added only around a change of their own or
# their referenced columns: dropping an unrelated column or unique index of the
# referenced table leaves them alone (the plan is one statement)
cat >"$T/fk_a.sql" <<'E'
CREATE TABLE users (id bigint PRIMARY KEY, email text, handle text, legacy text);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE UNIQUE INDEX users_handle ON users (handle);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), author text REFERENCES users (handle));
E
sed -e 's/, legacy text//' "$T/fk_a.sql" >"$T/fk_b.sql"
assert_exit 0 "$DBSAGE" diff --dialect pg --allow-destructive "$T/fk_a.sql" "$T/fk_b.sql"
assert_contains "$(cat "$OUT")" "DROP COLUMN legacy" "the column is dropped"
assert_not_contains "$(cat "$OUT")" "FOREIGN KEY" "an unrelated column drop leaves the FKs alone"
grep -v users_email "$T/fk_a.sql" >"$T/fk_c.sql"
assert_exit 0 "$DBSAGE" diff --dialect pg "$T/fk_a.sql" "$T/fk_c.sql"
assert_contains "$(cat "$OUT")" "DROP INDEX users_email" "the unique index is dropped"
assert_not_contains "$(cat "$OUT")" "FOREIGN KEY" "an unrelated unique index drop leaves the FKs alone"
sed -e 's/CREATE UNIQUE INDEX users_handle ON users (handle);/CREATE UNIQUE INDEX users_handle ON users (handle, email);/' "$T/fk_a.sql" >"$T/fk_e.sql"
assert_exit 0 "$DBSAGE" diff --dialect pg "$T/fk_a.sql" "$T/fk_e.sql"
assert_contains "$(cat "$OUT")" "DROP CONSTRAINT posts_author_fkey" "an FK resting on a changed unique index is dropped first"
