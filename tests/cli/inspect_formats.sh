#!/usr/bin/env bash
# tests/cli/inspect_formats.sh — owns: checks of `dbsage inspect` output formats and
# source handling: markdown/json/sql of the cass-vessel example, --schema filter,
# several sources in one call, directory version order, dialect detection/override.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/cass-vessel
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures

# expect_exit CODE CMD...: like lib.sh's expect_exit (stdout in $OUT, stderr in $ERR) but
# shows only the head of stderr on failure (outputs here are large).
expect_exit() {
    local expected=$1 rc=0
    shift
    "$@" >"$OUT" 2>"$ERR" || rc=$?
    if [[ $rc == "$expected" ]]; then
        pass "exit $expected: ${*#"$DBSAGE "}"
    else
        fail "expected exit $expected, got $rc: $*"
        head -n 15 -- "$ERR" | sed 's/^/    | /' >&2 || true
    fi
}

tables_of() { # table names declared in a schema file
    sed -n 's/^CREATE TABLE \([a-z_]*\).*/\1/p' "$1" | sort
}

# ---- markdown names every table of the example (both dialects) ----------------
for schema in "$EX/schema.sql" "$EX/schema.pg.sql"; do
    expect_exit 0 "$DBSAGE" inspect --format markdown "$schema"
    cp "$OUT" "$T/md"
    want=$(tables_of "$schema" | wc -l)
    ((want == 30)) && pass "$(basename "$schema") declares 30 tables" || fail "$(basename "$schema") declares $want tables"
    missing=""
    for t in $(tables_of "$schema"); do
        grep -qw -- "$t" "$T/md" || missing="$missing $t"
    done
    assert_eq "" "$missing" "markdown of $(basename "$schema") names every table"
    assert_contains "$(cat "$T/md")" "#" "markdown has headings"
done

# ---- json is valid and complete ------------------------------------------------
expect_exit 0 "$DBSAGE" inspect --format json "$EX/schema.sql"
if jq . "$OUT" >/dev/null 2>&1; then pass "json of schema.sql is valid"; else fail "json of schema.sql is not valid JSON"; fi
assert_eq "sqlite" "$(jq -r .dialect "$OUT")" "schema.sql is detected as SQLite"
assert_eq "$(tables_of "$EX/schema.sql")" "$(jq -r '.tables[].name' "$OUT" | sort)" "json lists exactly the example's tables"
assert_eq "11" "$(jq '[.tables[].indexes | length] | add' "$OUT")" "json lists the example's 11 indexes"
assert_eq "INTEGER" "$(jq -r '.tables[] | select(.name == "messages") | .columns[] | select(.name == "id") | .type' "$OUT")" \
    "SQLite types are kept upper case"
assert_eq "true" "$(jq -r '.tables[] | select(.name == "messages") | .columns[] | select(.name == "id") | .autoincrement' "$OUT")" \
    "messages.id is AUTOINCREMENT"

expect_exit 0 "$DBSAGE" inspect --format json "$EX/schema.pg.sql"
if jq . "$OUT" >/dev/null 2>&1; then pass "json of schema.pg.sql is valid"; else fail "json of schema.pg.sql is not valid JSON"; fi
assert_eq "pg" "$(jq -r .dialect "$OUT")" "schema.pg.sql is detected as PostgreSQL"
assert_eq "$(tables_of "$EX/schema.pg.sql")" "$(jq -r '.tables[].name' "$OUT" | sort)" "json lists exactly the translation's tables"
assert_eq "public" "$(jq -r '[.tables[].schema] | unique | join(",")' "$OUT")" "PostgreSQL tables are in public"

# sql output of the example is non-empty and names every table
expect_exit 0 "$DBSAGE" inspect --format sql "$EX/schema.sql"
missing=""
for t in $(tables_of "$EX/schema.sql"); do
    grep -qw -- "$t" "$OUT" || missing="$missing $t"
done
assert_eq "" "$missing" "sql output names every table"
expect_exit 0 "$DBSAGE" inspect "$EX/schema.sql"
assert_eq "$(wc -l <"$OUT")" "$("$DBSAGE" inspect --format sql "$EX/schema.sql" | wc -l)" "sql is the default format"

# ---- --schema filter -------------------------------------------------------------
expect_exit 0 "$DBSAGE" inspect --format json --schema billing "$FIX/pg/16_schemas_cross.sql"
assert_eq "billing.customers billing.invoices" "$(jq -r '[.tables[] | "\(.schema).\(.name)"] | sort | join(" ")' "$OUT")" \
    "--schema billing keeps only billing tables"
assert_eq "0" "$(jq '[.views[]?] | length' "$OUT")" "--schema billing drops the reporting view"
expect_exit 0 "$DBSAGE" inspect --format json --schema auth --schema reporting "$FIX/pg/16_schemas_cross.sql"
assert_eq "auth.users" "$(jq -r '[.tables[] | "\(.schema).\(.name)"] | sort | join(" ")' "$OUT")" \
    "--schema repeated: auth tables"
