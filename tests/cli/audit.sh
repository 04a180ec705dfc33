#!/usr/bin/env bash
# tests/cli/audit.sh — owns: `dbsage audit` on examples/db-sage-pack (plus a
# .env): the exact data-flow-audit.yaml (config keys with secrets listed by
# key only, folders with roles/counts/formats/bytes, script I/O, entities
# with {slug} templates, relations, KISS gate answers with evidence), that no
# secret value is ever printed, --format json|text, usage errors, and that
# --infer writes a migration whose up applies to a fresh SQLite db and whose
# down rolls it back to an empty schema, plus an import spec that imports.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
cp -r "$DBSAGE_SOURCE_DIR/examples/db-sage-pack" pack
printf 'DATABASE_URL=postgres://u:hunter2@h/db\nLOG_LEVEL=debug\n' >pack/.env
SECRET=sk-live-9f8e7d6c5b4a3210SECRET

# ---- the audit document -------------------------------------------------------------
assert_exit 0 "$DBSAGE" audit --out audit/data-flow-audit.yaml pack
cat >"$T/expected.yaml" <<'YAML'
# data-flow-audit.yaml: written by `dbsage audit` (shape: docs/audit.md).
# Secret values are never written: only their keys.
expansion_pack_audit:
  pack: pack
  name: mind-cloner
  version: 2.0.0
  config_files:
    - path: .env
      format: env
      keys: [DATABASE_URL, LOG_LEVEL]
      secrets: []
    - path: config.yaml
      format: yaml
      keys: [name, version, description, api_key, model, outputs_dir]
      secrets: [api_key]
  folders:
    - path: .
      role: other
      files: 3
      bytes: 729
      formats:
        env: 1
        md: 1
        yaml: 1
    - path: agents/
      role: definitions
      files: 2
      bytes: 107
      formats:
        md: 2
    - path: data/
      role: input
      files: 2
      bytes: 140
      formats:
        md: 2
    - path: outputs/
      role: output
      files: 5
      bytes: 473
      formats:
        yaml: 2
        json: 3
    - path: scripts/
      role: scripts
      files: 3
      bytes: 813
      formats:
        py: 2
        sh: 1
    - path: state/
      role: state
      files: 1
      bytes: 71
      formats:
        json: 1
    - path: tasks/
      role: definitions
      files: 1
      bytes: 91
      formats:
        md: 1
    - path: templates/
      role: definitions
      files: 1
      bytes: 38
      formats:
        md: 1
  scripts:
    - path: scripts/build_mind.py
      language: python
      reads: ['data/interviews/{slug}.md']
      writes: ['outputs/minds/{slug}/profile.yaml', 'outputs/minds/{slug}/sessions/{sys.argv[2]}.json']
      io_calls: ['7:open(', '10:open(w)', '11:yaml.dump(', '12:open(w)', '13:json.dump(']
    - path: scripts/export.sh
      language: shell
      reads: [outputs/minds/*/profile.yaml]
      writes: [outputs/report.txt]
      io_calls: ['3:>', '3:read']
    - path: scripts/track_state.py
      language: python
      reads: [state/pipeline.json]
      writes: [state/pipeline.json]
      io_calls: ['4:open(', '5:json.load(', '7:open(w)', '8:json.dump(']
  entities:
    - name: interviews
      template: data/interviews/*.md
      format: markdown
      files: 2
      key: [file]
      fields: [body, title]
    - name: minds
      template: outputs/minds/{slug}/profile.yaml
      format: yaml
      files: 2
      key: [slug]
      fields: [slug, name, era, field]
    - name: sessions
      template: outputs/minds/{slug}/sessions/*.json
      format: json
      files: 3
      key: [id]
      fields: [id, mind_slug, status, score, started_at]
    - name: states
      template: state/*.json
      format: json
      files: 1
      key: [file]
      fields: [runs, last_run, status]
  relations:
    - from: sessions
      to: minds
      kind: many-to-one
      evidence: 'template outputs/minds/{slug}/sessions/*.json nests in outputs/minds/{slug}/; its files hold field mind_slug'
  kiss_gate:
    multi_user:
      answer: unknown
      evidence: ['no user_id/owner_id/tenant_id field in 4 entities and no users/ folder']
    versioned_artifacts:
      answer: 'yes'
      evidence: ['outputs/minds/{slug}/sessions/*.json: 3 of 3 files named by date or version']
    concurrent_writers:
      answer: unknown
      evidence: ['state/pipeline.json: read-modify-write in scripts/track_state.py (unsafe if runs overlap)', 'each written path has one writer script (3 scripts)']
    search_needs:
      answer: likely
      evidence: ['free text: data/interviews/ada-lovelace.md', 'free text: data/interviews/alan-turing.md']
    data_volume:
      answer: small
      evidence: ['8 files, 684 bytes in input/output/state folders']
    relational_queries:
      answer: 'yes'
      evidence: ['sessions -> minds: template outputs/minds/{slug}/sessions/*.json nests in outputs/minds/{slug}/; its files hold field mind_slug']
YAML
assert_files_equal "$T/expected.yaml" audit/data-flow-audit.yaml "data-flow-audit.yaml is the expected audit"
assert_eq "" "$(cat "$OUT")" "text mode: nothing on stdout"
assert_contains "$(cat "$ERR")" "audit: 2 config files, 8 folders, 3 scripts, 4 entities, 1 relations" "text summary counts"
assert_contains "$(cat "$ERR")" "  versioned_artifacts: yes" "text summary: gate answers"
assert_contains "$(cat "$ERR")" "wrote audit/data-flow-audit.yaml" "text summary names the file written"
[[ ! -e audit/migrations ]] && pass "no migration without --infer" || fail "a migration was written without --infer"

# ---- secrets: never printed, in any format or file --------------------------------------
assert_exit 0 "$DBSAGE" audit --format json --out audit2/a.yaml pack
json=$(cat "$OUT")
assert_eq "api_key|DATABASE_URL,LOG_LEVEL|outputs/minds/{slug}/profile.yaml|sessions>minds|yes" "$(python3 -c '
import json, sys
a = json.loads(sys.argv[1])["expansion_pack_audit"]
c = {x["path"]: x for x in a["config_files"]}
e = {x["name"]: x for x in a["entities"]}
r = a["relations"][0]
print("|".join([",".join(c["config.yaml"]["secrets"]), ",".join(c[".env"]["keys"]), e["minds"]["template"],
                r["from"] + ">" + r["to"], a["kiss_gate"]["versioned_artifacts"]["answer"]]))' "$json")" \
    "--format json: the same audit as JSON on stdout"
assert_exit 0 "$DBSAGE" audit --format yaml --out audit3/a.yaml pack
assert_files_equal audit/data-flow-audit.yaml "$OUT" "--format yaml prints the audit file"
assert_exit 0 "$DBSAGE" audit --infer --out audit4/data-flow-audit.yaml pack
for f in $(find audit audit2 audit3 audit4 -type f); do
    assert_not_contains "$(cat "$f")" "$SECRET" "$f: the api_key value is not written"
    assert_not_contains "$(cat "$f")" "hunter2" "$f: the .env password is not written"
done
assert_not_contains "$json$(cat "$ERR")" "$SECRET" "the api_key value is not printed"

# ---- --infer: migration up applies, down rolls back; the import spec imports -------------
mig=(audit4/migrations/*_audit_schema.sql)
assert_eq 1 "${#mig[@]}" "one migration in migrations/ next to the audit"
assert_file_contains "${mig[0]}" "-- migrate:down" "the migration has a down section"
assert_file_contains "${mig[0]}" "DROP TABLE IF EXISTS minds;" "the down section drops the tables"
DB=$(sqlite_new_db)
assert_exit 0 "$DBSAGE" migrate --url "sqlite:$DB" --dir audit4/migrations up
assert_eq "interviews minds sessions states" \
    "$(sqlite3 "$DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'dbsage%' ORDER BY name)")" \
    "up creates one table per entity"
assert_exit 0 "$DBSAGE" import --spec audit4/import-spec.yaml --into "sqlite:$DB"
assert_eq "2|3|ada-lovelace,alan-turing" \
    "$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM minds), (SELECT count(*) FROM sessions), (SELECT group_concat(slug, ',') FROM (SELECT slug FROM minds ORDER BY slug))")" \
    "the import spec fills the proposed tables"
assert_exit 0 "$DBSAGE" migrate --url "sqlite:$DB" --dir audit4/migrations down --steps 1
assert_eq "" "$(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'dbsage%'")" \
    "down --steps 1 rolls back to an empty schema"

# ---- run inside the pack, twice: its own outputs are not part of the audit ------------
cp -r pack pack2
(cd pack2 && "$DBSAGE" audit --infer . 2>/dev/null && "$DBSAGE" audit --infer --out data-flow-audit.yaml . 2>/dev/null)
sed 's/^  pack: pack$/  pack: ./' audit/data-flow-audit.yaml >"$T/expected2.yaml"
assert_files_equal "$T/expected2.yaml" pack2/data-flow-audit.yaml \
    "a second audit inside the pack ignores data-flow-audit.yaml, import-spec.yaml and migrations/"
assert_eq 2 "$(ls pack2/migrations | wc -l)" "each --infer run adds a migration"

# ---- usage errors ---------------------------------------------------------------------
assert_exit 2 "$DBSAGE" audit
assert_contains "$(cat "$ERR")" "no PACKDIR given" "no PACKDIR: usage error"
assert_exit 2 "$DBSAGE" audit --format xml pack
assert_contains "$(cat "$ERR")" "unknown --format 'xml'" "unknown format: usage error"
assert_exit 2 "$DBSAGE" audit --out audit5/a.yaml no-such-dir
assert_contains "$(cat "$ERR")" "no-such-dir" "a missing PACKDIR is named"
assert_exit 0 "$DBSAGE" audit --help
assert_contains "$(cat "$OUT")$(cat "$ERR")" "dbsage audit" "--help prints the usage"
