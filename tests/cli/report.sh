#!/usr/bin/env bash
# tests/cli/report.sh — owns: `dbsage erd` and `dbsage report` on the bundled
# examples (examples/cass-vessel/schema.sql, SQLite; the unified schema of
# examples/robbieverse, PostgreSQL): usage errors and exit codes, the ERD in
# DOT/Mermaid/SVG, the Markdown/JSON/HTML reports (every table documented, FKs
# in and out as SQLite itself reports them, lint findings equal to `dbsage
# lint`'s design findings), HTML self-contained (no scripts, no http(s) URLs
# but the SVG/XLink namespaces) and hostile comments escaped.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

CASS=$DBSAGE_SOURCE_DIR/examples/cass-vessel/schema.sql
RV=$DBSAGE_SOURCE_DIR/examples/robbieverse/database/unified-schema

# ---- usage ------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" report --help
assert_contains "$(cat "$OUT")" "--out FILE.html|FILE.md|FILE.json" "report --help prints the usage"
assert_exit 0 "$DBSAGE" erd --help
assert_contains "$(cat "$OUT")" "--format svg|mermaid|dot" "erd --help prints the usage"
assert_exit 2 "$DBSAGE" report "$CASS"
assert_contains "$(cat "$ERR")" "--out FILE.html|FILE.md|FILE.json is required" "report without --out"
assert_exit 2 "$DBSAGE" report --out "$T/r.pdf" "$CASS"
assert_contains "$(cat "$ERR")" "extension must be .html, .md or .json" "report with an unknown extension"
assert_exit 2 "$DBSAGE" report --out "$T/r.md" "$T/missing.sql"
assert_exit 2 "$DBSAGE" report --out "$T/r.md"
assert_contains "$(cat "$ERR")" "DATABASE_URL is not set" "no SOURCE and no DATABASE_URL"
assert_exit 2 "$DBSAGE" erd --format png "$CASS"
assert_contains "$(cat "$ERR")" "unknown --format 'png'" "erd with an unknown format"
assert_exit 2 "$DBSAGE" report --out "$T/no-such-dir/r.md" "$CASS"
assert_contains "$(cat "$ERR")" "cannot write" "unwritable --out is an I/O error"

# the truth about cass-vessel, from SQLite itself
DB=$(sqlite_new_db)
sqlite_apply "$DB" "$CASS"
NTAB=$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
NFK=$(sqlite3 "$DB" "SELECT count(DISTINCT m.name || '/' || f.id) FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type='table'")
NFK_DAEMONS=$(sqlite3 "$DB" "SELECT count(DISTINCT m.name || '/' || f.id) FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type='table' AND f.\"table\"='daemons'")
[[ $NTAB -gt 20 && $NFK -gt 20 && $NFK_DAEMONS -gt 5 ]] && pass "cass-vessel has $NTAB tables, $NFK FKs" || fail "cass-vessel counts ($NTAB, $NFK, $NFK_DAEMONS)"

