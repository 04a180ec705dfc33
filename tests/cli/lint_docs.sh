#!/usr/bin/env bash
# tests/cli/lint_docs.sh — owns: the lint rule documentation is complete and current:
# docs/rules/README.md is exactly `dbsage lint --list-rules --format markdown` (regenerate
# it with that command after changing a rule table) and every rule has docs/rules/<id>.md.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

DOCS=$DBSAGE_SOURCE_DIR/docs/rules
assert_exit 0 "$DBSAGE" lint --list-rules --format markdown
assert_files_equal "$DOCS/README.md" "$OUT" "docs/rules/README.md is the generated rule index"
assert_exit 0 "$DBSAGE" lint --list-rules
n=0
while read -r id _; do
    n=$((n + 1))
    [[ -f $DOCS/$id.md ]] && pass "docs/rules/$id.md" || fail "rule $id has no docs/rules/$id.md"
    assert_contains "$(cat "$DOCS/README.md")" "| [$id]($id.md) |" "README.md lists $id"
done <"$OUT"
((n >= 14)) && pass "$n rules listed" || fail "only $n rules listed"
assert_exit 2 "$DBSAGE" lint --list-rules --format sarif
