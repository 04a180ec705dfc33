#!/usr/bin/env bash
# tests/cli/pg_normalize_live.sh — owns: the live check of src/catalog/normalize*
# against PostgreSQL 15.  Every expression below is applied in the user's
# spelling (CHECK, DEFAULT, view, policy, trigger WHEN, index predicate and
# expression, column type); what the server prints back (pg_get_expr,
# pg_get_constraintdef, pg_get_viewdef, pg_policies, pg_get_triggerdef,
# format_type) must normalise to the same text as the written form.  The
# comparison is done by `test_normalize --pairs` (tests/unit/test_normalize.c).
# Cases prefixed "x" are documented limitations: they must stay different,
# so that a fix (or a change of server behaviour) is noticed.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

checker=${DBSAGE_BUILD_DIR:-}/test_normalize
[[ -x $checker ]] || skip "no $checker (build the unit tests)"

url=$(pg_new_db normalize)
pg_sql "$url" "
create schema auth;
create function auth.uid() returns uuid language sql as 'select null::uuid';
create sequence s1;
create table t (id int primary key, name text, email text, status text, kind text,
  price numeric(10,2), age int, amount numeric, active boolean, nm name, vc varchar(20),
  tenant uuid, owner uuid, title text, total numeric);
create table orders (id int primary key, user_id int, total numeric);
create table d (id int);
create table ty (id int);
create function tf() returns trigger language plpgsql as 'begin return new; end';
alter table t enable row level security;" >/dev/null