assert_eq "reporting.revenue" "$(jq -r '[.views[] | "\(.schema).\(.name)"] | join(" ")' "$OUT")" \
    "--schema repeated: reporting views"

# ---- several sources in one call are applied in order ------------------------------
cat >"$T/a.sql" <<'SQL'
CREATE TABLE widgets (id integer PRIMARY KEY);
SQL
cat >"$T/b.sql" <<'SQL'
ALTER TABLE widgets ADD COLUMN colour text NOT NULL DEFAULT 'red';
CREATE INDEX widgets_colour_idx ON widgets (colour);
SQL
expect_exit 0 "$DBSAGE" inspect --format json "$T/a.sql" "$T/b.sql"
assert_eq "id colour" "$(jq -r '[.tables[] | select(.name == "widgets") | .columns[].name] | join(" ")' "$OUT")" \
    "second source alters the table of the first"
assert_eq "widgets_colour_idx" "$(jq -r '[.tables[].indexes[].name] | join(" ")' "$OUT")" "index from the second source"
expect_exit 1 "$DBSAGE" inspect --format json "$T/b.sql" "$T/a.sql"
assert_file_contains "$ERR" "b.sql:1:1: error:" "reversed order: ALTER of an unknown table is reported at b.sql:1:1"

# ---- a directory is read in version order (2_x before 10_y) --------------------------
mkdir -p "$T/migrations/sub"
cat >"$T/migrations/2_x.sql" <<'SQL'
CREATE TABLE x (id integer PRIMARY KEY);
SQL
cat >"$T/migrations/10_y.sql" <<'SQL'
ALTER TABLE x ADD COLUMN y text;
ALTER TABLE x RENAME TO x_renamed;
SQL
cat >"$T/migrations/1_base.sql" <<'SQL'
CREATE SCHEMA base;
SQL
echo "not sql" >"$T/migrations/README.md"
expect_exit 0 "$DBSAGE" inspect --format json "$T/migrations"
assert_eq "x_renamed" "$(jq -r '[.tables[].name] | join(" ")' "$OUT")" "directory: 10_y applied after 2_x"
assert_eq "id y" "$(jq -r '[.tables[0].columns[].name] | join(" ")' "$OUT")" "directory: column added by 10_y"
assert_eq "base" "$(jq -r '[.schemas[].name] | join(" ")' "$OUT")" "directory: 1_base applied"
expect_exit 0 "$DBSAGE" inspect --format json "$T/migrations/"
assert_eq "x_renamed" "$(jq -r '[.tables[].name] | join(" ")' "$OUT")" "directory with trailing slash"

# ---- dialect detection and --dialect -------------------------------------------------
cat >"$T/app.sql" <<'SQL'
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT
);
SQL
expect_exit 0 "$DBSAGE" inspect --format json "$T/app.sql"
assert_eq "sqlite" "$(jq -r .dialect "$OUT")" "AUTOINCREMENT file is detected as SQLite"
assert_eq "main" "$(jq -r '.tables[0].schema' "$OUT")" "SQLite default schema is main"

cat >"$T/neutral.sql" <<'SQL'
CREATE TABLE things (id integer PRIMARY KEY, label varchar(20));
SQL
expect_exit 0 "$DBSAGE" inspect --format json "$T/neutral.sql"
assert_eq "pg" "$(jq -r .dialect "$OUT")" "a neutral file defaults to PostgreSQL"
assert_eq "character varying(20)" "$(jq -r '.tables[0].columns[1].type' "$OUT")" "PostgreSQL normalised type"
expect_exit 0 "$DBSAGE" inspect --dialect sqlite --format json "$T/neutral.sql"
assert_eq "sqlite" "$(jq -r .dialect "$OUT")" "--dialect sqlite overrides detection"
assert_eq "VARCHAR(20)" "$(jq -r '.tables[0].columns[1].type' "$OUT")" "SQLite declared type"

cat >"$T/pgish.sql" <<'SQL'
CREATE TABLE t (id serial PRIMARY KEY, doc jsonb DEFAULT '{}'::jsonb);
SQL
expect_exit 0 "$DBSAGE" inspect --format json "$T/pgish.sql"
assert_eq "pg" "$(jq -r .dialect "$OUT")" "serial/jsonb/:: file is detected as PostgreSQL"
expect_exit 0 "$DBSAGE" inspect --dialect postgresql --format json "$T/neutral.sql"
assert_eq "pg" "$(jq -r .dialect "$OUT")" "--dialect postgresql is accepted"
expect_exit 2 "$DBSAGE" inspect --dialect oracle "$T/neutral.sql"
expect_exit 2 "$DBSAGE" inspect --format yaml "$T/neutral.sql"
