#!/usr/bin/env bash
# tests/cli/pg_live_inspect.sh — owns: checks of the live PostgreSQL reader
# (src/source/pg_live*.c) through `dbsage inspect --format json URL`: every
# object kind, --schema filtering, connection errors with masked passwords,
# and a 5,000-table database.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

url=$(pg_new_db live)

cat >"$T/schema.sql" <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application schema';
CREATE SCHEMA other;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
CREATE DOMAIN app.positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE app.point2 AS (x double precision, y double precision);
CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email character varying(200) NOT NULL UNIQUE,
    name text COLLATE "C",
    mood app.mood DEFAULT 'ok',
    score numeric(10,2) DEFAULT 0 CHECK (score >= 0),
    full_name text GENERATED ALWAYS AS (upper(name)) STORED
);
COMMENT ON TABLE app.users IS 'people';
COMMENT ON COLUMN app.users.email IS 'login';
CREATE TABLE app.orders (
    id serial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE ON UPDATE SET NULL,
    total numeric(12,2),
    placed tstzrange,
    dropped_col integer,
    EXCLUDE USING gist (placed WITH &&)
);
ALTER TABLE app.orders ADD CONSTRAINT orders_total_check CHECK (total > 0) NOT VALID;
ALTER TABLE app.orders DROP COLUMN dropped_col;
ALTER TABLE app.orders ADD COLUMN note text;
CREATE UNLOGGED TABLE app.scratch (k text PRIMARY KEY, v text);
CREATE INDEX orders_user_total_idx ON app.orders (user_id DESC, total NULLS FIRST) INCLUDE (note) WHERE total IS NOT NULL;
CREATE INDEX users_lower_email_idx ON app.users (lower(email) text_pattern_ops);
COMMENT ON INDEX app.users_lower_email_idx IS 'case-insensitive';
CREATE SEQUENCE app.ticket_seq AS integer START 100 INCREMENT 5 MAXVALUE 100000 CACHE 2 CYCLE;
CREATE VIEW app.big_orders WITH (security_barrier = true) AS
    SELECT id, user_id, total FROM app.orders WHERE total > 100;
CREATE MATERIALIZED VIEW app.order_totals AS
    SELECT user_id, sum(total) AS total FROM app.orders GROUP BY user_id;
CREATE UNIQUE INDEX order_totals_user_idx ON app.order_totals (user_id);
CREATE FUNCTION app.add(a integer, b integer DEFAULT 2) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT a + b $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE PROCEDURE app.cleanup(INOUT n integer) LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN n := 0; END $$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE OF total, note ON app.orders
    FOR EACH ROW WHEN (new.total IS NOT NULL) EXECUTE FUNCTION app.touch('x', 'y z');
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON app.users FOR SELECT TO app_writer, app_reader USING (score > 0);
CREATE POLICY users_all ON app.users AS RESTRICTIVE USING (true) WITH CHECK (email <> '');
GRANT USAGE ON SCHEMA app TO app_reader;
GRANT SELECT ON app.users TO app_reader;
GRANT INSERT, UPDATE ON app.orders TO app_writer WITH GRANT OPTION;
GRANT UPDATE (note) ON app.orders TO app_reader;
GRANT EXECUTE ON FUNCTION app.add(integer, integer) TO app_reader;
GRANT USAGE ON SEQUENCE app.ticket_seq TO app_writer;
CREATE TABLE other.thing (id integer PRIMARY KEY);
CREATE TABLE public.plain (id integer);
SQL
pg_apply "$url" "$T/schema.sql"

assert_exit 0 "$DBSAGE" inspect --format json "$url"
cp "$OUT" "$T/live.json"
j() { jq -r "$1" "$T/live.json"; }

assert_eq "app other" "$(j '[.schemas[].name] | join(" ")')" "schemas: public and system schemas left out"
assert_eq "application schema" "$(j '.schemas[] | select(.name == "app") | .comment')" "schema comment"
assert_eq "pg_trgm:public" "$(j '[.extensions[] | "\(.name):\(.schema)"] | join(" ")')" "extensions (plpgsql left out)"
assert_eq "0" "$(j '[.functions[] | select(.name | startswith("similarity"))] | length')" "extension functions left out"

users='.tables[] | select(.schema == "app" and .name == "users")'
assert_eq "id email name mood score full_name" "$(j "[$users | .columns[].name] | join(\" \")")" "columns in order"
assert_eq "bigint|character varying(200)|text|app.mood|numeric(10,2)|text" \
    "$(j "[$users | .columns[].type] | join(\"|\")")" "column types in format_type spelling"