PAIRS=$T/pairs.tsv
: >"$PAIRS"
esc() { # one line: backslashes doubled, newlines as \n
    local s=${1//\\/\\\\}
    printf '%s' "${s//$'\n'/\\n}"
}
add_pair() { # KIND WRITTEN SERVER
    printf '%s\t%s\t%s\n' "$1" "$(esc "$2")" "$(esc "$3")" >>"$PAIRS"
}
n=0
next() { n=$((n + 1)); }

# ---- CHECK constraints: pg_get_expr(conbin) and pg_get_constraintdef -----------
check() { # [x] EXPR
    local kind=expr
    if [[ $1 == x ]]; then kind=xexpr; shift; fi
    next
    pg_sql "$url" "alter table t add constraint ck_$n check ($1)" >/dev/null
    add_pair "$kind" "$1" "$(pg_sql "$url" "select pg_get_expr(conbin, conrelid) from pg_constraint where conname = 'ck_$n'")"
    add_pair "$kind" "$1" "$(pg_sql "$url" "select regexp_replace(pg_get_constraintdef(oid), '^CHECK \((.*)\)\$', '\1')
                                           from pg_constraint where conname = 'ck_$n'")"
}
check "price > 0"
check "price > 0.5"
check "kind IN ('a','b')"
check "kind not in ('c', 'd')"
check "age in (1,2,3)"
check "age between 0 and 150"
check "age not between 0 and 150"
check "email is not null"
check "length(name) > 0"
check "lower(email) = email"
check "email like '%@%'"
check "email NOT LIKE 'x%'"
check "email ilike '%@%'"
check "email ~ '^a'"
check "name similar to 'a%'"
check "name || email <> ''"
check "case when age > 10 then true else false end"
check "coalesce(age,0) >= 0"
check "(age + 1) * 2 > 0"
check "age + 1 * 2 > 0"
check "amount::text <> ''"
check "age::numeric > 1.0"
check "name::varchar(10) <> ''"
check "not active"
check "age is null or age > 0 and age < 10"
check "status = 'x' or status = 'y'"
check "age <> -5"
check "age > - 5"
check "nm = 'x'"
check "t.age > 0"
check "nullif(age, 0) is not null"
check "greatest(age, 1) < 100"
check "status is distinct from 'z'"
check "age % 2 = 0"
check "abs(age) < 1000"
check "char_length(title) <= 200"
check "email = lower(email) and email like '%@%.%'"
check "total >= 0 and total <= 1000000"
check "vc <> ''"                        # server adds (vc)::text: casts of columns are dropped
check "vc in ('a', 'b')"                # ARRAY['a'::character varying]::text[] proves vc is varchar
check "vc not in ('a', 'b')"
check "kind in ('a')"                   # one element: stored as kind = 'a'
check "kind not in ('a')"
check "vc = 'a'"                        # (vc)::text = 'a'::text: casts of columns are dropped

# ---- DEFAULTs: pg_get_expr(adbin) -------------------------------------------------
default() { # [x] TYPE EXPR
    local kind=expr
    if [[ $1 == x ]]; then kind=xexpr; shift; fi
    next
    pg_sql "$url" "alter table d add column c_$n $1 default $2" >/dev/null
    add_pair "$kind" "$2" "$(pg_sql "$url" "select pg_get_expr(adbin, adrelid) from pg_attrdef a join pg_attribute t
                                         on t.attrelid = a.adrelid and t.attnum = a.adnum
                                         where a.adrelid = 'd'::regclass and t.attname = 'c_$n'")"
}
default text "'active'"
default numeric "0"
default "numeric(10,2)" "0"
default interval "'1 day'"
default interval "interval '1 day'"
default jsonb "'{}'"
default jsonb "'{}'::jsonb"
default json "'[]'"
default "varchar(10)" "'x'"
default "char(3)" "'ab'"
default timestamptz "now()"
default timestamptz "CURRENT_TIMESTAMP"
default timestamptz "current_timestamp"
default date "current_date"
default timestamp "localtimestamp"
default bigint "nextval('s1')"
default bigint "nextval('s1'::regclass)"
default uuid "gen_random_uuid()"
default boolean "TRUE"
default boolean "false"
default int "-1"
default int "(-1)"
default int "(- 1)"
default numeric "-1.5"
default bigint "10000000000"
default float8 "1.5"
# (DEFAULT NULL is not stored at all: no pg_attrdef row)
default "text[]" "'{}'"
default "text[]" "ARRAY['a', 'b']"
default "int[]" "'{1,2}'"
default text "current_user"
default text "'it''s'"
default date "'2020-01-01'"
default timestamptz "now() + interval '1 day'"
default x timestamptz "now() + interval '1 hour'"   # the server prints '01:00:00'::interval
default text "'a' || 'b'"
default int "1 + 2"

# ---- views: pg_get_viewdef ---------------------------------------------------
view() { # [x] QUERY
    local kind=query
    if [[ $1 == x ]]; then kind=xquery; shift; fi
    next
    pg_sql "$url" "create view v_$n as $1" >/dev/null
    add_pair "$kind" "$1" "$(pg_sql "$url" "select pg_get_viewdef('v_$n'::regclass)")"
}
view "SELECT id, name FROM t WHERE active"
view "select u.id, u.name from t u where u.active"
view "select id, name from t u where active"
view "select count(*) from t"
view "select count(*) as n, max(age) from t"
view "select id from public.t;"
view "select t.name, count(*) as n, sum(o.total) total from t join orders o on o.user_id = t.id group by t.name order by n desc"
view "select distinct name from t where id in (select user_id from orders) order by name"
view "select id, lower(email) as e, id + 1 as next, 'x' as lit, case when active then 'y' else 'n' end as flag, coalesce(name,'') from t"
view "select id, name from t where name like 'a%' and id between 1 and 10 and email is not null limit 5"
view "select t.id, o.total from t left join orders o on (t.id = o.user_id) where o.total > 0"
view "select id from t union select user_id from orders"
view "select id from t union all select user_id from orders except select 1"
view "select now() as ts, current_timestamp as c, id::text as s from t"
view "select name, (select count(*) from orders where orders.user_id = t.id) as cnt from t"
view "with x as (select id from t) select id from x"
view "select name, count(*) from t group by 1 order by 2 desc, 1"
view "select name n from t order by n"
view "select x.id from (select id from t) x"
view "select id, 1 as one, -1 as neg, null as nl, 'a' || name as c from t"
view "select id from t where exists (select 1 from orders o where o.user_id = t.id)"
view "select id, age from t where age > (select max(user_id) from orders) order by age desc nulls last"
view x "select id from t where age > (select max(age) from t)"  # server renames the inner t to t_1
view "select id from t where age > (select avg(total) from orders)"  # server adds (age)::numeric: dropped
view "select kind, count(*) filter (where active) as act from t group by kind having count(*) > 1"
view "select id, row_number() over (partition by kind order by id) as rn from t"
view "select id, name::varchar(10) as short from t"
view x "select * from t"                          # pg_get_viewdef expands *
view x "select t.id, user_id from t join orders o on o.user_id = t.id"  # unqualified column in a join
view "select id, email::text as e from t"         # the server drops a no-op cast; so do we

# ---- policies: pg_policies.qual ----------------------------------------------------
policy() { # EXPR
    next
    pg_sql "$url" "create policy p_$n on t using ($1)" >/dev/null
    add_pair expr "$1" "$(pg_sql "$url" "select qual from pg_policies where policyname = 'p_$n'")"
}
policy "tenant = current_setting('app.tenant')::uuid"
policy "t.tenant = current_setting('app.tenant', true)::uuid"
policy "auth.uid() = owner"
policy "owner = auth.uid() and title <> ''"
policy "exists (select 1 from orders where orders.user_id = t.id)"
policy "exists (select 1 from orders o where o.user_id = id)"
policy "true"
policy "current_user = 'admin'"
policy "kind = any (string_to_array(current_setting('app.kinds'), ','))"

# ---- trigger WHEN: pg_get_triggerdef ----------------------------------------------------
trig() { # EXPR
    next
    pg_sql "$url" "create trigger tr_$n before update on t for each row when ($1) execute function tf()" >/dev/null
    add_pair expr "$1" "$(pg_sql "$url" "select substring(pg_get_triggerdef(oid) from 'WHEN \((.*)\) EXECUTE')
                                         from pg_trigger where tgname = 'tr_$n'")"
}
trig "OLD.name IS DISTINCT FROM NEW.name"
trig "NEW.active and old.id > 0"
trig "new.email like '%x' and new.name in ('a','b')"
trig "new.price > 0"
trig "old.* is distinct from new.*"

# ---- index predicates and expressions ------------------------------------------------
ipred() { # EXPR
    next
    pg_sql "$url" "create index ip_$n on t (id) where $1" >/dev/null
    add_pair expr "$1" "$(pg_sql "$url" "select pg_get_expr(indpred, indrelid) from pg_index where indexrelid = 'ip_$n'::regclass")"
}
iexpr() { # EXPR
    next
    pg_sql "$url" "create index ie_$n on t (($1))" >/dev/null
    add_pair expr "$1" "$(pg_sql "$url" "select pg_get_expr(indexprs, indrelid) from pg_index where indexrelid = 'ie_$n'::regclass")"
}
ipred "active"
ipred "email is not null and id > 0"
ipred "kind in ('a','b')"
ipred "status <> 'deleted'"
iexpr "lower(email)"
iexpr "name || email"
iexpr "coalesce(age, 0)"
iexpr "(price * 100)::int"

# ---- column types: format_type -----------------------------------------------------
ctype() { # TYPE
    next
    pg_sql "$url" "alter table ty add column c_$n $1" >/dev/null
    local ft
    ft=$(pg_sql "$url" "select format_type(atttypid, atttypmod) from pg_attribute
                        where attrelid = 'ty'::regclass and attname = 'c_$n'")
    add_pair type "$1" "$ft"      # string spelling -> normalize_pg_type_name
    add_pair ntype "$1" "$ft"     # parsed TypeName -> normalize_pg_type_node
    add_pair type "$ft" "$ft"     # format_type output is a fixed point
}
pg_sql "$url" "create type mood as enum ('a'); create schema s; create type s.e2 as enum ('x');
               create domain dom as text; create type \"MyType\" as enum ('b')" >/dev/null
for ty in int2 smallint int4 int integer int8 bigint float4 real float8 "double precision" float \
    "float(10)" "float(30)" numeric decimal "numeric(10,2)" "decimal(5)" "numeric(10, 2)" bool boolean \
    varchar "varchar(255)" "character varying(3)" "VARCHAR( 40 )" char "char(5)" "character(2)" bpchar \
    '"char"' text bytea date time timetz "time with time zone" "time(3)" "time(2) with time zone" \
    timestamp timestamptz "timestamp(3) with time zone" "timestamp(6) without time zone" \
    "timestamp(0)" interval "interval day to second" "interval(3)" "interval year to month" \
    "interval second(3)" "interval minute" uuid json jsonb inet cidr macaddr macaddr8 money bit \
    "bit(8)" varbit "bit varying(5)" xml tsvector tsquery point line lseg box path polygon circle \
    regclass regtype oid name xid pg_lsn int4range tstzrange "int[]" "text[][]" "varchar(10)[]" \
    "integer array" "int4[3]" _int4 _text mood public.mood s.e2 "s.e2[]" dom '"MyType"' \
    "pg_catalog.int4" "pg_catalog.varchar(7)"; do
    ctype "$ty"
done

# ---- compare ---------------------------------------------------------------------
total=$(wc -l <"$PAIRS")
if "$checker" --pairs "$PAIRS" >"$T/check.out" 2>&1; then
    pass "all $total written/server pairs normalise as expected"
else
    fail "written/server pairs differ after normalisation"
    cat "$T/check.out" >&2
fi
assert_contains "$(cat "$T/check.out")" "$total pairs checked" "the checker read every pair"
(( total > 150 )) && pass "corpus has $total pairs" || fail "corpus too small ($total pairs)"