# ---- erd ----------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" erd --format dot "$CASS"
assert_eq "$NTAB" "$(grep -c '^  "main\.[a-z_]*" \[label=<' "$OUT")" "DOT: one node per table"
assert_eq "$NFK" "$(grep -c '^  "main\.[a-z_]*" -> "main\.[a-z_]*" \[label="' "$OUT")" "DOT: one edge per FK"
assert_contains "$(cat "$OUT")" '"main.daemon_profiles" -> "main.daemons" [label="daemon_id -> id"];' "DOT: FK edge labelled with its columns"
assert_exit 0 "$DBSAGE" erd --format mermaid "$CASS"
assert_eq "erDiagram" "$(head -1 "$OUT")" "Mermaid header"
assert_eq "$NTAB" "$(grep -c '^    [a-z_]* {$' "$OUT")" "Mermaid: one entity per table"
assert_eq "$NFK" "$(grep -c '^    [a-z_]* }o--[|o]| [a-z_]* : "' "$OUT")" "Mermaid: one relationship per FK"
assert_contains "$(cat "$OUT")" "        TEXT daemon_id PK, FK" "Mermaid: PK and FK markers"
assert_exit 0 "$DBSAGE" erd -o "$T/erd.svg" "$CASS"
assert_eq "" "$(cat "$OUT")" "erd -o writes nothing to stdout"
assert_file_contains "$T/erd.svg" '<svg width=' "SVG written to -o"
missing=0
while read -r t; do grep -q ">$t</text>" "$T/erd.svg" || { missing=1; echo "not in SVG: $t"; }; done \
    < <(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
assert_eq 0 "$missing" "SVG has every table name as text"

# ---- markdown -------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" report --title 'Cass | vessel' --out "$T/r.md" "$CASS"
assert_eq "# Cass \\| vessel" "$(head -1 "$T/r.md")" "Markdown title (escaped)"
assert_eq "$NTAB" "$(grep -c '^### ' "$T/r.md")" "Markdown: one section per table"
assert_file_contains "$T/r.md" '```mermaid' "Markdown: Mermaid ERD"
assert_eq "$NFK" "$(sed -n '/^```mermaid$/,/^```$/p' "$T/r.md" | grep -c ' }o--')" "Markdown ERD: every FK"
assert_file_contains "$T/r.md" "| daemon\\_id | TEXT | NOT NULL |  | PK, FK |" "Markdown: column row with key markers"

# ---- json -----------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" report --lint --out "$T/r.json" "$CASS"
jq -e . "$T/r.json" >/dev/null && pass "JSON parses" || fail "JSON parses"
assert_eq "$NTAB" "$(jq '.tables | length' "$T/r.json")" "JSON: every table"
assert_eq "$NFK" "$(jq '[.tables[].foreign_keys_out[]] | length' "$T/r.json")" "JSON: every FK out"
assert_eq "$NFK" "$(jq '[.tables[].foreign_keys_in[]] | length' "$T/r.json")" "JSON: every FK in"
assert_eq "$NFK_DAEMONS" "$(jq '.tables[] | select(.name == "daemons") | .foreign_keys_in | length' "$T/r.json")" "JSON: FKs into daemons"
assert_eq "daemons id" "$(jq -r '.tables[] | select(.name == "daemon_profiles") | .foreign_keys_out[0] | "\(.ref_table) \(.ref_columns | join(","))"' "$T/r.json")" "JSON: FK out resolved"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM pragma_table_info('daemons') WHERE \"notnull\" = 0 AND pk = 0")" \
    "$(jq '[.tables[] | select(.name == "daemons") | .columns[] | select(.nullable)] | length' "$T/r.json")" "JSON: nullability as SQLite says"
assert_eq "$(jq -r '.erd.mermaid' "$T/r.json" | head -1)" "erDiagram" "JSON: the ERD travels"
"$DBSAGE" lint --format json "$CASS" >"$T/lint.json" || true
assert_eq "$(jq -c '[.findings[] | select(.category == "design") | "\(.rule)@\(.line):\(.col)"] | sort' "$T/lint.json")" \
    "$(jq -c '[.lint[] | "\(.rule)@\(.line):\(.col)"] | sort' "$T/r.json")" "JSON --lint: the design findings of dbsage lint"
assert_exit 0 "$DBSAGE" report --out "$T/r2.json" "$CASS"
assert_eq "null" "$(jq '.lint' "$T/r2.json")" "no lint section without --lint"

