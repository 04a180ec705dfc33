/*
 * test_normalize.c — unit tests of src/catalog/normalize*: a corpus of
 * (as a user writes it, as PostgreSQL 15 prints it back) pairs that must
 * normalise equal, semantically different expressions that must stay
 * different, type names against format_type() spellings, SQLite spellings,
 * garbage input.
 *
 * `test_normalize --pairs FILE` is the checker used by
 * tests/cli/pg_normalize_live.sh: FILE has lines KIND<TAB>WRITTEN<TAB>SERVER
 * (KIND expr|query|type|ntype (type via normalize_pg_type_node), or xexpr/xquery for documented limitations that
 * must stay different); prints each mismatch, exits 1 if any.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "catalog/normalize.h"
#include "util/arena.h"

typedef struct pair {
    const char *written;
    const char *server;
} pair;

/* Expressions: left as written in DDL, right as pg_get_expr /
 * pg_get_constraintdef / pg_get_triggerdef WHEN / pg_policies print them
 * (captured from PostgreSQL 15). */
static const pair EXPR_PAIRS[] = {
    {"'active'", "'active'::text"},
    {"0", "(0)::numeric"},
    {"'1 day'", "'1 day'::interval"},
    {"interval '1 day'", "'1 day'::interval"},
    {"'{}'", "'{}'::jsonb"},
    {"'{}'::jsonb", "'{}'::jsonb"},
    {"'x'", "'x'::character varying"},
    {"'ab'", "'ab'::bpchar"},
    {"now()", "now()"},
    {"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
    {"current_date", "CURRENT_DATE"},
    {"localtimestamp", "LOCALTIMESTAMP"},
    {"nextval('users_id_seq')", "nextval('users_id_seq'::regclass)"},
    {"nextval('s1'::regclass)", "nextval('s1'::regclass)"},
    {"gen_random_uuid()", "gen_random_uuid()"},
    {"TRUE", "true"},
    {"false", "false"},
    {"-1", "'-1'::integer"},
    {"(-1)", "'-1'::integer"},
    {"(- 1)", "'-1'::integer"},
    {"-1.5", "'-1.5'::numeric"},
    {"10000000000", "'10000000000'::bigint"},
    {"1.5", "1.5"},
    {"NULL", "NULL::text"},
    {"price > 0", "(price > (0)::numeric)"},
    {"price > 0.5", "(price > 0.5)"},
    {"kind IN ('a','b')", "(kind = ANY (ARRAY['a'::text, 'b'::text]))"},
    {"kind not in ('c', 'd')", "(kind <> ALL (ARRAY['c'::text, 'd'::text]))"},
    {"age in (1,2,3)", "(age = ANY (ARRAY[1, 2, 3]))"},
    {"kind in ('a')", "(kind = 'a'::text)"},
    {"vc IN ('a','b')", "((vc)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"},
    {"c in ('a','b')", "(c = ANY (ARRAY['a'::bpchar, 'b'::bpchar]))"},
    {"age between 0 and 150", "((age >= 0) AND (age <= 150))"},
    {"email is not null", "(email IS NOT NULL)"},
    {"length(name) > 0", "(length(name) > 0)"},
    {"lower(email) = email", "(lower(email) = email)"},
    {"lower(email)", "lower(email)"},
    {"pg_catalog.lower(email)", "lower(email)"},
    {"email like '%@%'", "(email ~~ '%@%'::text)"},
    {"email NOT LIKE 'x%'", "(email !~~ 'x%'::text)"},
    {"email ilike '%@%'", "(email ~~* '%@%'::text)"},
    {"email ~ '^a'", "(email ~ '^a'::text)"},
    {"name || email <> ''", "((name || email) <> ''::text)"},
    {"case when age > 10 then true else false end",
     "CASE\n    WHEN (age > 10) THEN true\n    ELSE false\nEND"},
    {"coalesce(age,0) >= 0", "(COALESCE(age, 0) >= 0)"},
    {"(age + 1) * 2 > 0", "((((age + 1) * 2) > 0))"},
    {"age + 1 * 2 > 0", "(((age + (1 * 2)) > 0))"},
    {"amount::text <> ''", "(((amount)::text <> ''::text))"},
    /* casts of column references (no typmod) are dropped on both sides: the
     * server adds them from column types and drops no-op ones, which only a
     * reader knowing the column types could reproduce */
    {"amount::text <> ''", "amount <> ''"},
    {"vc::text = ANY (ARRAY['a', 'b'])", "vc = ANY (ARRAY['a', 'b'])"},
    {"vc <> ''", "((vc)::text <> ''::text)"},
    {"qty * unit_price", "((qty)::numeric * unit_price)"},
    {"coalesce(username, email)", "COALESCE(username, (email)::character varying)"},
    {"age::numeric > 1.0", "((age)::numeric > 1.0)"},
    {"name::varchar(10) <> ''", "(((name)::character varying(10))::text <> ''::text)"},
    {"not active", "(NOT active)"},
    {"age is null or age > 0 and age < 10", "((age IS NULL) OR ((age > 0) AND (age < 10)))"},
    {"status = 'x' or status = 'y'", "((status = 'x'::text) OR (status = 'y'::text))"},
    {"age <> -5", "(age <> '-5'::integer)"},
    {"nm = 'x'", "(nm = 'x'::name)"},
    {"users.age > 0", "(age > 0)"},
    {"public.users.age > 0", "(age > 0)"},
    /* RLS */
    {"tenant = current_setting('app.tenant')::uuid",
     "(tenant = (current_setting('app.tenant'::text))::uuid)"},
    {"docs.tenant = current_setting('app.tenant', true)::uuid",
     "(tenant = (current_setting('app.tenant'::text, true))::uuid)"},
    {"auth.uid() = user_id", "(auth.uid() = user_id)"},
    {"owner = auth.uid() and title <> ''", "((owner = auth.uid()) AND (title <> ''::text))"},
    {"exists (select 1 from u2 where id = docs.id)",
     "(EXISTS ( SELECT 1\n   FROM u2\n  WHERE (u2.id = docs.id)))"},
    /* trigger WHEN keeps NEW/OLD */
    {"OLD.name IS DISTINCT FROM NEW.name", "(old.name IS DISTINCT FROM new.name)"},
    {"NEW.active and old.id > 0", "(new.active AND (old.id > 0))"},
    {"new.email like '%x' and new.name in ('a','b')",
     "((new.email ~~ '%x'::text) AND (new.name = ANY (ARRAY['a'::text, 'b'::text])))"},
    /* index expressions / predicates */
    {"name || email", "(name || email)"},
    {"email is not null and id > 0", "((email IS NOT NULL) AND (id > 0))"},
    {"name similar to 'a%'", "(name ~ similar_to_escape('a%'::text))"},
};

/* View bodies: as written, as pg_get_viewdef prints them. */
static const pair QUERY_PAIRS[] = {
    {"SELECT id, name FROM users WHERE active",
     " SELECT users.id,\n    users.name\n   FROM users\n  WHERE users.active;"},
    {"select u.id, u.name from users u where u.active",
     " SELECT u.id,\n    u.name\n   FROM users u\n  WHERE u.active;"},
    {"select id, name from users u where active",
     " SELECT u.id,\n    u.name\n   FROM users u\n  WHERE u.active;"},
    {"select count(*) from users", " SELECT count(*) AS count\n   FROM users;"},
    {"select id from public.users;", " SELECT users.id\n   FROM users;"},
    {"select u2.name, count(*) as n, sum(o.total) total from u2 join orders o on o.user_id = u2.id "
     "group by u2.name order by n desc",
     " SELECT u2.name,\n    count(*) AS n,\n    sum(o.total) AS total\n   FROM (u2\n     JOIN orders o "
     "ON ((o.user_id = u2.id)))\n  GROUP BY u2.name\n  ORDER BY (count(*)) DESC;"},
    {"select distinct name from u2 where id in (select user_id from orders) order by name",
     " SELECT DISTINCT u2.name\n   FROM u2\n  WHERE (u2.id IN ( SELECT orders.user_id\n           FROM "
     "orders))\n  ORDER BY u2.name;"},
    {"select id, lower(email) as e, id + 1 as next, 'x' as lit, case when active then 'y' else 'n' end "
     "as flag, coalesce(name,'') from u2",
     " SELECT u2.id,\n    lower(u2.email) AS e,\n    (u2.id + 1) AS next,\n    'x'::text AS lit,\n"
     "        CASE\n            WHEN u2.active THEN 'y'::text\n            ELSE 'n'::text\n        END AS "
     "flag,\n    COALESCE(u2.name, ''::text) AS \"coalesce\"\n   FROM u2;"},
    {"select id, name from u2 where name like 'a%' and id between 1 and 10 and email is not null limit 5",
     " SELECT u2.id,\n    u2.name\n   FROM u2\n  WHERE ((u2.name ~~ 'a%'::text) AND ((u2.id >= 1) AND "
     "(u2.id <= 10)) AND (u2.email IS NOT NULL))\n LIMIT 5;"},
    {"select u2.id, o.total from u2 left join orders o on (u2.id = o.user_id) where o.total > 0",
     " SELECT u2.id,\n    o.total\n   FROM (u2\n     LEFT JOIN orders o ON ((u2.id = o.user_id)))\n  "
     "WHERE (o.total > (0)::numeric);"},
    {"select id from u2 union select user_id from orders",
     " SELECT u2.id\n   FROM u2\nUNION\n SELECT orders.user_id AS id\n   FROM orders;"},
    {"select now() as t, current_timestamp as c, id::text as s from u2",
     " SELECT now() AS t,\n    CURRENT_TIMESTAMP AS c,\n    (u2.id)::text AS s\n   FROM u2;"},
    {"select name, (select count(*) from orders where orders.user_id = u2.id) as cnt from u2",
     " SELECT u2.name,\n    ( SELECT count(*) AS count\n           FROM orders\n          WHERE "
     "(orders.user_id = u2.id)) AS cnt\n   FROM u2;"},
    {"with x as (select id from u2) select id from x",
     " WITH x AS (\n         SELECT u2.id\n           FROM u2\n        )\n SELECT x.id\n   FROM x;"},
    {"select name, count(*) from u2 group by 1 order by 2 desc, 1",
     " SELECT u2.name,\n    count(*) AS count\n   FROM u2\n  GROUP BY u2.name\n  ORDER BY (count(*)) "
     "DESC, u2.name;"},
    {"select name n from u2 order by n", " SELECT u2.name AS n\n   FROM u2\n  ORDER BY u2.name;"},
    {"select x.id from (select id from u2) x",
     " SELECT x.id\n   FROM ( SELECT u2.id\n           FROM u2) x;"},
    {"select id, 1 as one, -1 as neg, null as nl, 'a' || name as c from u2",
     " SELECT u2.id,\n    1 AS one,\n    '-1'::integer AS neg,\n    NULL::text AS nl,\n    ('a'::text || "
     "u2.name) AS c\n   FROM u2;"},
};

/* Different meaning: must normalise differently. */
static const pair DIFFERENT[] = {
    {"now()", "CURRENT_TIMESTAMP"},
    {"price > 0", "price >= 0"},
    {"kind in ('a','b')", "kind not in ('a','b')"},
    {"kind in ('a','b')", "kind in ('a','c')"},
    {"'1'", "'1.0'"},
    {"true", "false"},
    {"(a + b) * c", "a + b * c"},
    {"new.id > 0", "old.id > 0"},
    {"name::varchar(10)", "name::varchar(20)"},
    {"email like 'a%'", "email ilike 'a%'"},
    {"age between 1 and 5", "age not between 1 and 5"},
    {"lower(email)", "upper(email)"},
    {"x IS NULL", "x IS NOT NULL"},
};

static const pair DIFFERENT_QUERIES[] = {
    {"select id from users", "select name from users"},
    {"select id from users where active", "select id from users where not active"},
    {"select id as a from users", "select id as b from users"},
    {"select u.id from users u join orders o on o.uid = u.id", "select o.id from users u join orders o on o.uid = u.id"},
    {"select id from a union select id from b", "select id from a union all select id from b"},
    {"select name from u order by name", "select name from u order by name desc"},
};

static arena A;

static int setup(void **state)
{
    (void)state;
    arena_init(&A);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&A);
    return 0;
}

