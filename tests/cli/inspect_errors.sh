#!/usr/bin/env bash
# tests/cli/inspect_errors.sh — owns: the error acceptance checks of `dbsage inspect`:
# every tests/fixtures/errors/NAME.sql must make inspect exit 1 (never crash) and
# print the diagnostic of NAME.expected (line 1: exact "file:line:col: error:"
# prefix, line 2: message substring on that same stderr line).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

dir=$DBSAGE_SOURCE_DIR/tests/fixtures/errors
cd "$dir"

n=0
for sql in *.sql; do
    name=${sql%.sql}
    exp=$name.expected
    if [[ ! -f $exp ]]; then
        fail "$sql has no $exp"
        continue
    fi
    n=$((n + 1))
    prefix=$(sed -n 1p "$exp")
    needle=$(sed -n 2p "$exp")
    dialect=pg
    [[ $name == sqlite_* ]] && dialect=sqlite

    rc=0
    "$DBSAGE" inspect --dialect "$dialect" --format json "$sql" >"$OUT" 2>"$ERR" || rc=$?
    if ((rc >= 128)); then
        fail "$sql: dbsage crashed (exit $rc)"
        _lib_show stderr "$(cat -- "$ERR")"
        continue
    fi
    if grep -q 'runtime error:\|AddressSanitizer\|LeakSanitizer' "$ERR"; then
        fail "$sql: sanitizer report"
        _lib_show stderr "$(cat -- "$ERR")"
    fi
    assert_eq 1 "$rc" "$sql: exit code"

    # the expected line: starts with the prefix and contains the message
    if awk -v p="$prefix" -v m="$needle" 'index($0, p) == 1 && index($0, m) > 0 { found = 1 } END { exit !found }' "$ERR"; then
        pass "$sql: reports $prefix ...$needle..."
    else
        fail "$sql: expected a stderr line starting with '$prefix' containing '$needle'"
        _lib_show stderr "$(cat -- "$ERR")"
    fi

    # the same file in the default (detected) dialect must not crash either
    rc=0
    "$DBSAGE" inspect --format sql "$sql" >/dev/null 2>"$ERR" || rc=$?
    if ((rc >= 128)); then
        fail "$sql: dbsage crashed with dialect detection (exit $rc)"
    else
        pass "$sql: no crash with dialect detection (exit $rc)"
    fi
done

((n >= 7)) && pass "$n error fixtures checked" || fail "only $n error fixtures found"

# bad input of other shapes must not crash: empty file, binary garbage, only comments,
# a file that stops in the middle of a dollar quote.
: >"$T/empty.sql"
printf -- '-- just a comment\n/* block */\n' >"$T/comments.sql"
head -c 2048 /dev/urandom >"$T/garbage.sql"
printf 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1\n' >"$T/dollar.sql"
printf 'CREATE TABLE t (id int);\nCREATE TABLE' >"$T/truncated.sql"
for f in empty comments garbage dollar truncated; do
    for d in pg sqlite; do
        rc=0
        "$DBSAGE" inspect --dialect $d --format json "$T/$f.sql" >/dev/null 2>"$ERR" || rc=$?
        if ((rc >= 128)); then
            fail "$f.sql ($d): crashed (exit $rc)"
        else
            pass "$f.sql ($d): no crash (exit $rc)"
        fi
    done
done
