#!/usr/bin/env bash
# tests/cli/lint_sarif.sh — owns: `dbsage lint --format sarif` is a valid SARIF 2.1.0 log
# (tests/sarif_check.py: the schema's required fields, levels, ruleIndex, locations),
# with rule metadata, and the checker itself rejects broken logs.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

CHECK=$DBSAGE_SOURCE_DIR/tests/sarif_check.py
FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/lint/design
cd "$T"

# bad fixtures whose tables do not clash, read as one schema: findings of every severity
SET=()
for r in missing-primary-key plaintext-secret table-without-timestamps duplicate-index role-literal-password \
    identifier-too-long json-in-text timestamp-without-time-zone prefer-text-over-varchar; do
    SET+=("$FIX/$r/bad.sql")
done
assert_exit 1 "$DBSAGE" lint --config /dev/null --format sarif "${SET[@]}"
assert_eq "" "$(cat "$ERR")" "the fixtures read as one schema without errors"
cp "$OUT" "$T/pg.sarif"
python3 "$CHECK" "$T/pg.sarif" >"$T/check.txt" && pass "pg fixtures: $(cat "$T/check.txt")" || fail "invalid SARIF: $(cat "$T/check.txt")"
assert_eq "$("$DBSAGE" lint --config /dev/null --format json "${SET[@]}" | jq '.findings | length')" \
    "$(jq '.runs[0].results | length' "$T/pg.sarif")" "one SARIF result per finding"
assert_eq "error note warning" "$(jq -r '[.runs[0].results[].level] | unique | join(" ")' "$T/pg.sarif")" "all three levels present"
assert_eq "$("$DBSAGE" lint --list-rules | wc -l)" "$(jq '.runs[0].tool.driver.rules | length' "$T/pg.sarif")" "driver.rules lists every rule"
assert_eq "https://github.com/dbsage/dbsage/blob/main/docs/rules/plaintext-secret.md" \
    "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "plaintext-secret") | .helpUri' "$T/pg.sarif")" "helpUri to the rule page"
assert_eq "error" "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "plaintext-secret") | .defaultConfiguration.level' "$T/pg.sarif")" "default level"
f=$FIX/plaintext-secret/bad.sql
assert_eq "file://$f:5:1" "$(jq -r --arg f "file://$f" '[.runs[0].results[] | select(.ruleId == "plaintext-secret")][0].locations[0].physicalLocation | "\(.artifactLocation.uri):\(.region.startLine):\(.region.startColumn)"' "$T/pg.sarif")" "location of a finding"

assert_exit 0 "$DBSAGE" lint --config /dev/null --format sarif "$FIX"/missing-primary-key/bad.sqlite.sql
python3 "$CHECK" "$OUT" >"$T/check.txt" && pass "sqlite fixture: $(cat "$T/check.txt")" || fail "invalid SARIF: $(cat "$T/check.txt")"
# a relative path with a space stays a relative URI reference, percent-encoded
mkdir "$T/my dir" && printf 'CREATE TABLE t (x int);\n' >"$T/my dir/s.sql"
assert_exit 0 "$DBSAGE" lint --config /dev/null --format sarif "my dir/s.sql"
python3 "$CHECK" "$OUT" >"$T/check.txt" && pass "relative path: $(cat "$T/check.txt")" || fail "invalid SARIF: $(cat "$T/check.txt")"
assert_eq "my%20dir/s.sql" "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' "$OUT")" "uri is percent-encoded"
# no findings: still a valid log with an empty results array
assert_exit 0 "$DBSAGE" lint --config /dev/null --format sarif "$FIX"/fk-missing-index/good.sql --rule fk-missing-index
python3 "$CHECK" "$OUT" >"$T/check.txt" && pass "empty run: $(cat "$T/check.txt")" || fail "invalid SARIF: $(cat "$T/check.txt")"
assert_eq 0 "$(jq '.runs[0].results | length' "$OUT")" "empty results"

# the checker catches what it claims to check
bad() { # JQ-EDIT MSG: the pg log edited must be rejected
    jq "$1" "$T/pg.sarif" >"$T/broken.sarif"
    if python3 "$CHECK" "$T/broken.sarif" >/dev/null; then fail "checker accepts: $2"; else pass "checker rejects: $2"; fi
}
bad '.version = "2.0.0"' "wrong version"
bad 'del(."$schema")' "no \$schema"
bad 'del(.runs[0].tool.driver.name)' "no driver name"
bad 'del(.runs[0].tool.driver.rules[3].id)' "a rule without id"
bad '.runs[0].results[0].level = "fatal"' "a bad level"
bad 'del(.runs[0].results[0].message.text)' "no message text"
bad 'del(.runs[0].results[0].ruleId)' "no ruleId"
bad '.runs[0].results[0].ruleIndex += 1' "inconsistent ruleIndex"
bad 'del(.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri)' "no uri"
bad '.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0' "startLine 0"
bad 'del(.runs[0].results[0].locations[0].physicalLocation.region)' "no region"