static void check_equal(const char *kind, const char *x, const char *y, const char *nx, const char *ny)
{
    if (!nx || !ny || strcmp(nx, ny) != 0)
        fail_msg("%s pair differs:\n  %s\n    -> %s\n  %s\n    -> %s", kind, x, nx ? nx : "(null)", y,
                 ny ? ny : "(null)");
}

static void test_expr_pairs_equal(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof EXPR_PAIRS / sizeof EXPR_PAIRS[0]; i++) {
        const pair *p = &EXPR_PAIRS[i];
        check_equal("expr", p->written, p->server, normalize_pg_expr(&A, p->written),
                    normalize_pg_expr(&A, p->server));
    }
}

static void test_query_pairs_equal(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof QUERY_PAIRS / sizeof QUERY_PAIRS[0]; i++) {
        const pair *p = &QUERY_PAIRS[i];
        check_equal("query", p->written, p->server, normalize_pg_query(&A, p->written),
                    normalize_pg_query(&A, p->server));
    }
}

static void test_different_stay_different(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof DIFFERENT / sizeof DIFFERENT[0]; i++) {
        const char *x = normalize_pg_expr(&A, DIFFERENT[i].written);
        const char *y = normalize_pg_expr(&A, DIFFERENT[i].server);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) == 0)
            fail_msg("'%s' and '%s' both normalise to '%s'", DIFFERENT[i].written, DIFFERENT[i].server, x);
    }
    for (size_t i = 0; i < sizeof DIFFERENT_QUERIES / sizeof DIFFERENT_QUERIES[0]; i++) {
        const char *x = normalize_pg_query(&A, DIFFERENT_QUERIES[i].written);
        const char *y = normalize_pg_query(&A, DIFFERENT_QUERIES[i].server);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) == 0)
            fail_msg("queries '%s' and '%s' both normalise to '%s'", DIFFERENT_QUERIES[i].written,
                     DIFFERENT_QUERIES[i].server, x);
    }
}

