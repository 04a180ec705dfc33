#!/usr/bin/env bash
# tests/cli/pg_migrate.sh — owns: `dbsage migrate` on the real PostgreSQL 15
# test cluster: up/status/history/plan/validate/down/redo/baseline, failing
# migrations (file:line, previous version kept), CREATE INDEX CONCURRENTLY in
# a no-transaction migration, the advisory lock (--lock-timeout) and
# --statement-timeout, drift, diff NAME --to, up --dump, tenant schemas
# (--schemas 'client_*'), DATABASE_URL, password masking.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
URL=$(pg_new_db migrate)
MIG=$T/mig
mkdir -p "$MIG"
m() { "$DBSAGE" migrate --url "$URL" --dir "$MIG" "$@"; }
q() { pg_sql "$URL" "$1"; }
has_table() { q "SELECT count(*) FROM pg_tables WHERE schemaname = '${2:-public}' AND tablename = '$1'"; }

cat >"$MIG/001_users.sql" <<'EOF'
-- migrate:up
CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);

-- migrate:down
DROP TABLE users;
EOF
cat >"$MIG/002_posts.sql" <<'EOF'
-- migrate:up
CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    user_id bigint REFERENCES users (id),
    body text
);

-- migrate:down
DROP TABLE posts;
EOF
cat >"$MIG/003_posts_user.sql" <<'EOF'
-- dbsage:no-transaction
-- migrate:up
CREATE INDEX CONCURRENTLY posts_user ON posts (user_id);

-- migrate:down
DROP INDEX CONCURRENTLY posts_user;
EOF

# ---- status, plan, up -----------------------------------------------------------------
assert_exit 1 m status --exit-code
assert_eq 3 "$(grep -c ' pending' "$OUT")" "status: three pending"
assert_exit 0 m plan
assert_file_contains "$OUT" "-- $MIG/003_posts_user.sql" "plan names the files"
assert_file_contains "$OUT" "CREATE INDEX CONCURRENTLY posts_user" "plan prints the SQL"
assert_file_contains "$OUT" "no-transaction" "plan shows the no-transaction framing"
assert_eq 0 "$(has_table users)" "plan ran nothing"
assert_exit 0 m --format json plan
assert_eq "true true false" "$(jq -r '[.plan[].transaction | tostring] | join(" ")' "$OUT")" "plan json: transaction flags"

assert_exit 0 m up --to 002
assert_eq 1 "$(has_table posts)" "up --to 002 created posts"
assert_exit 0 m up
assert_contains "$(cat "$OUT")" "applied 003_posts_user" "CREATE INDEX CONCURRENTLY migration applied"
assert_eq "posts_user|t" "$(q "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'posts_user'")" "the concurrent index is valid"
assert_exit 0 m status --exit-code
assert_eq "timestamp with time zone" "$(q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'dbsage_migrations'::regclass AND attname = 'applied_at'")" "applied_at is timestamptz"
assert_eq "3" "$(q 'SELECT count(*) FROM dbsage_migrations WHERE execution_ms IS NOT NULL AND applied_by LIKE '"'%@%'"'')" "three finished rows with applied_by"
assert_exit 0 m history --format json
assert_eq "001 002 003" "$(jq -r '[.history[].version] | join(" ")' "$OUT")" "history in order"

# ---- validate ---------------------------------------------------------------------------
cp "$MIG/002_posts.sql" "$T/002.orig"
sed -e 's/$/ \t\r/' "$T/002.orig" >"$MIG/002_posts.sql"
assert_exit 0 m validate
sed -e 's/body text/body varchar(100)/' "$T/002.orig" >"$MIG/002_posts.sql"
assert_exit 1 m validate
assert_contains "$(cat "$OUT")" "002_posts.sql" "validate names the edited file"
assert_exit 1 m up
cp "$T/002.orig" "$MIG/002_posts.sql"

# ---- failing migration -------------------------------------------------------------------
cat >"$MIG/004_bad.sql" <<'EOF'
-- migrate:up
CREATE TABLE t4 (a int);
ALTER TABLE t4
    ADD COLUMN b no_such_type;
-- migrate:down
DROP TABLE t4;
EOF
assert_exit 1 m up
assert_contains "$(cat "$ERR")" "$MIG/004_bad.sql:3:" "failure reported at file:line"
assert_contains "$(cat "$ERR")" "no_such_type" "server message shown"
assert_eq 0 "$(has_table t4)" "failed migration rolled back"
assert_eq "003" "$(q 'SELECT max(version) FROM dbsage_migrations')" "tracking unchanged"
rm "$MIG/004_bad.sql"

