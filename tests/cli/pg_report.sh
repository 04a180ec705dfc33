#!/usr/bin/env bash
# tests/cli/pg_report.sh — owns: `dbsage report` / `dbsage erd` on a live
# PostgreSQL 15 database: the source from DATABASE_URL, every table and FK as
# pg_catalog counts them, comments from the server escaped, passwords masked
# in every format, migration status of the live database (--migrations).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/cass-vessel
URL=$(pg_new_db report)
pg_apply "$URL" "$EX/schema.pg.sql"
pg_sql "$URL" "COMMENT ON TABLE daemons IS 'The <b>daemons</b> & their \"kernels\"'" >/dev/null
NTAB=$(pg_sql "$URL" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
NFK=$(pg_sql "$URL" "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'")
[[ $NTAB -gt 20 && $NFK -gt 20 ]] && pass "live database: $NTAB tables, $NFK FKs" || fail "live counts ($NTAB, $NFK)"

DBNAME=$(basename "${URL%%\?*}")
HOSTQ=${URL#*\?}
PWURL="postgresql://someone:sekret123@/$DBNAME?$HOSTQ"

DATABASE_URL=$PWURL assert_exit 0 "$DBSAGE" report --out "$T/r.json"
assert_eq "$NTAB" "$(jq '.tables | length' "$T/r.json")" "JSON: every table of the live database (DATABASE_URL)"
assert_eq "$NFK" "$(jq '[.tables[].foreign_keys_out[]] | length' "$T/r.json")" "JSON: every FK"
assert_eq 'The <b>daemons</b> & their "kernels"' "$(jq -r '.tables[] | select(.name == "daemons") | .comment' "$T/r.json")" "JSON: the server's comment"
assert_not_contains "$(cat "$T/r.json" "$OUT" "$ERR")" "sekret123" "JSON: password masked"
assert_contains "$(jq -r .source "$T/r.json")" "someone:***@" "JSON: source shown masked"

assert_exit 0 "$DBSAGE" report --out "$T/r.html" "$PWURL"
assert_not_contains "$(cat "$T/r.html" "$OUT" "$ERR")" "sekret123" "HTML: password masked"
assert_file_contains "$T/r.html" "The &lt;b&gt;daemons&lt;/b&gt; &amp; their &quot;kernels&quot;" "HTML: the comment escaped"
assert_eq "$NTAB" "$(grep -c '^<section class="table"' "$T/r.html")" "HTML: every table"
assert_exit 0 "$DBSAGE" report --out "$T/r.md" "$PWURL"
assert_not_contains "$(cat "$T/r.md")" "sekret123" "Markdown: password masked"

assert_exit 0 "$DBSAGE" erd --format svg -o "$T/erd.svg" "$URL"
missing=0
while read -r t; do grep -q ">$t</text>" "$T/erd.svg" || { missing=1; echo "not in SVG: $t"; }; done \
    < <(pg_sql "$URL" "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
assert_eq 0 "$missing" "SVG of the live database has every table"

# migration status of a live database
MURL=$(pg_new_db report_mig)
assert_exit 0 "$DBSAGE" migrate --url "$MURL" --dir "$EX/migrations-pg" up
NMIG=$(ls "$EX"/migrations-pg/*.sql | wc -l)
assert_exit 0 "$DBSAGE" report --migrations "$EX/migrations-pg" --url "$MURL" --out "$T/m.json" "$MURL"
assert_eq "$NMIG" "$(jq '[.migrations.items[] | select(.state == "applied")] | length' "$T/m.json")" "every migration applied"
assert_eq "$(pg_sql "$MURL" "SELECT count(*) FROM dbsage_migrations")" "$(jq '.migrations.items | length' "$T/m.json")" "status rows = dbsage_migrations rows"