static void test_expr_shapes(void **state)
{
    (void)state;
    assert_string_equal(normalize_pg_expr(&A, "(kind = ANY (ARRAY['a'::text, 'b'::text]))"),
                        "kind = ANY(ARRAY['a', 'b'])");
    assert_string_equal(normalize_pg_expr(&A, "'-1'::integer"), "-1");
    assert_string_equal(normalize_pg_expr(&A, "'active'::text"), "'active'");
    assert_string_equal(normalize_pg_expr(&A, "x::varchar(10)"), "x::varchar(10)");
    /* view stars stay stars: pg_get_viewdef expands them, we cannot */
    assert_string_equal(normalize_pg_query(&A, "select * from users;"), "SELECT * FROM users");
    /* a join keeps qualifiers (the server qualifies every column there) */
    assert_string_equal(normalize_pg_query(&A, "select u.id from users u join o on o.uid = u.id"),
                        "SELECT u.id FROM users u JOIN o ON o.uid = u.id");
}

static void test_garbage_is_null(void **state)
{
    (void)state;
    const char *bad[] = {"", "(((", "garbage (((", "1; drop table x", "1 from x", "x AS y",
                         "select 1", "'unterminated", "\x01\x02", ")", "a +", "CASE WHEN"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(normalize_pg_expr(&A, bad[i]));
    assert_null(normalize_pg_expr(&A, NULL));
    assert_null(normalize_pg_query(&A, NULL));
    assert_null(normalize_pg_query(&A, "select 1; select 2"));
    assert_null(normalize_pg_query(&A, "insert into t values (1)"));
    assert_null(normalize_pg_query(&A, "select from where"));
    assert_null(deparse_pg_expr(&A, NULL));
    assert_null(normalize_pg_node_expr(&A, NULL));
}

/* Pathologically deep trees must be refused, not overflow the stack. */
static void test_deep_input_refused(void **state)
{
    (void)state;
    size_t terms = 30000;
    char *s = malloc(terms * 2 + 2);
    assert_non_null(s);
    char *p = s;
    *p++ = 'a';
    for (size_t i = 0; i < terms; i++) {
        *p++ = '+';
        *p++ = 'a';
    }
    *p = '\0';
    assert_null(normalize_pg_expr(&A, s));
    assert_null(normalize_pg_query(&A, s));
    s[2 * 3000 + 1] = '\0';            /* 3000 chained operators: refused by the depth guard */
    assert_null(normalize_pg_expr(&A, s));
    s[2 * 300 + 1] = '\0';             /* 300: fine */
    assert_non_null(normalize_pg_expr(&A, s));
    free(s);
}

/* The PG SQL reader hands over already-parsed nodes. */
static void test_node_helpers(void **state)
{
    (void)state;
    PgQueryProtobufParseResult r = pg_query_parse_protobuf("SELECT 1 FROM t WHERE kind IN ('a', 'b') AND t.x > 0::numeric");
    assert_null(r.error);
    PgQuery__ParseResult *pr =
        pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
    assert_non_null(pr);
    PgQuery__Node *where = pr->stmts[0]->stmt->select_stmt->where_clause;
    assert_string_equal(deparse_pg_expr(&A, where), "kind IN ('a', 'b') AND t.x > 0::numeric");
    assert_string_equal(normalize_pg_node_expr(&A, where), "kind = ANY(ARRAY['a', 'b']) AND x > 0");
    /* the borrowed tree is untouched */
    assert_string_equal(deparse_pg_expr(&A, where), "kind IN ('a', 'b') AND t.x > 0::numeric");

    PgQueryProtobufParseResult r2 = pg_query_parse_protobuf(
        "CREATE TABLE t (a int, b varchar(20)[], c interval day to second(3), d char, e \"char\", "
        "f numeric(10,2), g timestamp(3) with time zone, h public.mytype, i decimal(5), j interval(2))");
    assert_null(r2.error);
    PgQuery__ParseResult *pr2 =
        pg_query__parse_result__unpack(NULL, r2.parse_tree.len, (const uint8_t *)r2.parse_tree.data);
    PgQuery__CreateStmt *cs = pr2->stmts[0]->stmt->create_stmt;
    const char *want[] = {"integer", "character varying(20)[]", "interval day to second(3)",
                          "character(1)", "\"char\"", "numeric(10,2)", "timestamp(3) with time zone",
                          "mytype", "numeric(5,0)", "interval(2)"};
    assert_int_equal(cs->n_table_elts, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < cs->n_table_elts; i++)
        assert_string_equal(normalize_pg_type_node(&A, cs->table_elts[i]->column_def->type_name), want[i]);
    pg_query__parse_result__free_unpacked(pr2, NULL);
    pg_query_free_protobuf_parse_result(r2);
    pg_query__parse_result__free_unpacked(pr, NULL);
    pg_query_free_protobuf_parse_result(r);
}

typedef struct type_case {
    const char *name;
    const char *mods;
    int dims;
    const char *want;   /* format_type() spelling, checked on PostgreSQL 15 */
} type_case;

static const type_case TYPES[] = {
    {"int2", NULL, 0, "smallint"}, {"smallint", NULL, 0, "smallint"},
    {"int4", NULL, 0, "integer"}, {"int", NULL, 0, "integer"}, {"INTEGER", NULL, 0, "integer"},
    {"pg_catalog.int4", NULL, 0, "integer"}, {"int8", NULL, 0, "bigint"},
    {"float4", NULL, 0, "real"}, {"float8", NULL, 0, "double precision"},
    {"float", NULL, 0, "double precision"}, {"float", "10", 0, "real"},
    {"float", "30", 0, "double precision"}, {"double  precision", NULL, 0, "double precision"},
    {"numeric", NULL, 0, "numeric"}, {"decimal", "10,2", 0, "numeric(10,2)"},
    {"numeric", "10, 2", 0, "numeric(10,2)"}, {"decimal(5)", NULL, 0, "numeric(5,0)"},
    {"bool", NULL, 0, "boolean"}, {"varchar", NULL, 0, "character varying"},
    {"varchar", "255", 0, "character varying(255)"}, {"VARCHAR( 255 )", NULL, 0, "character varying(255)"},
    {"character varying(3)", NULL, 0, "character varying(3)"}, {"char", NULL, 0, "character(1)"},
    {"char", "5", 0, "character(5)"}, {"bpchar", NULL, 0, "bpchar"}, {"bpchar", "3", 0, "character(3)"},
    {"\"char\"", NULL, 0, "\"char\""}, {"text", NULL, 0, "text"}, {"bytea", NULL, 0, "bytea"},
    {"time", NULL, 0, "time without time zone"}, {"timetz", NULL, 0, "time with time zone"},
    {"time", "3", 0, "time(3) without time zone"}, {"timestamp", NULL, 0, "timestamp without time zone"},
    {"timestamptz", NULL, 0, "timestamp with time zone"},
    {"timestamptz", "3", 0, "timestamp(3) with time zone"},
    {"timestamp(3) with time zone", NULL, 0, "timestamp(3) with time zone"},
    {"interval", NULL, 0, "interval"}, {"interval day to second", NULL, 0, "interval day to second"},
    {"interval", "3", 0, "interval(3)"}, {"interval", "32767,3", 0, "interval(3)"},
    {"interval", "7176", 0, "interval day to second"}, {"interval", "4096,3", 0, "interval second(3)"},
    {"interval", "4", 0, "interval year"}, {"interval", "6", 0, "interval year to month"}, {"uuid", NULL, 0, "uuid"}, {"jsonb", NULL, 0, "jsonb"},
    {"bit", NULL, 0, "bit(1)"}, {"bit", "8", 0, "bit(8)"}, {"varbit", NULL, 0, "bit varying"},
    {"bit varying", "5", 0, "bit varying(5)"}, {"_int4", NULL, 0, "integer[]"},
    {"int4", NULL, 1, "integer[]"}, {"text", NULL, 2, "text[]"}, {"text[][]", NULL, 0, "text[]"},
    {"varchar", "10", 1, "character varying(10)[]"}, {"public.mood", NULL, 0, "mood"},
    {"s.e2", NULL, 1, "s.e2[]"}, {"MyType", NULL, 0, "\"MyType\""}, {"\"MyType\"", NULL, 1, "\"MyType\"[]"},
    {"integer ARRAY", NULL, 0, "integer[]"}, {"regclass", NULL, 0, "regclass"}, {"macaddr", NULL, 0, "macaddr"}, {"money", NULL, 0, "money"},
};

static void test_pg_type_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        const type_case *t = &TYPES[i];
        const char *got = normalize_pg_type_name(&A, t->name, t->mods, t->dims);
        if (!got || strcmp(got, t->want) != 0)
            fail_msg("type %s (%s) [%d]: want '%s', got '%s'", t->name, t->mods ? t->mods : "", t->dims,
                     t->want, got ? got : "(null)");
        /* format_type output is a fixed point */
        assert_string_equal(normalize_pg_type_name(&A, t->want, NULL, 0), t->want);
    }
    assert_null(normalize_pg_type_name(&A, NULL, NULL, 0));
}