# ---- statement timeout, lock timeout ---------------------------------------------------------
cat >"$MIG/005_slow.sql" <<'EOF'
-- migrate:up
SELECT pg_sleep(30);
-- migrate:down
SELECT 1;
EOF
assert_exit 1 m --statement-timeout 200 up
assert_contains "$(cat "$ERR")" "statement timeout" "--statement-timeout reaches the server"
assert_eq "003" "$(q 'SELECT max(version) FROM dbsage_migrations')" "timed-out migration not recorded"
rm "$MIG/005_slow.sql"
# another session holds the migration lock: up waits --lock-timeout, then fails
mkfifo "$T/lockin"
psql "$URL" -X -q <"$T/lockin" >"$T/lockout" 2>&1 &
LOCKPID=$!
exec 7>"$T/lockin"
on_exit "exec 7>&-; wait $LOCKPID 2>/dev/null"
echo "SELECT pg_advisory_lock(hashtext('dbsage-migrate')); SELECT 'locked';" >&7
for _ in $(seq 1 100); do grep -q locked "$T/lockout" && break; sleep 0.1; done
grep -q locked "$T/lockout" && pass "another session holds the lock" || fail "psql did not take the lock"
cat >"$MIG/006_tags.sql" <<'EOF'
-- migrate:up
CREATE TABLE tags (id int PRIMARY KEY);
-- migrate:down
DROP TABLE tags;
EOF
assert_exit 2 m --lock-timeout 300 up
assert_contains "$(cat "$ERR")" "lock" "lock timeout reported"
assert_eq 0 "$(has_table tags)" "nothing applied without the lock"
echo "SELECT pg_advisory_unlock(hashtext('dbsage-migrate'));" >&7
exec 7>&-
wait $LOCKPID || true
assert_exit 0 m up
assert_eq 1 "$(has_table tags)" "up after the lock was released"

# ---- down / redo -----------------------------------------------------------------------------
assert_exit 2 m down
assert_exit 0 m down --steps 1
assert_eq 0 "$(has_table tags)" "down --steps 1"
assert_exit 0 m down --steps 1
assert_eq 0 "$(q "SELECT count(*) FROM pg_class WHERE relname = 'posts_user'")" "no-transaction down (DROP INDEX CONCURRENTLY)"
assert_exit 0 m down --to 001
assert_eq 0 "$(has_table posts)" "down --to 001 dropped posts"
assert_eq "001" "$(q 'SELECT string_agg(version, $$,$$) FROM dbsage_migrations')" "tracking at 001"
assert_exit 0 m redo
assert_eq 1 "$(has_table users)" "redo re-created users"
assert_eq "001" "$(q 'SELECT string_agg(version, $$,$$) FROM dbsage_migrations')" "redo kept 001 applied"
assert_exit 0 m up

# ---- no-transaction failure leaves a dirty row; up re-runs it ----------------------------------
q "CREATE TABLE blocker (x int); INSERT INTO blocker VALUES (1), (1)"
cat >"$MIG/007_uniq.sql" <<'EOF'
-- dbsage:no-transaction
-- migrate:up
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS blocker_x ON blocker (x);
-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS blocker_x;
EOF
assert_exit 1 m up
assert_contains "$(cat "$ERR")" "007_uniq.sql:3:" "no-transaction failure at file:line"
assert_exit 0 m status
assert_contains "$(grep '^007' "$OUT")" "dirty" "failed no-transaction migration is dirty"
q "DELETE FROM blocker; DROP INDEX IF EXISTS blocker_x"
assert_exit 0 m up
assert_contains "$(cat "$ERR")" "dirty" "up warns and re-runs the dirty migration"
assert_exit 0 m status --exit-code
assert_exit 0 m down --steps 1
rm "$MIG/007_uniq.sql"
q "DROP TABLE blocker"

# ---- duplicate versions -----------------------------------------------------------------------
cp "$MIG/006_tags.sql" "$MIG/006_again.sql"
assert_exit 2 m up
assert_contains "$(cat "$ERR")" "006_tags.sql" "duplicate names the first file"
assert_contains "$(cat "$ERR")" "006_again.sql" "duplicate names the second file"
rm "$MIG/006_again.sql"

# ---- drift, diff --to ---------------------------------------------------------------------------
assert_exit 0 m drift
q "ALTER TABLE users ADD COLUMN nickname text"
assert_exit 1 m drift
assert_contains "$(cat "$OUT")" "nickname" "drift names the manual column"
q "ALTER TABLE users DROP COLUMN nickname"
assert_exit 0 m drift
cat >"$T/desired.sql" <<'EOF'
CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id), body text);
CREATE INDEX posts_user ON posts (user_id);
CREATE TABLE tags (id int PRIMARY KEY);
CREATE TABLE post_tags (post_id bigint REFERENCES posts (id), tag_id int REFERENCES tags (id), PRIMARY KEY (post_id, tag_id));
EOF
assert_exit 0 m diff tagging --to "$T/desired.sql"
newfile=$(cat "$OUT")
[[ -f $newfile ]] && pass "diff wrote $newfile" || fail "diff wrote no file"
assert_exit 0 m up
assert_eq 1 "$(has_table post_tags)" "the diff migration applied"
assert_exit 0 m drift
assert_exit 0 m diff nothing --to "$T/desired.sql"
assert_eq "" "$(cat "$OUT")" "no differences: no file"