assert_eq "a" "$(j "$users | .columns[] | select(.name == \"id\") | .identity")" "identity ALWAYS"
assert_eq "true" "$(j "$users | .columns[] | select(.name == \"email\") | .not_null")" "NOT NULL flag"
assert_eq "login" "$(j "$users | .columns[] | select(.name == \"email\") | .comment")" "column comment"
assert_eq "C" "$(j "$users | .columns[] | select(.name == \"name\") | .collation")" "non-default collation"
assert_eq "null" "$(j "$users | .columns[] | select(.name == \"email\") | .collation")" "default collation is null"
assert_eq "'ok'::app.mood" "$(j "$users | .columns[] | select(.name == \"mood\") | .default_expr")" "default qualified outside public"
assert_eq "s|null" "$(j "$users | .columns[] | select(.name == \"full_name\") | \"\(.generated)|\(.default_expr)\"")" "generated column has no default"
assert_contains "$(j "$users | .columns[] | select(.name == \"full_name\") | .generated_expr")" "upper(name)" "generated expression"
assert_eq "true true people" "$(j "$users | \"\(.rls_enabled) \(.rls_forced) \(.comment)\"")" "RLS flags and table comment"
assert_eq "users_email_key:u:email users_pkey:p:id users_score_check:c:" \
    "$(j "[$users | .constraints[] | \"\(.name):\(.kind):\(.columns | join(\",\"))\"] | sort | join(\" \")")" "constraints"
assert_eq "users_all:false:ALL:public users_read:true:SELECT:app_reader,app_writer" \
    "$(j "[$users | .policies[] | \"\(.name):\(.permissive):\(.command):\(.roles | join(\",\"))\"] | sort | join(\" \")")" \
    "policies: permissive, command, sorted roles"
assert_contains "$(j "$users | .policies[] | select(.name == \"users_all\") | .check_expr")" "<> ''::text" "policy WITH CHECK"
assert_eq "lower(email::text)|text_pattern_ops|case-insensitive" \
    "$(j "$users | .indexes[] | select(.name == \"users_lower_email_idx\") | \"\(.elems[0].expr)|\(.elems[0].opclass)|\(.comment)\"")" \
    "expression index with opclass and comment"
assert_eq "1" "$(j "[$users | .indexes[]] | length")" "constraint indexes are not listed as indexes"

orders='.tables[] | select(.schema == "app" and .name == "orders")'
assert_eq "id user_id total placed note" "$(j "[$orders | .columns[].name] | join(\" \")")" "dropped column skipped"
assert_eq "1 2 3 4 5" "$(j "[$orders | .columns[].ordinal] | map(tostring) | join(\" \")")" "ordinals renumbered"
assert_eq "nextval('app.orders_id_seq'::regclass)" "$(j "$orders | .columns[0].default_expr")" "serial default"
fk="$orders | .constraints[] | select(.kind == \"f\")"
assert_eq "orders_user_id_fkey app.users(id) c n s" \
    "$(j "$fk | \"\(.name) \(.ref_schema).\(.ref_table)(\(.ref_columns | join(\",\"))) \(.on_delete) \(.on_update) \(.match)\"")" \
    "FK target and actions"
assert_eq "true" "$(j "$orders | .constraints[] | select(.name == \"orders_total_check\") | .not_valid")" "NOT VALID check"
assert_eq "gist|placed WITH &&" \
    "$(j "$orders | .constraints[] | select(.kind == \"x\") | \"\(.using_method)|\(.exclude_elems | join(\",\"))\"")" "EXCLUDE constraint"
ix="$orders | .indexes[] | select(.name == \"orders_user_total_idx\")"
assert_eq "user_id:true:null total:false:f" \
    "$(j "[$ix | .elems[] | \"\(.column):\(.desc):\(.nulls)\"] | join(\" \")")" "index DESC / NULLS FIRST (default nulls not recorded)"
assert_eq "note" "$(j "$ix | .include_columns | join(\",\")")" "index INCLUDE columns"
assert_eq "total IS NOT NULL" "$(j "$ix | .where_expr")" "partial index predicate"
tg="$orders | .triggers[] | select(.name == \"orders_touch\")"
assert_eq "BEFORE INSERT,UPDATE total,note true app.touch x|y z" \
    "$(j "$tg | \"\(.timing) \(.events | join(\",\")) \(.update_columns | join(\",\")) \(.for_each_row) \(.function_schema).\(.function_name) \(.function_args | join(\"|\"))\"")" \
    "trigger timing, events, columns, function and arguments"
assert_eq "new.total IS NOT NULL" "$(j "$tg | .when_expr")" "trigger WHEN condition"
assert_eq "true" "$(j '.tables[] | select(.name == "scratch") | .unlogged')" "unlogged table"

assert_eq "sad,meh,ok,happy" "$(j '.enums[] | select(.name == "mood") | .labels | join(",")')" "enum labels in sort order"
assert_eq "integer|true|1|positive_check" \
    "$(j '.domains[] | select(.name == "positive") | "\(.base_type)|\(.not_null)|\(.default_expr)|\(.checks[0].name)"')" "domain"
assert_eq "x:double precision,y:double precision" \
    "$(j '.composites[] | select(.name == "point2") | [.attrs[] | "\(.name):\(.type)"] | join(",")')" "composite type"
