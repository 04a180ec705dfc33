#!/usr/bin/env bash
# Hostile nesting depth: long operator chains and deep parentheses in both
# dialects must end in a result or a diagnostic, never a crash (the readers
# run on a big stack, util/bigstack.h).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

chain() { # N: SELECT 1+1+...+1;
    local n=$1
    printf 'CREATE TABLE t (a integer CHECK ('
    head -c "$n" /dev/zero | tr '\0' 'x' | sed 's/x/a+/g'
    printf 'a > 0));\n'
}

# libpg_query's protobuf packing is quadratic in nesting depth, so the
# PostgreSQL chains stay at sizes that overflowed an 8 MiB stack before the
# readers moved to a big stack (about 24,000 levels under ASan), while the
# SQLite reader gets a much longer one.
for n in 30000; do
    chain "$n" > "$T/chain_$n.sql"
    set +e
    "$DBSAGE" inspect --dialect pg "$T/chain_$n.sql" > "$T/out" 2> "$T/err"
    rc=$?
    set -e
    assert_eq 1 "$(( rc <= 1 ))" "pg: $n-operator chain ends with exit 0/1 (got $rc)"
done
for n in 30000 200000; do
    chain "$n" > "$T/chain_$n.sql"
    set +e
    "$DBSAGE" inspect --dialect sqlite "$T/chain_$n.sql" > "$T/out" 2> "$T/err"
    rc=$?
    set -e
    assert_eq 1 "$(( rc <= 1 ))" "sqlite: $n-operator chain ends with exit 0/1 (got $rc)"
done

nested_parens() { # N: deeply nested parentheses
    local n=$1
    printf 'CREATE TABLE p (a integer DEFAULT '
    head -c "$n" /dev/zero | tr '\0' '('
    printf '1'
    head -c "$n" /dev/zero | tr '\0' ')'
    printf ');\n'
}
nested_parens 100000 > "$T/parens.sql"
for d in pg sqlite; do
    set +e
    "$DBSAGE" inspect --dialect "$d" "$T/parens.sql" > "$T/out" 2> "$T/err"
    rc=$?
    set -e
    assert_eq 1 "$(( rc <= 1 ))" "$d: 100,000 nested parentheses end with exit 0/1 (got $rc)"
done
