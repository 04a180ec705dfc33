#!/usr/bin/env bash
# tests/cli/export_sqlite.sh — owns: `dbsage export` acceptance on SQLite (issue 8)
# on examples/cass-vessel: the example is migrated + imported, then secrets are
# planted (the example data holds none: password hashes, GitHub tokens, an email
# column, e-mail addresses in display names).  Asserted: exact subset row counts
# (one user's conversations; one daemon), PRAGMA foreign_key_check empty, the
# schema version (dbsage_migrations) travels, no planted secret or e-mail string
# in the output bytes (SQLite file and SQL dump), determinism per --seed
# (same seed: identical content; another seed: different), --read-only, usage errors.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/cass-vessel
DAEMON_ID=7c1d5e2a-0b6f-4c1e-9a8d-3f2b1c0d9e8f
U=000e7168-6ba5-4c7e-b7c0-c712af3e8a0b
q() { sqlite3 -batch -bail "$1" "$2"; }
# the content of an export, without its dbsage_export row (it holds exported_at)
content() { sqlite3 -batch "$1" .dump | grep -v 'dbsage_export' | sort; }

cd "$T"
SRC=$T/src.db
"$DBSAGE" migrate --url "sqlite:$SRC" --dir "$EX/migrations" up >/dev/null
assert_exit 1 "$DBSAGE" import --spec "$EX/dbsage.yaml" --into "sqlite:$SRC" --reject-file "$T/r.ndjson"
q "$SRC" "ALTER TABLE users ADD COLUMN email TEXT;
  UPDATE users SET password_hash = '\$argon2id\$v=19\$m=65536\$PWHASH' || substr(id, 1, 8),
                   email = 'person.' || substr(id, 1, 8) || '@mail.example',
                   display_name = display_name || ' <' || lower(display_name) || '@corp.example>';
  UPDATE projects SET github_token = 'ghp_TOKEN' || substr(id, 1, 8);"