# ---- html -----------------------------------------------------------------------------
assert_exit 0 "$DBSAGE" report --lint --title '<Cass & "co">' --out "$T/r.html" "$CASS"
H=$T/r.html
assert_file_contains "$H" "<title>&lt;Cass &amp; &quot;co&quot;&gt;</title>" "HTML title escaped"
assert_eq "$NTAB" "$(grep -c '^<section class="table" id="table-' "$H")" "HTML: one section per table"
assert_eq "1" "$(grep -c '<svg ' "$H")" "HTML: the SVG inlined once"
assert_eq "0" "$(grep -c '<?xml\|<!DOCTYPE svg\|<script\|<link\|<img\|<iframe\|@import\|url(' "$H")" "HTML: no prolog, scripts or external resources"
assert_eq "http://www.w3.org/1999/xlink
http://www.w3.org/2000/svg" "$(grep -oE 'https?://[^"'"'"' <>)]*' "$H" | sort -u)" "HTML: no URL but the SVG namespaces"
assert_eq "0" "$(grep -oE '(href|src)="[^#"][^"]*"' "$H" | wc -l)" "HTML: links are in-page anchors only"
assert_file_contains "$H" '<section id="lint">' "HTML --lint section"

# ---- hostile comments (PostgreSQL) ------------------------------------------------------
cat >"$T/evil.sql" <<'SQL'
CREATE TABLE "we<ird>" (id integer PRIMARY KEY, note text);
COMMENT ON TABLE "we<ird>" IS '</table><script>alert("x")</script> & | `md`';
COMMENT ON COLUMN "we<ird>".note IS '<img src=http://evil.example/x.png>';
CREATE TABLE child (id integer PRIMARY KEY, p integer REFERENCES "we<ird>");
SQL
assert_exit 0 "$DBSAGE" report --out "$T/evil.html" "$T/evil.sql"
assert_eq "0" "$(grep -c '<script\|<img\|evil.example/x.png\">' "$T/evil.html")" "HTML: comment markup escaped"
assert_file_contains "$T/evil.html" "&lt;/table&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | \`md\`" "HTML: the comment shown as text"
assert_file_contains "$T/evil.html" "<h3>we&lt;ird&gt;</h3>" "HTML: odd table name escaped"
assert_exit 0 "$DBSAGE" report --out "$T/evil.md" "$T/evil.sql"
assert_eq "0" "$(grep -c '<script\|<img' "$T/evil.md")" "Markdown: comment markup escaped"
assert_exit 0 "$DBSAGE" erd --format svg "$T/evil.sql"
assert_file_contains "$OUT" "&lt;ird&gt;" "SVG: odd table name escaped"

# ---- robbieverse (PostgreSQL, a directory of files) ---------------------------------------
NRV=$("$DBSAGE" inspect --format json "$RV" | jq '.tables | length')
[[ $NRV -gt 10 ]] && pass "robbieverse has $NRV tables" || fail "robbieverse tables ($NRV)"
for ext in md json html; do
    assert_exit 0 "$DBSAGE" report --out "$T/rv.$ext" "$RV"
done
assert_eq "$NRV" "$(grep -c '^### ' "$T/rv.md")" "robbieverse Markdown: every table"
assert_eq "$NRV" "$(jq '.tables | length' "$T/rv.json")" "robbieverse JSON: every table"
assert_eq "$NRV" "$(grep -c '^<section class="table"' "$T/rv.html")" "robbieverse HTML: every table"
assert_eq "$(jq '[.tables[].foreign_keys_out[]] | length' "$T/rv.json")" "$(grep -c ' -> ' <("$DBSAGE" erd --format dot "$RV"))" "robbieverse: DOT edges = FKs"
assert_eq "http://www.w3.org/1999/xlink
http://www.w3.org/2000/svg" "$(grep -oE 'https?://[^"'"'"' <>)]*' "$T/rv.html" | sort -u)" "robbieverse HTML: no URL but the SVG namespaces"

# ---- --inventory PATH: the inventory of a repository (robbieverse) -------------------------
RVROOT=$DBSAGE_SOURCE_DIR/examples/robbieverse
"$DBSAGE" inventory --format json "$RVROOT" >"$T/inv.json" || true
assert_exit 0 "$DBSAGE" report --inventory "$RVROOT" --out "$T/inv.json.json" "$CASS"
cp "$T/inv.json.json" "$T/ri.json"
assert_eq "$(jq -c '.summary' "$T/inv.json")" "$(jq -c '.inventory.summary' "$T/ri.json")" "JSON: inventory summary as dbsage inventory's"
assert_eq "$(jq -c '[.objects[] | select(.verdict == "conflicting") | .name]' "$T/inv.json")" \
    "$(jq -c '[.inventory.objects[] | select(.verdict == "conflicting") | .name]' "$T/ri.json")" "JSON: the conflicting objects"
[[ $(jq '[.inventory.objects[] | select(.verdict == "conflicting")] | length' "$T/ri.json") -gt 0 ]] \
    && pass "robbieverse has conflicts to show" || fail "robbieverse has conflicts to show"
assert_exit 0 "$DBSAGE" report --inventory "$RVROOT" --out "$T/ri.md" "$CASS"
assert_file_contains "$T/ri.md" "## Inventory" "Markdown: inventory section"
assert_file_contains "$T/ri.md" "### Schema inventory" "Markdown: inventory headings one level down"
assert_exit 0 "$DBSAGE" report --inventory "$RVROOT" --out "$T/ri.html" "$CASS"
assert_file_contains "$T/ri.html" '<section id="inventory">' "HTML: inventory section"
assert_exit 2 "$DBSAGE" report --inventory "$T/nowhere" --out "$T/ri2.md" "$CASS"

# ---- --migrations DIR --url URL: migration status (SQLite) --------------------------------
MIG=$DBSAGE_SOURCE_DIR/examples/cass-vessel/migrations
MDB=$(sqlite_new_db)
assert_exit 0 "$DBSAGE" migrate --url "$MDB" --dir "$MIG" up --to 001
assert_exit 0 "$DBSAGE" report --migrations "$MIG" --url "$MDB" --out "$T/m.json" "$MDB"
assert_eq "001 applied
002 pending" "$(jq -r '.migrations.items[] | "\(.version) \(.state)"' "$T/m.json")" "JSON: migration states"
assert_eq "$MDB" "$(jq -r '.migrations.database' "$T/m.json")" "JSON: the database of the status"
DATABASE_URL=$MDB assert_exit 0 "$DBSAGE" report --migrations "$MIG" --out "$T/m.md" "$MDB"
assert_file_contains "$T/m.md" "| 002 | import\\_keys | pending |  |" "Markdown: pending migration row (DATABASE_URL)"
assert_exit 0 "$DBSAGE" report --migrations "$MIG" --url "$MDB" --out "$T/m.html" "$MDB"
assert_file_contains "$T/m.html" '<td class="state-applied">applied</td>' "HTML: applied migration row"
assert_exit 2 "$DBSAGE" report --migrations "$MIG" --out "$T/m2.md" "$MDB"
assert_contains "$(cat "$ERR")" "--migrations needs --url URL or DATABASE_URL" "--migrations without a database"

# ---- --spec FILE: import verification (SQLite) ---------------------------------------------
mkdir -p "$T/imp/data/u" "$T/imp/migrations"
cat >"$T/imp/migrations/001_init.sql" <<'SQL'
-- migrate:up
CREATE TABLE users (id TEXT PRIMARY KEY, display_name TEXT);
SQL
printf '{"id":"u1","name":"Ann"}\n' >"$T/imp/data/u/u1.json"
printf '{"id":"u2","name":"Bob"}\n' >"$T/imp/data/u/u2.json"
cat >"$T/imp/dbsage.yaml" <<'YAML'
version: 1
into: sqlite:t.db
migrations: migrations/
sources:
  - name: users
    files: data/u/{id}.json
    tables:
      - table: users
        key: [id]
        columns:
          id: $.id
          display_name: $.name
YAML
assert_exit 0 "$DBSAGE" import --spec "$T/imp/dbsage.yaml" --into "$T/imp/t.db"
assert_exit 0 "$DBSAGE" report --spec "$T/imp/dbsage.yaml" --into "$T/imp/t.db" --out "$T/i.json" "$T/imp/t.db"
assert_eq "true users 2 2" "$(jq -r '.import | "\(.ok) \(.tables[0].table) \(.tables[0].expected) \(.tables[0].counted)"' "$T/i.json")" "JSON: import verified"
sqlite3 "$T/imp/t.db" "DELETE FROM users WHERE id = 'u2'"
assert_exit 1 "$DBSAGE" report --spec "$T/imp/dbsage.yaml" --into "$T/imp/t.db" --out "$T/i.md" "$T/imp/t.db"
assert_file_contains "$T/i.md" "| users | 2 | 1 | MISMATCH |" "Markdown: a lost row is a mismatch (exit 1, report written)"
assert_exit 1 "$DBSAGE" report --spec "$T/imp/dbsage.yaml" --into "$T/imp/t.db" --out "$T/i.html" "$T/imp/t.db"
assert_file_contains "$T/i.html" "<tr><td>users</td><td>2</td><td>1</td><td>MISMATCH</td></tr>" "HTML: the mismatch row"
assert_exit 2 "$DBSAGE" report --spec "$T/imp/missing.yaml" --out "$T/i2.md" "$T/imp/t.db"
