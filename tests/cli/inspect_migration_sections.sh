#!/usr/bin/env bash
# tests/cli/inspect_migration_sections.sh — owns: SQL readers take only the
# `-- migrate:up` sections of dbmate-style migration files (inspect, diff,
# lint, inventory), both dialects; line:col of the up sections unchanged.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

for dialect in pg sqlite; do
    d=$T/$dialect
    mkdir -p "$d"
    cat >"$d/001_t.sql" <<'E'
-- migrate:up
CREATE TABLE t (id integer PRIMARY KEY, name text);

-- migrate:down
DROP TABLE t;
E
    cat >"$d/002_idx.sql" <<'E'
-- migrate:up
CREATE INDEX t_name ON t (name);
-- migrate:down
DROP INDEX t_name;
-- Migrate:Up
ALTER TABLE t ADD COLUMN note text;
E
    assert_exit 0 "$DBSAGE" inspect --dialect "$dialect" --format json "$d"
    assert_eq "t" "$(jq -r '[.tables[].name] | join(",")' "$OUT")" "$dialect: the down sections did not drop t"
    assert_eq "id,name,note" "$(jq -r '[.tables[0].columns[].name] | join(",")' "$OUT")" \
        "$dialect: a second up section after a down section is read"
    assert_eq "t_name" "$(jq -r '[.tables[0].indexes[].name] | join(",")' "$OUT")" "$dialect: index kept"
    assert_exit 0 "$DBSAGE" diff --dialect "$dialect" --exit-code "$d" "$d"
    # lint: nothing from the down sections (ban-drop-table would fire on DROP TABLE t)
    "$DBSAGE" lint --dialect "$dialect" --format json "$d" >"$T/lint.json" 2>"$T/lint.err" || true
    assert_not_contains "$(jq -r '.findings[]?.rule // empty' "$T/lint.json" 2>/dev/null; cat "$T/lint.json")" \
        "ban-drop-table" "$dialect: lint ignores the down sections"
    assert_not_contains "$(cat "$T/lint.err")" "no such table" "$dialect: no error from a down section"
done

# a plain file with a syntax error in its up section still reports the real line
cat >"$T/bad.sql" <<'E'
-- migrate:up
CREATE TABLE ok (id int);
CREATE TABLE bad (id int,);
-- migrate:down
DROP TABLE whatever garbage;
E
assert_exit 1 "$DBSAGE" inspect --dialect pg "$T/bad.sql"
assert_contains "$(cat "$ERR")" "bad.sql:3:" "error at its line in the up section"
assert_not_contains "$(cat "$ERR")" "bad.sql:5:" "nothing reported from the down section"