static void test_sqlite(void **state)
{
    (void)state;
    assert_string_equal(normalize_sqlite_type(&A, "varchar( 255 )"), "VARCHAR(255)");
    assert_string_equal(normalize_sqlite_type(&A, "  unsigned   big  int "), "UNSIGNED BIG INT");
    assert_string_equal(normalize_sqlite_type(&A, "DECIMAL (10, 2)"), "DECIMAL(10,2)");
    assert_string_equal(normalize_sqlite_type(&A, ""), "");
    assert_string_equal(normalize_sqlite_expr(&A, "( price  >  0 )"), "price>0");
    assert_string_equal(normalize_sqlite_expr(&A, "((x))"), "x");
    assert_string_equal(normalize_sqlite_expr(&A, "(a) + (b)"), "(a)+(b)");
    assert_string_equal(normalize_sqlite_expr(&A, "current_timestamp"), "CURRENT_TIMESTAMP");
    assert_string_equal(normalize_sqlite_expr(&A, "x is not null and y in (1,2)"),
                        "x IS NOT NULL AND y IN(1,2)");
    assert_string_equal(normalize_sqlite_expr(&A, "name like  'A  b'"), "name LIKE'A  b'");
    assert_string_equal(normalize_sqlite_expr(&A, "\"and\"  =  'it''s  (x'"), "\"and\"='it''s  (x'");
    assert_string_equal(normalize_sqlite_expr(&A, "strftime('%s','now')"), "strftime('%s','now')");
    assert_string_equal(normalize_sqlite_expr(&A, "a - -1"), "a- -1");
    assert_string_equal(normalize_sqlite_expr(&A, "length( name )>0"), "length(name)>0");
    assert_string_equal(normalize_sqlite_expr(&A, "length(name) > 0"),
                        normalize_sqlite_expr(&A, "(length(name)  >\n  0)"));
    assert_string_not_equal(normalize_sqlite_expr(&A, "x = 'a'"), normalize_sqlite_expr(&A, "x = 'A'"));
    assert_string_equal(normalize_sqlite_expr(&A, "'unterminated ("), "'unterminated (");
    assert_null(normalize_sqlite_expr(&A, NULL));
    assert_null(normalize_sqlite_type(&A, NULL));
}