SECRETS=$(q "$SRC" "SELECT password_hash FROM users UNION ALL SELECT email FROM users
                   UNION ALL SELECT lower(substr(display_name, 1, instr(display_name, ' ') - 1)) || '@corp.example' FROM users
                   UNION ALL SELECT github_token FROM projects")
assert_eq 15 "$(printf '%s\n' "$SECRETS" | grep -c .)" "15 planted secret strings"
cat >"$T/rules.yaml" <<'YAML'
users.display_name: fake-name
users.relationship: keep-first-char
daemons.name: hash
YAML

no_secrets() { # FILE WHAT
    local s found=0
    while read -r s; do
        if grep -aqF -- "$s" "$1"; then
            fail "$2 contains the secret '$s'"
            found=1
        fi
    done <<<"$SECRETS"
    if grep -aqE '@(mail|corp)\.example' "$1"; then
        fail "$2 contains an original e-mail domain"
        found=1
    fi
    [[ $found == 1 ]] || pass "$2: no original secret or e-mail string"
}

# ---- 1. one user's conversations (default: descendants + parents) ----------
A=$T/a.db
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$A" --where "conversations.user_id = '$U'" \
    --anonymize "$T/rules.yaml" --seed s1
assert_contains "$(cat "$OUT")" "exported 171 row(s)" "171 rows reported"
counts() { q "$1" "SELECT 'conversations', count(*) FROM conversations UNION ALL SELECT 'daemons', count(*) FROM daemons
  UNION ALL SELECT 'messages', count(*) FROM messages UNION ALL SELECT 'self_observations', count(*) FROM self_observations
  UNION ALL SELECT 'users', count(*) FROM users UNION ALL SELECT 'projects', count(*) FROM projects
  UNION ALL SELECT 'journals', count(*) FROM journals UNION ALL SELECT 'roadmap_items', count(*) FROM roadmap_items"; }
assert_eq "conversations|10
daemons|1
messages|158
self_observations|1
users|1
projects|0
journals|0
roadmap_items|0" "$(counts "$A")" "one user's subset: exact row counts"
# the oracle: the same subset by hand on the source
assert_eq "158" "$(q "$SRC" "SELECT count(*) FROM messages WHERE conversation_id IN
  (SELECT id FROM conversations WHERE user_id = '$U')")" "source: the user's conversations hold 158 messages"
assert_eq "" "$(q "$A" 'PRAGMA foreign_key_check')" "user subset: PRAGMA foreign_key_check is empty"
assert_eq "$(q "$SRC" 'SELECT version, checksum FROM dbsage_migrations ORDER BY version')" \
    "$(q "$A" 'SELECT version, checksum FROM dbsage_migrations ORDER BY version')" "dbsage_migrations travels whole"
assert_eq "$U" "$(q "$A" 'SELECT id FROM users')" "the user row is the parent of the conversations"
assert_eq "|1" "$(q "$A" "SELECT coalesce(password_hash, ''), email LIKE '%@example.com' FROM users")" \
    "default rules: password hash removed, email faked"
assert_eq "f***" "$(q "$A" 'SELECT relationship FROM users')" "keep-first-char rule"
assert_eq "descendants|$(printf s1 | sha256sum | cut -c1-16)|0" "$(q "$A" 'SELECT follow, seed_fingerprint, read_only FROM dbsage_export')" \
    "dbsage_export row (the seed itself is not recorded)"
no_secrets "$A" "user subset (SQLite file)"

# ---- 2. one daemon, full closure, SQLite and SQL dump -----------------------
D=$T/d.db
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$D" --where "daemons.id = $DAEMON_ID" --follow both \
    --anonymize "$T/rules.yaml" --seed s1
for t in projects users conversations messages roadmap_links; do
    assert_eq "$(q "$SRC" "SELECT count(*) FROM $t")" "$(q "$D" "SELECT count(*) FROM $t")" "daemon export: all $t"
done
assert_eq "" "$(q "$D" 'PRAGMA foreign_key_check')" "daemon export: PRAGMA foreign_key_check is empty"
assert_eq "3|0" "$(q "$D" "SELECT count(*), count(github_token) FROM projects")" "github tokens removed"
no_secrets "$D" "daemon export (SQLite file)"
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "$T/d.sql" --where "daemons.id = $DAEMON_ID" --follow both \
    --anonymize "$T/rules.yaml" --seed s1
no_secrets "$T/d.sql" "daemon export (SQL dump)"
assert_exit 0 sqlite3 -bail "$T/d_sql.db" ".read $T/d.sql"
rows_of() { content "$1" | grep '^INSERT'; }
assert_eq "$(rows_of "$D")" "$(rows_of "$T/d_sql.db")" "the SQL dump rebuilds the same rows"
assert_eq 969 "$(rows_of "$T/d_sql.db" | grep -v sqlite_sequence | grep -vc dbsage_migrations)" "the SQL dump holds all 969 rows of the daemon"

# ---- 3. determinism ------------------------------------------------------------
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$T/a2.db" --where "conversations.user_id = '$U'" \
    --anonymize "$T/rules.yaml" --seed s1
assert_eq "$(content "$A")" "$(content "$T/a2.db")" "same seed: identical content"
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$T/a3.db" --where "conversations.user_id = '$U'" \
    --anonymize "$T/rules.yaml" --seed s2
assert_ne "$(q "$A" 'SELECT email, display_name FROM users')" "$(q "$T/a3.db" 'SELECT email, display_name FROM users')" \
    "another seed: other fakes"
assert_eq "$(q "$A" 'SELECT count(*) FROM messages')" "$(q "$T/a3.db" 'SELECT count(*) FROM messages')" \
    "another seed: same subset"
grep -v dbsage_export "$T/d.sql" >"$T/d1.sql"
"$DBSAGE" export --from "$SRC" --to "$T/d2.sql" --where "daemons.id = $DAEMON_ID" --follow both \
    --anonymize "$T/rules.yaml" --seed s1 >/dev/null
grep -v dbsage_export "$T/d2.sql" >"$T/d2b.sql"
assert_files_equal "$T/d1.sql" "$T/d2b.sql" "same seed: byte-identical SQL dumps (but for dbsage_export)"

# ---- 4. --follow parents: messages of one conversation pull their parents only ----
CONV=$(q "$SRC" "SELECT id FROM conversations WHERE user_id = '$U' ORDER BY id LIMIT 1")
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$T/p.db" --where "messages.conversation_id = $CONV" \
    --follow parents
assert_eq "$(q "$SRC" "SELECT count(*) FROM messages WHERE conversation_id = '$CONV'")|1|1|0" \
    "$(q "$T/p.db" "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM conversations),
       (SELECT count(*) FROM daemons), (SELECT count(*) FROM self_observations)")" "--follow parents: no children"
assert_eq "" "$(q "$T/p.db" 'PRAGMA foreign_key_check')" "--follow parents: foreign_key_check empty"

# ---- 5. --read-only ---------------------------------------------------------------
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "$T/ro.db" --where "users.id = $U" --read-only --format json
assert_contains "$(cat "$OUT")" '"read_only":true' "json output"
assert_eq "444|1" "$(stat -c %a "$T/ro.db")|$(q "$T/ro.db" 'SELECT read_only FROM dbsage_export')" \
    "--read-only: file mode 0444 and recorded"

# ---- 6. cycles and composite keys (a synthetic schema) -----------------------------
C=$T/cyc.db
q "$C" "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL, lead_id INTEGER REFERENCES person (id));
  CREATE TABLE person (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES team (id),
                       mentor_id INTEGER REFERENCES person (id), api_key TEXT);
  CREATE TABLE membership (team_id INTEGER NOT NULL REFERENCES team (id), person_id INTEGER NOT NULL REFERENCES person (id),
                           role TEXT, PRIMARY KEY (team_id, person_id));
  INSERT INTO team VALUES (1, 'one', NULL), (2, 'two', NULL), (3, 'three', NULL);
  INSERT INTO person VALUES (10, 1, 12, 'k10'), (11, 1, 10, 'k11'), (12, 2, 11, 'k12'), (13, 3, NULL, 'k13');
  UPDATE team SET lead_id = 11 WHERE id = 1; UPDATE team SET lead_id = 12 WHERE id = 2; UPDATE team SET lead_id = 13 WHERE id = 3;
  INSERT INTO membership VALUES (1, 10, 'a'), (1, 11, 'b'), (2, 12, 'c'), (3, 13, 'd'), (2, 10, 'e');"
# mentor cycle 10 -> 12 -> 11 -> 10; team 1's descendants: persons 10, 11 (team_id), their
# mentees (11 of 10, 12 of 11), team 2 (led by 12), memberships of all of them; team 3 and
# person 13 are not connected
assert_exit 0 "$DBSAGE" export --from "$C" --to "$T/cyc_out.db" --where "team.id = 1"
assert_eq "1,2|10,11,12|1:10,1:11,2:10,2:12" "$(q "$T/cyc_out.db" "SELECT (SELECT group_concat(id) FROM (SELECT id FROM team ORDER BY id)),
   (SELECT group_concat(id) FROM (SELECT id FROM person ORDER BY id)),
   (SELECT group_concat(team_id || ':' || person_id) FROM (SELECT * FROM membership ORDER BY 1, 2))")" \
    "cycle team->person->person->team: closed, each row once; composite-key children of the root"
assert_eq "" "$(q "$T/cyc_out.db" 'PRAGMA foreign_key_check')" "cycle export: foreign_key_check empty"
assert_eq "0" "$(q "$T/cyc_out.db" 'SELECT count(api_key) FROM person')" "api_key removed by default"
assert_exit 0 "$DBSAGE" export --from "$C" --to "$T/cyc_par.db" --where "membership.role = 'e'" --follow parents
assert_eq "1,2|10,11,12|2:10" "$(q "$T/cyc_par.db" "SELECT (SELECT group_concat(id) FROM (SELECT id FROM team ORDER BY id)),
   (SELECT group_concat(id) FROM (SELECT id FROM person ORDER BY id)),
   (SELECT group_concat(team_id || ':' || person_id) FROM membership)")" \
    "--follow parents from one membership: its parents through the cycle, no other membership"
assert_exit 0 "$DBSAGE" export --from "$C" --to "$T/cyc_3.db" --where "team.id = 3" --follow both
assert_eq "3|13|3:13" "$(q "$T/cyc_3.db" "SELECT (SELECT group_concat(id) FROM team), (SELECT group_concat(id) FROM person),
   (SELECT group_concat(team_id || ':' || person_id) FROM membership)")" "--follow both: only the connected component"

# a table without a primary key: created empty, with a warning
q "$C" "CREATE TABLE loose (person_id INTEGER REFERENCES person (id), note TEXT); INSERT INTO loose VALUES (10, 'x');"
assert_exit 0 "$DBSAGE" export --from "$C" --to "$T/cyc_loose.db" --where "team.id = 1"
assert_contains "$(cat "$ERR")" "loose has no primary key" "no-key warning"
assert_eq "0" "$(q "$T/cyc_loose.db" 'SELECT count(*) FROM loose')" "no-key table exported empty"

# ---- 7. usage errors -----------------------------------------------------------------
assert_exit 2 "$DBSAGE" export --from "$SRC" --to "$T/x.db"
assert_contains "$(cat "$ERR")" "--where" "no --where: usage error"
assert_exit 2 "$DBSAGE" export --from "$SRC" --to "$T/x.db" --where "users = 1"
assert_exit 2 "$DBSAGE" export --from "$SRC" --to "$T/x.db" --where "users.id = 1" --follow sideways
assert_exit 2 "$DBSAGE" export --from "$SRC" --to "$T/x.db" --where "nosuch.id = 1"
assert_contains "$(cat "$ERR")" "no such table" "unknown table named"
