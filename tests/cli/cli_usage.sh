#!/usr/bin/env bash
# tests/cli/cli_usage.sh — owns: command-line usage behaviour and exit codes
# of dbsage (help, version, unknown commands/options, missing sources).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

assert_exit 0 "$DBSAGE" --help
assert_contains "$(cat "$OUT")" "usage: dbsage" "--help prints usage on stdout"
assert_contains "$(cat "$OUT")" "inspect" "--help lists the inspect command"
assert_eq "" "$(cat "$ERR")" "--help writes nothing to stderr"

assert_exit 0 "$DBSAGE" -h
assert_contains "$(cat "$OUT")" "usage: dbsage" "-h prints usage"

assert_exit 0 "$DBSAGE" --version
version=$(cat "$OUT")
[[ $version =~ ^dbsage\ [0-9]+\.[0-9]+\.[0-9]+ ]] && pass "--version: '$version'" ||
    fail "--version prints 'dbsage X.Y.Z', got '$version'"

assert_exit 2 "$DBSAGE"
assert_contains "$(cat "$ERR")" "usage:" "no command: usage on stderr"

assert_exit 2 "$DBSAGE" frobnicate
assert_contains "$(cat "$ERR")" "unknown command 'frobnicate'" "unknown command is named"
assert_eq "" "$(cat "$OUT")" "unknown command: nothing on stdout"

assert_exit 0 "$DBSAGE" inspect --help
assert_contains "$(cat "$OUT")" "usage: dbsage inspect" "inspect --help prints inspect usage"
assert_contains "$(cat "$OUT")" "--format" "inspect --help documents --format"

assert_exit 2 "$DBSAGE" inspect
assert_contains "$(cat "$ERR")" "DATABASE_URL" "inspect without source mentions DATABASE_URL"

assert_exit 2 env DATABASE_URL= "$DBSAGE" inspect
assert_contains "$(cat "$ERR")" "DATABASE_URL" "empty DATABASE_URL counts as unset"

assert_exit 2 "$DBSAGE" inspect --no-such-option
assert_contains "$(cat "$ERR")" "unknown option '--no-such-option'" "unknown option is named"

assert_exit 2 "$DBSAGE" inspect -Q
assert_contains "$(cat "$ERR")" "unknown option '-Q'" "unknown short option is named"

echo "CREATE TABLE t (id integer);" >"$T/schema.sql"
assert_exit 2 "$DBSAGE" inspect --format
assert_contains "$(cat "$ERR")" "needs a value" "option without its value"

assert_exit 2 "$DBSAGE" inspect --format yaml "$T/schema.sql"
assert_contains "$(cat "$ERR")" "unknown --format 'yaml'" "bad --format value is named"

assert_exit 2 "$DBSAGE" inspect --dialect oracle "$T/schema.sql"
assert_contains "$(cat "$ERR")" "unknown --dialect 'oracle'" "bad --dialect value is named"

assert_exit 2 "$DBSAGE" inspect "$T/does-not-exist.sql"
assert_contains "$(cat "$ERR")" "does-not-exist.sql" "missing file is named"
assert_contains "$(cat "$ERR")" "error:" "missing file is an error"
assert_eq "" "$(cat "$OUT")" "missing file: nothing on stdout"