assert_eq "integer 100 5 1 100000 2 true" \
    "$(j '.sequences[] | select(.name == "ticket_seq") | "\(.type) \(.start) \(.increment) \(.min_value) \(.max_value) \(.cache) \(.cycle)"')" "sequence options"
assert_eq "orders.id" "$(j '.sequences[] | select(.name == "orders_id_seq") | "\(.owned_by_table).\(.owned_by_column)"')" "serial sequence OWNED BY"
assert_eq "0" "$(j '[.sequences[] | select(.name | startswith("users_id"))] | length')" "identity sequence not listed"

assert_eq "false true app.orders" \
    "$(j '.views[] | select(.name == "big_orders") | "\(.materialized) \(.security_barrier) \(.depends_on | join(","))"')" "view options and dependencies"
assert_eq "true order_totals_user_idx" \
    "$(j '.views[] | select(.name == "order_totals") | "\(.materialized) \(.indexes[0].name)"')" "materialized view with index"
assert_not_contains "$(j '.views[] | select(.name == "big_orders") | .definition')" ";" "view definition without trailing semicolon"

add='.functions[] | select(.name == "add")'
assert_eq "add(integer, integer)|integer|sql|i|true|s" \
    "$(j "$add | \"\(.signature)|\(.returns)|\(.language)|\(.volatility)|\(.strict)|\(.parallel)\"")" "function signature and attributes"
assert_eq "b:2" "$(j "$add | .args[] | select(.default_expr != null) | \"\(.name):\(.default_expr)\"")" "argument default"
assert_eq "SELECT a + b" "$(j "$add | .body" | sed 's/^ *//; s/ *$//')" "function body is prosrc"
assert_eq "16" "$(j "$add | .body_hash | length")" "body hash"
assert_eq "true|null|b|true" \
    "$(j '.functions[] | select(.name == "cleanup") | "\(.is_procedure)|\(.returns)|\(.args[0].mode)|\(.security_definer)"')" "procedure"

grants=$(j '[.grants[] | "\(.object_kind):\(.schema).\(.object):\(.column):\(.grantee):\(.privilege):\(.with_grant_option)"] | sort | join("\n")')
assert_eq "function:app.add(integer, integer):null:app_reader:EXECUTE:false
schema:null.app:null:app_reader:USAGE:false
sequence:app.ticket_seq:null:app_writer:USAGE:false
table:app.orders:note:app_reader:UPDATE:false
table:app.orders:null:app_writer:INSERT:true
table:app.orders:null:app_writer:UPDATE:true
table:app.users:null:app_reader:SELECT:false" "$grants" "grants (owner and PUBLIC EXECUTE defaults left out)"

# --schema filter is applied in SQL
assert_exit 0 "$DBSAGE" inspect --format json --schema other "$url"
assert_eq "other.thing" "$(jq -r '[.tables[] | "\(.schema).\(.name)"] | join(" ")' "$OUT")" "--schema keeps only that schema"
assert_eq "0" "$(jq -r '[.functions[], .enums[], .views[]] | length' "$OUT")" "--schema drops other kinds too"

# keyword connection strings work too
kw="dbname=$(pg_sql "$url" 'select current_database()') host=$(pg_sql "$url" "select current_setting('unix_socket_directories')") port=$(pg_sql "$url" "select current_setting('port')") user=postgres"
assert_exit 0 "$DBSAGE" inspect --format json "$kw"
assert_eq "$(j '.tables | length')" "$(jq -r '.tables | length' "$OUT")" "keyword conninfo reads the same database"

# connection failures: exit 2, password masked
assert_exit 2 "$DBSAGE" inspect --format json "postgres://u:s3cret@127.0.0.1:1/x"
assert_not_contains "$(cat "$ERR")" "s3cret" "password is masked in the error"
assert_contains "$(cat "$ERR")" "error:" "connection error reported"
assert_contains "$(cat "$ERR")" "127.0.0.1" "error names the (masked) URL"

# 5,000 tables
big=$(pg_new_db live_big)
python3 - >"$T/big.sql" <<'PY'
for i in range(5000):
    fk = f" REFERENCES t{i-1}(id)" if i else ""
    print(f"CREATE TABLE t{i} (id serial PRIMARY KEY, parent_id integer{fk}, a text, b numeric(10,2),"
          f" c timestamptz, d boolean DEFAULT false, e integer CHECK (e >= 0), f text, g date, h jsonb);")
    if i % 2 == 0:
        print(f"CREATE INDEX t{i}_a_idx ON t{i} (a);")
PY
pg_apply "$big" "$T/big.sql"
assert_exit 0 "$DBSAGE" inspect --format json "$big"
assert_eq "5000 50000 2500 5000" \
    "$(jq -r '"\(.tables | length) \([.tables[].columns[]] | length) \([.tables[].indexes[]] | length) \(.sequences | length)"' "$OUT")" \
    "5,000 tables with columns, indexes and sequences"