/* ---- --pairs FILE (live corpus from tests/cli/pg_normalize_live.sh) ---- */

static char *next_field(char **p)
{
    char *s = *p, *tab = s ? strchr(s, '\t') : NULL;
    if (tab) {
        *tab = '\0';
        *p = tab + 1;
    } else {
        *p = NULL;
    }
    return s;
}

/* Unescape \n and \\ written by the script. */
static void unescape(char *s)
{
    char *d = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1] == 'n') {
            *d++ = '\n';
            s++;
        } else if (*s == '\\' && s[1] == '\\') {
            *d++ = '\\';
            s++;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

/* normalize_pg_type_node() of the column type in "CREATE TABLE x (c TYPE)". */
static const char *type_via_node(arena *a, const char *type)
{
    char *sql = arena_printf(a, "CREATE TABLE x (c %s)", type);
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
    const char *out = NULL;
    if (!r.error) {
        PgQuery__ParseResult *pr =
            pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
        if (pr) {
            PgQuery__CreateStmt *cs = pr->stmts[0]->stmt->create_stmt;
            out = normalize_pg_type_node(a, cs->table_elts[0]->column_def->type_name);
            pg_query__parse_result__free_unpacked(pr, NULL);
        }
    }
    pg_query_free_protobuf_parse_result(r);
    return out;
}

static int run_pairs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    arena a;
    arena_init(&a);
    char *line = NULL;
    size_t cap = 0;
    int bad = 0, n = 0;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *p = line;
        char *kind = next_field(&p), *w = next_field(&p), *s = next_field(&p);
        if (!kind || !w || !s)
            continue;
        unescape(w);
        unescape(s);
        const char *nw, *ns;
        bool expect_same = kind[0] != 'x';
        const char *k = expect_same ? kind : kind + 1;
        if (strcmp(k, "type") == 0) {
            nw = normalize_pg_type_name(&a, w, NULL, 0);
            ns = s;
        } else if (strcmp(k, "ntype") == 0) {
            nw = type_via_node(&a, w);
            ns = s;
        } else if (strcmp(k, "query") == 0) {
            nw = normalize_pg_query(&a, w);
            ns = normalize_pg_query(&a, s);
        } else {
            nw = normalize_pg_expr(&a, w);
            ns = normalize_pg_expr(&a, s);
        }
        bool same = nw && ns && strcmp(nw, ns) == 0;
        n++;
        if (same != expect_same) {
            bad++;
            printf("MISMATCH %s (%s):\n  written: %s\n       -> %s\n  server:  %s\n       -> %s\n", kind,
                   expect_same ? "want equal" : "documented limitation, want different", w,
                   nw ? nw : "(null)", s, ns ? ns : "(null)");
        }
    }
    free(line);
    fclose(f);
    arena_free(&a);
    printf("%d pairs checked, %d mismatches\n", n, bad);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--pairs") == 0)
        return run_pairs(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expr_pairs_equal),
        cmocka_unit_test(test_query_pairs_equal),
        cmocka_unit_test(test_different_stay_different),
        cmocka_unit_test(test_expr_shapes),
        cmocka_unit_test(test_garbage_is_null),
        cmocka_unit_test(test_deep_input_refused),
        cmocka_unit_test(test_node_helpers),
        cmocka_unit_test(test_pg_type_names),
        cmocka_unit_test(test_sqlite),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
