#!/usr/bin/env bash
# tests/cli/pg_harness.sh — owns: checks of the test harness itself (the
# PostgreSQL fixture cluster and the lib.sh helpers).  Needs no reader.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

admin=$(pg_url)
assert_contains "$admin" "postgresql:///postgres?host=" "admin URL has the documented form"
assert_eq "1" "$(pg_sql "$admin" 'select 1')" "the cluster answers"
assert_eq "15" "$(pg_sql "$admin" "select current_setting('server_version_num')::int / 10000")" \
    "server is PostgreSQL 15"
assert_eq "off" "$(pg_sql "$admin" 'show fsync')" "fsync is off"
assert_eq "" "$(pg_sql "$admin" 'show listen_addresses')" "no TCP listener"
assert_eq "app_reader|f
app_writer|f" "$(pg_sql "$admin" "select rolname, rolcanlogin from pg_roles where rolname like 'app\_%' order by 1")" \
    "roles app_reader and app_writer exist (NOLOGIN)"

url=$(pg_new_db harness)
assert_contains "$url" "postgresql:///harness_" "pg_new_db URL names the database"
dbname=$(pg_sql "$url" 'select current_database()')
assert_contains "$dbname" "harness_" "pg_new_db URL connects to the new database"
assert_eq "0" "$(pg_sql "$url" "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                 where n.nspname not in ('pg_catalog', 'information_schema')
                                   and n.nspname not like 'pg_toast%'")" "new database has no relations"
assert_eq "public" "$(pg_sql "$url" "select string_agg(nspname, ',') from pg_namespace
                                      where nspname not like 'pg\_%' and nspname <> 'information_schema'")" \
    "new database has only the public schema"
assert_eq "plpgsql" "$(pg_sql "$url" 'select string_agg(extname, $$,$$) from pg_extension')" \
    "new database has only plpgsql"

url2=$(pg_new_db harness)
assert_ne "$url" "$url2" "two pg_new_db calls give two databases"

cat >"$T/schema.sql" <<'SQL'
CREATE TABLE t (id serial PRIMARY KEY, name text NOT NULL);
GRANT SELECT ON t TO app_reader;
SQL
pg_apply "$url" "$T/schema.sql"
assert_eq "t" "$(pg_sql "$url" "select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace")" "pg_apply applied the file"
assert_eq "0" "$(pg_sql "$url2" "select count(*) from pg_class where relname = 't'")" "databases are independent"

echo "CREATE TABLE broken (" >"$T/bad.sql"
rc=0
(pg_apply "$url" "$T/bad.sql") >/dev/null 2>"$T/bad.err" || rc=$?
assert_ne 0 "$rc" "pg_apply stops the test on an SQL error"
assert_file_contains "$T/bad.err" "syntax error" "pg_apply shows the server's error"

# SQLite helpers
db=$(sqlite_new_db)
assert_contains "$db" "$T/" "sqlite_new_db is under \$T"
[[ ! -e $db ]] && pass "sqlite_new_db path does not exist yet" || fail "sqlite_new_db path exists"
printf 'CREATE TABLE a (x INTEGER PRIMARY KEY);\nCREATE INDEX a_x ON a (x);\n' >"$T/s.sql"
sqlite_apply "$db" "$T/s.sql"
assert_eq "a_x
a" "$(sqlite3 "$db" "select name from sqlite_schema order by type, name")" "sqlite_apply applied the file"
echo "CREATE TABLE (" >"$T/sbad.sql"
rc=0
(sqlite_apply "$db" "$T/sbad.sql") >/dev/null 2>&1 || rc=$?
assert_ne 0 "$rc" "sqlite_apply stops the test on an SQL error"

# catalog_canon drops exactly the "as written" keys, at any depth
cat >"$T/cat.json" <<'JSON'
{"dialect": "sqlite", "source": "x.sql",
 "tables": [{"name": "t", "sql": "CREATE TABLE t", "provenance": {"created": "x.sql:1:1"},
             "columns": [{"name": "id", "type": "INTEGER", "type_written": "int",
                          "default_expr": "1", "default_norm": "1"}],
             "constraints": [{"name": "c", "expr": "x > 0", "check_expr": "x>0", "expr_norm": "x > 0"}],
             "indexes": [{"name": "i", "where_expr": "x", "where_norm": "x"}],
             "triggers": [{"name": "tr", "body": "SELECT 1;", "when_expr": "1", "events": ["INSERT"]}]}],
 "views": [{"name": "v", "definition": "select 1", "definition_norm": "SELECT 1", "column_names": ["a"]}],
 "domains": [{"name": "d", "base_type_written": "int4", "base_type": "integer"}],
 "functions": [{"name": "f", "body": "select 1", "generated_expr": "g", "using_expr": "u"}]}
JSON
canon=$(catalog_canon "$T/cat.json")
for k in source sql provenance type_written default_expr expr check_expr where_expr when_expr \
    definition column_names base_type_written generated_expr using_expr; do
    assert_not_contains "$canon" "\"$k\":" "catalog_canon drops $k"
done
for k in default_norm expr_norm where_norm definition_norm base_type events; do
    assert_contains "$canon" "\"$k\":" "catalog_canon keeps $k"
done
assert_eq "select 1" "$(jq -r '.functions[0].body' <<<"$canon")" "catalog_canon keeps function bodies"
assert_eq "null" "$(jq -r '.tables[0].triggers[0].body' <<<"$canon")" "catalog_canon drops trigger bodies"
assert_eq "$(jq -S . <<<"$canon")" "$canon" "catalog_canon sorts keys"
