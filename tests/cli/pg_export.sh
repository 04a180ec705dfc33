#!/usr/bin/env bash
# tests/cli/pg_export.sh — owns: `dbsage export` acceptance on PostgreSQL 15
# (issue 8): examples/cass-vessel migrated (migrations-pg) + imported into PG,
# secrets planted (the example data holds none), then one user's conversations
# exported PG -> PG (--read-only) and PG -> SQLite.  Asserted: exact row counts,
# no dangling reference (one anti-join per foreign key of the target, generated
# from pg_constraint), dbsage_migrations travels, no planted secret or e-mail
# string in pg_dump of the target, default_transaction_read_only set,
# PRAGMA foreign_key_check empty on the SQLite target.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/cass-vessel
U=000e7168-6ba5-4c7e-b7c0-c712af3e8a0b
cd "$T"
SRC=$(pg_new_db exp_src)
"$DBSAGE" migrate --url "$SRC" --dir "$EX/migrations-pg" up >/dev/null
assert_exit 1 "$DBSAGE" import --spec "$EX/dbsage.yaml" --into "$SRC" --reject-file "$T/r.ndjson"
pg_sql "$SRC" "ALTER TABLE users ADD COLUMN email text;
  UPDATE users SET password_hash = 'pbkdf2_sha256\$PWHASH' || substr(id::text, 1, 8),
                   email = 'person.' || substr(id::text, 1, 8) || '@mail.example';
  UPDATE projects SET github_token = 'ghp_TOKEN' || substr(id::text, 1, 8);" >/dev/null
SECRETS=$(pg_sql "$SRC" "SELECT password_hash FROM users UNION ALL SELECT email FROM users
                         UNION ALL SELECT github_token FROM projects")
assert_eq 11 "$(printf '%s\n' "$SECRETS" | grep -c .)" "11 planted secret strings"

# ---- PG -> PG, --read-only ---------------------------------------------------
DST=$(pg_new_db exp_dst)
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "$DST" --where "conversations.user_id = $U" --seed s1 --read-only
assert_contains "$(cat "$OUT")" "exported 171 row(s)" "171 rows reported"
assert_eq "10|1|158|1|1|0" "$(pg_sql "$DST" "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM daemons),
   (SELECT count(*) FROM messages), (SELECT count(*) FROM self_observations), (SELECT count(*) FROM users),
   (SELECT count(*) FROM projects)")" "PG target: exact row counts of the user's subset"
# one anti-join per FK: rows whose non-NULL reference finds no parent
FKQ=$(pg_sql "$DST" "SELECT string_agg(format('SELECT %L AS fk, count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
        con.conname, con.conrelid::regclass, (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ')
          FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k),
        con.confrelid::regclass, (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
          FROM unnest(con.conkey, con.confkey) AS u(ck, pk)
          JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = u.ck
          JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = u.pk)), ' UNION ALL ')
    FROM pg_constraint con WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace")
assert_ne "" "$FKQ" "the target has foreign keys to check"
assert_eq "0" "$(pg_sql "$DST" "SELECT coalesce(sum(count), 0) FROM ($FKQ) q")" "PG target: no dangling reference"
assert_eq "$(pg_sql "$SRC" 'SELECT version, checksum FROM dbsage_migrations ORDER BY version')" \
    "$(pg_sql "$DST" 'SELECT version, checksum FROM dbsage_migrations ORDER BY version')" "dbsage_migrations travels"
assert_eq "on" "$(pg_sql "$DST" 'SHOW default_transaction_read_only')" "--read-only: new sessions are read-only"
pg_dump "$DST" >"$T/dst.dump"
found=0
while read -r s; do
    grep -aqF -- "$s" "$T/dst.dump" && { fail "pg_dump of the target contains '$s'"; found=1; }
done <<<"$SECRETS"
grep -aq '@mail\.example' "$T/dst.dump" && { fail "an original e-mail domain survived"; found=1; }
[[ $found == 1 ]] || pass "PG target: no original secret or e-mail string"
assert_eq "|1" "$(pg_sql "$DST" "SELECT coalesce(password_hash, ''), (email LIKE '%@example.com')::int FROM users")" \
    "default rules: password hash removed, email faked"

# ---- PG -> SQLite --------------------------------------------------------------------
assert_exit 0 "$DBSAGE" export --from "$SRC" --to "sqlite:$T/s.db" --where "conversations.user_id = $U" --seed s1
assert_eq "10|158|1" "$(sqlite3 "$T/s.db" "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages),
   (SELECT count(*) FROM users)")" "SQLite target from PG: exact row counts"
assert_eq "" "$(sqlite3 "$T/s.db" 'PRAGMA foreign_key_check')" "SQLite target from PG: foreign_key_check empty"
assert_eq "$(pg_sql "$DST" 'SELECT email FROM users')" "$(sqlite3 "$T/s.db" 'SELECT email FROM users')" \
    "same seed, same fake across targets"
