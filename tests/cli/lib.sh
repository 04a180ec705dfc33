# tests/cli/lib.sh — owns: the shared harness of the CLI test scripts.
#
# Every tests/cli/*.sh starts with
#     . "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"
# and gets: strict mode, a private temp dir $T (removed on exit), helpers for
# the test PostgreSQL cluster and SQLite files, catalog JSON canonicalisation
# and counting assertions.  At exit it prints "N passed, M failed" and exits
# non-zero when an assertion failed or the script stopped on an error.
#
# Environment (set by ctest, see tests/tests.cmake):
#   DBSAGE             the dbsage binary          DBSAGE_SOURCE_DIR  repo root
#   DBSAGE_PG_STATE    test cluster state dir (its admin URL is in $DBSAGE_PG_STATE/url)
#   DBSAGE_KEEP_TMP=1  keep $T (and the test databases) for post-mortems
#
# Helpers:
#   pg_url                      admin URL of the test cluster
#   pg_new_db NAME              fresh empty database NAME_<unique>; prints its URL
#   pg_apply URL FILE           psql -f FILE, stops the test on error
#   pg_sql URL SQL              run one SQL string, prints unaligned tuples
#   sqlite_new_db               prints a fresh (not yet existing) path under $T
#   sqlite_apply PATH FILE      sqlite3 -bail PATH < FILE, stops the test on error
#   catalog_canon FILE          JSON without the "as written" keys, sorted keys
#   assert_eq EXPECTED ACTUAL MSG           assert_ne UNEXPECTED ACTUAL MSG
#   assert_contains HAYSTACK NEEDLE MSG     assert_not_contains HAYSTACK NEEDLE MSG
#   assert_file_contains FILE NEEDLE MSG
#   assert_exit CODE CMD...     runs CMD; stdout in file $OUT, stderr in file $ERR
#   assert_files_equal A B MSG  unified diff on failure
#   pass MSG | fail MSG | skip MSG (exit 77: ctest reports the test as skipped)
#   on_exit CMD...              run CMD at exit (do not set your own EXIT trap)

set -euo pipefail

: "${DBSAGE_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${DBSAGE:=$DBSAGE_SOURCE_DIR/build/dbsage}"
export DBSAGE DBSAGE_SOURCE_DIR
export NO_COLOR=1 LC_ALL=C
unset DATABASE_URL # tests set it explicitly when they want it

TEST_NAME=$(basename -- "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/dbsage-$TEST_NAME.XXXXXX")
OUT=$T/.out
ERR=$T/.err
_LIB_PASSED=0
_LIB_FAILED=0
_LIB_EXIT_HOOKS=()
: >"$T/.pg_dbs"

on_exit() {
    _LIB_EXIT_HOOKS+=("$*")
}

_lib_drop_dbs() {
    [[ -s $T/.pg_dbs ]] || return 0
    local url name
    url=$(pg_url 2>/dev/null) || return 0
    while read -r name; do
        psql "$url" -X -q -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
    done <"$T/.pg_dbs"
}

_lib_exit() {
    local rc=$? hook
    set +e
    for hook in "${_LIB_EXIT_HOOKS[@]}"; do
        eval "$hook"
    done
    if ((rc != 0 && rc != 77 && _LIB_FAILED == 0)); then
        echo "FAIL: $TEST_NAME stopped with exit status $rc (an unchecked command failed)" >&2
        _LIB_FAILED=$((_LIB_FAILED + 1))
    fi
    if [[ ${DBSAGE_KEEP_TMP:-0} == 1 ]]; then
        echo "kept $T" >&2
    else
        _lib_drop_dbs
        rm -rf -- "$T"
    fi
    if ((rc == 77)); then
        exit 77
    fi
    echo "$TEST_NAME: $_LIB_PASSED passed, $_LIB_FAILED failed"
    ((_LIB_FAILED == 0)) || exit 1
    exit 0
}
trap _lib_exit EXIT

# ---- assertions ---------------------------------------------------------------

pass() {
    _LIB_PASSED=$((_LIB_PASSED + 1))
    echo "ok: $*"
}

fail() {
    _LIB_FAILED=$((_LIB_FAILED + 1))
    echo "FAIL: $*" >&2
    return 0
}

skip() {
    echo "SKIP: $*"
    exit 77
}

_lib_show() { # LABEL TEXT: print a value, indented and bounded
    printf '  %s:\n' "$1" >&2
    printf '%s\n' "$2" | head -n 40 | sed 's/^/    | /' >&2
}

assert_eq() {
    local expected=$1 actual=$2 msg=${3:-values equal}
    if [[ $expected == "$actual" ]]; then
        pass "$msg"
    else
        fail "$msg"
        _lib_show expected "$expected"
        _lib_show actual "$actual"
    fi
}

assert_ne() {
    local unexpected=$1 actual=$2 msg=${3:-values differ}
    if [[ $unexpected != "$actual" ]]; then
        pass "$msg"
    else
        fail "$msg"
        _lib_show "both are" "$actual"
    fi
}