# ---- up --dump ------------------------------------------------------------------------------------
assert_exit 0 m up --dump "$T/dump.sql"
"$DBSAGE" inspect --dialect pg --format json "$T/dump.sql" >"$T/dump.json"
"$DBSAGE" inspect --format json "$URL" | jq 'del(.tables[] | select(.name == "dbsage_migrations"))' >"$T/live.json"
# opaque statements (the dump's SET lines) exist only in files, as in roundtrip.inc
catalog_canon "$T/dump.json" | jq -S 'del(.opaque)' >"$T/a.json"
catalog_canon "$T/live.json" | jq -S 'del(.opaque)' >"$T/b.json"
assert_files_equal "$T/a.json" "$T/b.json" "inspect of up --dump equals the live schema"

# ---- baseline ---------------------------------------------------------------------------------------
URL2=$(pg_new_db baseline)
assert_exit 0 "$DBSAGE" migrate --url "$URL2" --dir "$MIG" baseline 002
assert_eq "001,002" "$(pg_sql "$URL2" 'SELECT string_agg(version, $$,$$ ORDER BY version) FROM dbsage_migrations')" "baseline recorded 001, 002"
assert_eq 0 "$(pg_sql "$URL2" "SELECT count(*) FROM pg_tables WHERE tablename = 'users'")" "baseline ran nothing"

# ---- DATABASE_URL, masking ----------------------------------------------------------------------------
assert_exit 0 env DATABASE_URL="$URL2" "$DBSAGE" migrate --dir "$MIG" status
assert_contains "$(grep '^002' "$OUT")" "applied" "DATABASE_URL is used"
assert_exit 2 "$DBSAGE" migrate --url "postgresql://someone:s3cretpw@127.0.0.1:1/nodb" --dir "$MIG" up
assert_not_contains "$(cat "$OUT" "$ERR")" "s3cretpw" "the password is masked"

# ---- tenants ------------------------------------------------------------------------------------------
URL3=$(pg_new_db tenants)
pg_sql "$URL3" "CREATE SCHEMA client_a; CREATE SCHEMA client_b; CREATE SCHEMA client_c; CREATE SCHEMA other" >/dev/null
TM=$T/tmig
mkdir "$TM"
cp "$MIG/001_users.sql" "$MIG/002_posts.sql" "$MIG/003_posts_user.sql" "$TM/"
t() { "$DBSAGE" migrate --url "$URL3" --dir "$TM" --schemas 'client_*' "$@"; }
assert_exit 0 t up --to 001
assert_exit 0 t status
assert_eq 3 "$(grep -c '^client_' "$OUT")" "per-tenant status table: three tenants"
assert_contains "$(grep '^client_b' "$OUT")" "pending" "client_b has pending migrations"
assert_exit 0 t up
for s in client_a client_b client_c; do
    assert_eq "1|3" "$(pg_sql "$URL3" "SELECT count(*) FILTER (WHERE tablename = 'posts'), (SELECT count(*) FROM $s.dbsage_migrations) FROM pg_tables WHERE schemaname = '$s'")" "$s: posts and its own tracking table"
done
assert_eq 0 "$(pg_sql "$URL3" "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'other')")" "other schemas untouched"
assert_exit 0 t status --exit-code
assert_contains "$(grep '^client_c' "$OUT")" "up-to-date" "tenant status up-to-date"
assert_exit 0 t --format json status
assert_eq "client_a client_b client_c" "$(jq -r '[.tenants[].schema] | join(" ")' "$OUT")" "status json per tenant"
assert_exit 0 t drift
pg_sql "$URL3" "ALTER TABLE client_b.users ADD COLUMN extra int" >/dev/null
assert_exit 1 t drift
assert_contains "$(cat "$OUT")" "[client_b]" "drift names the tenant"
assert_contains "$(cat "$OUT")" "extra" "drift names the tenant's column"
assert_contains "$(cat "$OUT")" "[client_a] no drift" "client_a has no drift"
assert_not_contains "$(grep "^\[client_a\]" "$OUT")" "extra" "client_a lists no drifted object"
assert_exit 0 t down --steps 1
assert_eq 0 "$(pg_sql "$URL3" "SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_user'")" "down per tenant"
assert_exit 2 "$DBSAGE" migrate --url "$URL3" --dir "$TM" --schemas 'nobody_*' status
assert_contains "$(cat "$ERR")" "nobody_*" "no matching schema is an error"
