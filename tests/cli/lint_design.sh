#!/usr/bin/env bash
# tests/cli/lint_design.sh — owns: the design rules of `dbsage lint` against their
# fixtures (tests/fixtures/lint/design/<rule>/{bad,good}[.sqlite].sql: every
# `-- expect: RULE` line of a bad fixture must get a finding of RULE at exactly that
# file:line, and nothing else of RULE; a good fixture gets none), inline ignores,
# configuration (file, ./.dbsage-lint.yaml, --rule/--disable), exit codes and formats.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/lint/design
cd "$T" # no stray .dbsage-lint.yaml

# lines "file:line" of the findings of RULE in text output on stdin
finding_lines() {
    grep -F "[$1]" | awk -F: '{print $1 ":" $2}' | sort -u
}

# ---- every design rule has fixtures and a documentation page ----------------------
"$DBSAGE" lint --list-rules >"$T/rules.txt"
design_rules=$(awk '$2 == "design" {print $1}' "$T/rules.txt")
assert_ne "" "$design_rules" "--list-rules lists design rules"
for rule in $design_rules; do
    [[ -f $FIX/$rule/bad.sql && -f $FIX/$rule/good.sql ]] && pass "$rule has fixtures" ||
        fail "$rule has no tests/fixtures/lint/design/$rule/{bad,good}.sql"
    [[ -f $DBSAGE_SOURCE_DIR/docs/rules/$rule.md ]] && pass "$rule has docs/rules/$rule.md" ||
        fail "$rule has no docs/rules/$rule.md"
done

# ---- the fixtures -------------------------------------------------------------------
for dir in "$FIX"/*/; do
    rule=$(basename -- "$dir")
    assert_contains "$design_rules" "$rule" "fixture directory $rule names a design rule"
    cfg=(--config /dev/null)
    [[ -f $dir/config.yaml ]] && cfg=(--config "$dir/config.yaml")
    for f in "$dir"bad*.sql; do
        expected=$(grep -n -F -- "-- expect: $rule" "$f" | awk -F: -v f="$f" '{print f ":" $1}' | sort -u)
        assert_ne "" "$expected" "$f marks where $rule is expected"
        "$DBSAGE" lint "${cfg[@]}" --rule "$rule" "$f" >"$OUT" 2>"$ERR" || true
        assert_not_contains "$(cat "$ERR")" "error:" "$f reads without errors"
        assert_not_contains "$(cat "$ERR")" "Sanitizer" "$f: no sanitizer report"
        assert_eq "$expected" "$(finding_lines "$rule" <"$OUT")" "$rule findings at exactly the marked lines of $f"
    done
    for f in "$dir"good*.sql; do
        "$DBSAGE" lint "${cfg[@]}" --rule "$rule" "$f" >"$OUT" 2>"$ERR" || true
        assert_not_contains "$(cat "$ERR")" "error:" "$f reads without errors"
        assert_not_contains "$(cat "$ERR")" "Sanitizer" "$f: no sanitizer report"
        assert_eq "" "$(finding_lines "$rule" <"$OUT")" "no $rule finding in $f"
    done
done

# ---- inline ignores -----------------------------------------------------------------
cat >"$T/ign.sql" <<'SQL'
-- dbsage:ignore missing-primary-key
CREATE TABLE a (x int, created_at timestamptz);
CREATE TABLE b (x int, created_at timestamptz);
CREATE TABLE c (x int, -- dbsage:ignore missing-primary-key, table-without-timestamps
    y int);
CREATE TABLE d (x int); -- squawk-ignore missing-primary-key
/* dbsage:ignore missing-primary-key inside a block comment is not an ignore */
CREATE TABLE e (x int, created_at timestamptz);
SQL
"$DBSAGE" lint --rule missing-primary-key --rule table-without-timestamps "$T/ign.sql" >"$OUT" 2>"$ERR" || true
assert_eq "" "$(cat "$ERR" | grep -v '^[0-9]* error(s)')" "no diagnostics on ign.sql"
assert_eq "$T/ign.sql:3
$T/ign.sql:8" "$(finding_lines missing-primary-key <"$OUT")" "dbsage:ignore covers the next statement / its own statement; squawk-ignore honoured"
assert_eq "$T/ign.sql:6" "$(finding_lines table-without-timestamps <"$OUT")" "an ignore list names several rules"
printf -- '-- dbsage:ignore-file missing-primary-key\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\n' >"$T/ignfile.sql"
"$DBSAGE" lint --rule missing-primary-key --rule table-without-timestamps "$T/ignfile.sql" >"$OUT" 2>"$ERR" || true
assert_eq "" "$(finding_lines missing-primary-key <"$OUT")" "dbsage:ignore-file silences a rule in the whole file"
assert_eq "2" "$(finding_lines table-without-timestamps <"$OUT" | wc -l)" "... and only that rule"
printf -- '-- dbsage:ignore\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\n' >"$T/ignall.sql"
"$DBSAGE" lint "$T/ignall.sql" >"$OUT" 2>"$ERR" || true
assert_not_contains "$(cat "$OUT")" "ignall.sql:2:" "a bare dbsage:ignore silences every rule on the next statement"
assert_contains "$(cat "$OUT")" "ignall.sql:3:" "... and not the one after"