assert_contains() {
    local haystack=$1 needle=$2 msg=${3:-contains '$2'}
    if [[ $haystack == *"$needle"* ]]; then
        pass "$msg"
    else
        fail "$msg"
        _lib_show "expected to find" "$needle"
        _lib_show "in" "$haystack"
    fi
}

assert_not_contains() {
    local haystack=$1 needle=$2 msg=${3:-does not contain '$2'}
    if [[ $haystack != *"$needle"* ]]; then
        pass "$msg"
    else
        fail "$msg"
        _lib_show "did not expect" "$needle"
        _lib_show "in" "$haystack"
    fi
}

assert_file_contains() {
    local file=$1 needle=$2 msg=${3:-$1 contains '$2'}
    if [[ -f $file ]] && grep -qF -- "$needle" "$file"; then
        pass "$msg"
    else
        fail "$msg"
        _lib_show "expected to find" "$needle"
        _lib_show "in $file" "$(cat -- "$file" 2>/dev/null || echo '(missing)')"
    fi
}

# assert_exit CODE CMD...: stdout goes to the file $OUT, stderr to $ERR.
assert_exit() {
    local expected=$1 rc=0
    shift
    "$@" >"$OUT" 2>"$ERR" || rc=$?
    if [[ $rc == "$expected" ]]; then
        pass "exit $expected: $*"
    else
        fail "expected exit $expected, got $rc: $*"
        _lib_show stdout "$(cat -- "$OUT")"
        _lib_show stderr "$(cat -- "$ERR")"
    fi
}

assert_files_equal() {
    local a=$1 b=$2 msg=${3:-$1 equals $2}
    if [[ ! -f $a || ! -f $b ]]; then
        fail "$msg (missing file: $([[ -f $a ]] || echo "$a") $([[ -f $b ]] || echo "$b"))"
    elif cmp -s -- "$a" "$b"; then
        pass "$msg"
    else
        fail "$msg"
        diff -u -- "$a" "$b" | head -n 200 >&2 || true
    fi
}

# ---- PostgreSQL -------------------------------------------------------------

pg_url() {
    local f=${DBSAGE_PG_STATE:-}/url
    if [[ -z ${DBSAGE_PG_STATE:-} || ! -s $f ]]; then
        echo "pg_url: no test cluster (DBSAGE_PG_STATE='${DBSAGE_PG_STATE:-}'); name the script pg_*.sh" >&2
        return 1
    fi
    cat -- "$f"
}

# pg_new_db NAME: drops and creates NAME_<pid>_<n>; prints its URL.
pg_new_db() {
    local base=${1:-db} admin name n
    admin=$(pg_url)
    base=$(printf '%s' "$base" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_' '_' | cut -c1-40)
    n=$(($(wc -l <"$T/.pg_dbs") + 1))
    name=${base}_$$_$n
    PGOPTIONS='-c client_min_messages=warning' psql "$admin" -X -q -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" \
        -c "CREATE DATABASE \"$name\" TEMPLATE template0" >/dev/null || {
        echo "pg_new_db: cannot create database $name" >&2
        return 1
    }
    echo "$name" >>"$T/.pg_dbs"
    printf '%s\n' "${admin/#postgresql:\/\/\/postgres\?/postgresql:///$name?}"
}

pg_apply() {
    local url=$1 file=$2
    if ! PGOPTIONS='-c client_min_messages=warning' psql "$url" -v ON_ERROR_STOP=1 -q -X \
        -f "$file" >"$T/.psql.out" 2>&1; then
        cat "$T/.psql.out" >&2
        echo "pg_apply: applying $file failed" >&2
        exit 1
    fi
}

pg_sql() {
    local url=$1 sql=$2
    PGOPTIONS='-c client_min_messages=warning' psql "$url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$sql"
}

# ---- SQLite -------------------------------------------------------------------

sqlite_new_db() {
    local p
    p=$(mktemp -u "$T/db.XXXXXX")
    printf '%s\n' "$p.sqlite"
}

sqlite_apply() {
    local path=$1 file=$2
    if ! sqlite3 -bail "$path" <"$file" >"$T/.sqlite.out" 2>&1; then
        cat "$T/.sqlite.out" >&2
        echo "sqlite_apply: applying $file to $path failed" >&2
        exit 1
    fi
}

# ---- catalog JSON ---------------------------------------------------------------

# The "as written" keys of docs/CONTRACTS.md, dropped at any depth; `body` only
# inside "triggers" arrays (SQLite trigger bodies; function bodies are kept).
catalog_canon() {
    jq -S '
      def drop_written:
        del(.provenance, .source, .type_written, .base_type_written, .default_expr,
            .expr, .generated_expr, .where_expr, .when_expr, .using_expr,
            .check_expr, .definition, .sql, .column_names);
      walk(if type == "object" then
             drop_written
             | if (.triggers | type) == "array"
               then .triggers |= map(if type == "object" then del(.body) else . end)
               else . end
           else . end)' "$1"
}
