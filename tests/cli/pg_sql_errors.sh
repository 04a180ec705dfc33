#!/usr/bin/env bash
# tests/cli/pg_sql_errors.sh — owns: error reporting of the PostgreSQL SQL-file
# reader through `dbsage inspect`: exact file:line:col diagnostics with exit 1,
# and no crash on nasty inputs (empty file, comments only, unterminated $$,
# 10,000 nested parentheses).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"

check_error() { # NAME EXPECTED-LINE-PREFIX MESSAGE-SUBSTRING (file content on stdin)
    local name=$1 prefix=$2 msg=$3
    cat >"$name.sql"
    assert_exit 1 "$DBSAGE" inspect --dialect pg --format json "$name.sql"
    if grep -q 'runtime error:\|AddressSanitizer\|LeakSanitizer' "$ERR"; then
        fail "$name: sanitizer report"
    fi
    local line
    line=$(grep -F -- "$prefix" "$ERR" | head -n 1 || true)
    assert_contains "$line" "$prefix error: $msg" "$name: diagnostic"
}

check_error syntax "syntax.sql:3:8:" 'syntax error at or near "TABEL"' <<'SQL'
CREATE TABLE a (id int);
CREATE TABLE b (id int);
CREATE TABEL c (id int);
CREATE TABLE d (id int);
SQL

check_error alter_unknown "alter_unknown.sql:3:3:" 'relation "missing" does not exist' <<'SQL'
CREATE TABLE a (id int);

  ALTER TABLE missing ADD COLUMN x int;
SQL

check_error dup_table "dup_table.sql:2:1:" 'relation "a" already exists' <<'SQL'
CREATE TABLE a (id int);
CREATE TABLE a (id int);
SQL

check_error drop_index "drop_index.sql:2:9:" 'index "nope" does not exist' <<'SQL'
-- comment
/* x */ DROP INDEX nope;
SQL

check_error fk_unknown "fk_unknown.sql:1:1:" 'relation "ghost" does not exist' <<'SQL'
CREATE TABLE a (id int REFERENCES ghost);
SQL

check_error unterminated "unterminated.sql:2:49:" 'unterminated dollar-quoted string' <<'SQL'
CREATE TABLE a (id int);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ select 1;
SQL

# the statements before a syntax error are still interpreted
printf 'CREATE TABLE kept (id int);\nCREATE TABLE oops (;\n' >partial.sql
rc=0
"$DBSAGE" inspect --dialect pg --format json partial.sql >"$OUT" 2>"$ERR" || rc=$?
assert_eq 1 "$rc" "partial: exit 1"
assert_file_contains "$OUT" '"kept"' "partial: statements before the error are kept"

# nasty inputs: never crash
: >empty.sql
printf -- '-- nothing here\n/* nor here */\n' >comments.sql
python3 -c "print('SELECT ' + '(' * 10000 + '1' + ')' * 10000 + ';')" >parens.sql
python3 -c "print('CREATE TABLE p (c int CHECK (' + '(' * 10000 + 'c > 1' + ')' * 10000 + '));')" >parens2.sql
printf 'CREATE TABLE x (a int);\0CREATE TABLE y (b int);\n' >nul.sql
printf '\xff\xfe CREATE TABLE \xc3\xa9 (id int);\n' >bytes.sql
for f in empty comments parens parens2 nul bytes; do
    rc=0
    "$DBSAGE" inspect --dialect pg --format json "$f.sql" >"$OUT" 2>"$ERR" || rc=$?
    if ((rc >= 2)); then
        fail "$f.sql: exit $rc (crash?)"
        _lib_show stderr "$(cat -- "$ERR")"
    else
        pass "$f.sql: no crash (exit $rc)"
    fi
    if grep -q 'runtime error:\|AddressSanitizer\|LeakSanitizer' "$ERR"; then
        fail "$f.sql: sanitizer report"
    fi
done
assert_exit 0 "$DBSAGE" inspect --dialect pg --format json empty.sql
assert_exit 0 "$DBSAGE" inspect --dialect pg --format json comments.sql