# ---- configuration --------------------------------------------------------------------
BAD=$FIX/plaintext-secret/bad.sql
assert_exit 1 "$DBSAGE" lint --config /dev/null "$BAD"
assert_contains "$(cat "$OUT")" "error: column users.password looks like a plaintext secret [plaintext-secret]" "gcc-style text line"
printf 'rules:\n  plaintext-secret: off\n' >"$T/off.yaml"
assert_exit 0 "$DBSAGE" lint --config "$T/off.yaml" "$BAD"
assert_not_contains "$(cat "$OUT")" "[plaintext-secret]" "config off disables the rule"
printf 'rules:\n  plaintext-secret: note\n  missing-primary-key: error\n' >"$T/sev.yaml"
assert_exit 0 "$DBSAGE" lint --config "$T/sev.yaml" "$BAD"
assert_contains "$(cat "$OUT")" "note: column users.password looks like a plaintext secret" "config changes the severity"
assert_exit 1 "$DBSAGE" lint --config "$T/sev.yaml" "$FIX/missing-primary-key/bad.sql"
assert_contains "$(cat "$OUT")" "error: table audit_log has no primary key" "a warning rule raised to error fails the run"
mkdir "$T/cwd" && cp "$T/off.yaml" "$T/cwd/.dbsage-lint.yaml"
(cd "$T/cwd" && "$DBSAGE" lint "$BAD" >"$OUT" 2>"$ERR") && rc=0 || rc=$?
assert_eq 0 "$rc" "./.dbsage-lint.yaml is read when --config is absent"
assert_not_contains "$(cat "$OUT")" "[plaintext-secret]" "... and applied"
printf 'rules:\n  missing-primary-key: off\n  no-such-rule: error\n' >"$T/unknown.yaml"
assert_exit 2 "$DBSAGE" lint --config "$T/unknown.yaml" "$BAD"
assert_contains "$(cat "$ERR")" "$T/unknown.yaml:3:3: error: unknown lint rule 'no-such-rule'" "unknown rule at file:line:col"
printf 'rules:\n  plaintext-secret: loud\n' >"$T/badval.yaml"
assert_exit 2 "$DBSAGE" lint --config "$T/badval.yaml" "$BAD"
assert_contains "$(cat "$ERR")" "$T/badval.yaml:2:21: error: expected off, error, warning or note" "bad value at file:line:col"
printf 'rules: [\n' >"$T/syntax.yaml"
assert_exit 2 "$DBSAGE" lint --config "$T/syntax.yaml" "$BAD"
assert_contains "$(cat "$ERR")" "$T/syntax.yaml:" "YAML syntax errors name the config file"
assert_exit 2 "$DBSAGE" lint --config "$T/missing.yaml" "$BAD"
assert_exit 0 "$DBSAGE" lint --config /dev/null --disable plaintext-secret "$BAD"
assert_not_contains "$(cat "$OUT")" "[plaintext-secret]" "--disable"
assert_exit 1 "$DBSAGE" lint --config "$T/off.yaml" --rule plaintext-secret "$BAD"
assert_eq "$(grep -c -F -- '-- expect: plaintext-secret' "$BAD")" "$(grep -c -F '[plaintext-secret]' "$OUT")" "--rule re-enables a rule the config turned off, and runs only it"
assert_exit 2 "$DBSAGE" lint --rule no-such-rule "$BAD"
assert_contains "$(cat "$ERR")" "unknown rule 'no-such-rule'" "--rule checks the id"

# ---- exit codes and formats ---------------------------------------------------------------
assert_exit 0 "$DBSAGE" lint --config /dev/null "$FIX/missing-primary-key/bad.sql"
assert_contains "$(cat "$OUT")" "warning:" "warnings alone exit 0"
assert_exit 2 "$DBSAGE" lint "$T/nope.sql"
assert_exit 2 "$DBSAGE" lint --format xml "$BAD"
assert_exit 2 "$DBSAGE" lint
assert_exit 0 "$DBSAGE" lint --help
assert_contains "$(cat "$OUT")" "--list-rules" "--help lists the options"
assert_exit 1 "$DBSAGE" lint --config /dev/null --format json "$BAD"
assert_eq "3" "$(jq '[.findings[] | select(.rule == "plaintext-secret")] | length' "$OUT")" "json: findings"
assert_eq "$BAD:5:1" "$(jq -r '[.findings[] | select(.rule == "plaintext-secret")][0] | "\(.file):\(.line):\(.col)"' "$OUT")" "json: location"
assert_eq "$(jq '[.findings[] | select(.severity == "error")] | length' "$OUT")" "$(jq '.summary.errors' "$OUT")" "json: summary counts"
assert_exit 1 "$DBSAGE" lint --config /dev/null --format github "$BAD"
assert_contains "$(cat "$OUT")" "::error file=$BAD,line=5,col=1,title=plaintext-secret::column users.password looks like a plaintext secret" "github annotations"
# a directory of migrations is read in version order, findings placed in each file
mkdir "$T/mig"
printf 'CREATE TABLE t (id bigint PRIMARY KEY, created_at timestamptz);\n' >"$T/mig/2_create.sql"
printf 'ALTER TABLE t ADD COLUMN secret text;\n' >"$T/mig/10_secret.sql"
assert_exit 1 "$DBSAGE" lint --config /dev/null "$T/mig"
assert_contains "$(cat "$OUT")" "$T/mig/10_secret.sql:1:1: error: column t.secret looks like a plaintext secret" "directory: the later file (version 10 after 2) adds the column"
# --list-rules --format markdown is docs/rules/README.md (tests/cli/lint_docs.sh checks it is committed)
assert_exit 0 "$DBSAGE" lint --list-rules --format markdown
assert_contains "$(cat "$OUT")" "| [missing-primary-key](missing-primary-key.md) |" "markdown rule index"
# a syntax error is reported once (the migration rules and the reader parse the same text), exit 1
printf 'CREATE TABLE t (id bigint PRIMARY KEY, created_at timestamptz);\nCREATE TABEL x (y int);\n' >"$T/syntax.sql"
assert_exit 1 "$DBSAGE" lint --config /dev/null "$T/syntax.sql"
assert_eq 1 "$(grep -c 'syntax.sql:2:8: error: syntax error at or near "TABEL"' "$ERR")" "syntax error reported once at file:line:col"
