/*
 * test_normalize_fast.c — proves the fast path of deparse_pg_expr() and
 * normalize_pg_node_expr() (src/catalog/normalize_fast.c) gives exactly the
 * strings of the slow path (libpg_query pack + deparse, text round trip):
 * a hand-written corpus of expression shapes, a few thousand generated
 * combinations of atoms and operators, and every expression node of the
 * PostgreSQL SQL fixtures are run through both paths (npg_force_slow).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/normalize.h"
#include "catalog/normalize_pg.h"
#include "util/arena.h"
#include "util/strbuf.h"

static arena A;
static size_t n_checked, n_fast;

static const char *const CORPUS[] = {
    "1", "-1", "- 1", "-(1)", "0", "-0", "1.5", "-1.5", "1e10", ".5", "5.", "0.0", "-0.0",
    "99999999999", "-99999999999", "'abc'", "'it''s'", "E'a\\\\b'", "E'\\n'", "''", "'a b'",
    "true", "FALSE", "NULL", "B'101'", "X'1F'", "a", "\"A\"", "t.a", "\"select\"", "s.t.a",
    "\"user\"", "\"abort\"", "year", "name", "\"select\".a", "\"Foo\".\"Bar\"", "\"a\"\"b\"",
    "\"a$b\"", "\"int\"", "$1", "$12", "x::int", "'x'::text", "1::numeric(10,2)", "'{}'::jsonb",
    "CAST(a AS varchar(10))", "x::int[]", "x::int[3]", "x::int[][]", "now()", "count(*)",
    "count(DISTINCT a)", "count(DISTINCT a, b)", "pg_catalog.now()", "lower(a)", "f(a, b, 1)",
    "\"F\"(a)", "\"left\"(a)", "\"abort\"(a)", "public.f(a)", "s.\"F\"(1)", "\"char\"(a)",
    "\"coalesce\"(a)", "f()", "\"f\"()", "CURRENT_DATE", "CURRENT_TIMESTAMP",
    "CURRENT_TIMESTAMP(3)", "current_time", "current_time(2)", "localtime", "localtimestamp(1)",
    "current_user", "current_role", "session_user", "user", "current_catalog", "current_schema",
    "a + b", "a + b * c", "(a + b) * c", "a + b + c", "a = 1 AND b = 2",
    "a = 1 OR b = 2 AND c = 3", "(a = 1 OR b = 2) AND c = 3", "NOT a", "NOT (a = 1)",
    "NOT (a = b AND c)", "NOT NOT a", "a IS NULL", "a IS NOT NULL", "(a + 1) IS NULL",
    "(a AND b) IS NULL", "(a = b) IS NULL", "a IS NULL IS NULL", "a IS TRUE", "a IS NOT FALSE",
    "a IS UNKNOWN", "a IS NOT UNKNOWN", "(a = b) IS TRUE", "(a AND b) IS NOT TRUE",
    "a IN (1, 2, 3)", "a NOT IN (1,2)", "a IN ('x')", "(a + b) IN (1, 2)", "a IN (b + 1, f(c))",
    "a = ANY (ARRAY[1,2])", "a = ANY (b)", "a <> ALL (ARRAY[1,2])", "(a + b) = ANY (ARRAY[1])",
    "ARRAY[1,2,3]", "ARRAY['a','b']::text[]", "ARRAY[]::int[]", "ARRAY[ARRAY[1,2],ARRAY[3,4]]",
    "ARRAY[a + 1, b]", "ARRAY[NULL, 'x']", "-a", "+a", "- (-a)", "-(a+b)", "a >= 0", "c0 >= 0",
    "a || b", "'a' || 'b' || 'c'", "a ~~ 'x%'", "a LIKE 'x%'", "a NOT LIKE 'x'", "a ILIKE 'x'",
    "a NOT ILIKE 'x'", "a LIKE 'x' ESCAPE '!'", "(a || b) LIKE 'x'", "a SIMILAR TO 'x'",
    "a BETWEEN 1 AND 2", "a NOT BETWEEN 1 AND 2", "a BETWEEN SYMMETRIC 1 AND 2",
    "NOT a AND b", "a AND NOT b", "a IS NULL AND b IS NULL", "(a IS NULL) = true",
    "a OPERATOR(pg_catalog.+) b", "length(a) > 0", "a::text = 'x'", "(a)::text", "x.y::int",
    "- a::int", "(-1)::int", "-1::int", "(-1.5)::numeric", "1.5::numeric", "(1)::int",
    "'-1'::int", "NULL::int", "true::int", "ARRAY[1,2]::int[]", "1e10::numeric",
    "99999999999::bigint", "(x + 1)::int", "f(x)::int", "(x::int)::text", "'a'::text::varchar",
    "(a+b) = (c+d)", "a = (b = c)", "1 - -1", "f(-1)", "a * -1", "a - - 1", "- -1",
    "(a AND b) = c", "a = (b AND c)", "a AND (b OR c)", "(a OR b) AND (c OR d)", "a OR b OR c",
    "(a AND b) AND c", "a = 1 AND (b = 2 AND c = 3)", "a @> '{}'", "a->>'k'", "a #> '{a}'",
    "a ~ '^x'", "a !~ 'x'", "a ^ 2", "a % 2", "a / 2", "|/ a", "a IS DISTINCT FROM b",
    "a IS NOT DISTINCT FROM b", "NULLIF(a, b)", "coalesce(a, b)", "greatest(a, b)",
    "sum(a) FILTER (WHERE a > 0)", "x[1]", "(x).y", "t.*", "nextval('seq'::regclass)",
    "nextval('\"Seq\"'::regclass)", "nextval('s.seq'::regclass)", "nextval('users_id_seq')",
    "CASE WHEN a THEN 1 ELSE 2 END", "a COLLATE \"C\"", "EXISTS (SELECT 1)", "(SELECT 1)",
    "a AT TIME ZONE 'UTC'", "extract(year from a)", "interval '1 day'", "'1 day'::interval",
    "x::text", "x::\"Text\"", "x::public.mytype", "x::varchar", "x::varchar(10)",
    "x::character varying(10)", "x::int4", "x::integer", "x::bigint", "x::int8", "x::smallint",
    "x::bool", "x::boolean", "x::float8", "x::double precision", "x::real", "x::numeric",
    "x::numeric(10,2)", "x::decimal(5)", "x::timestamptz", "x::timestamp with time zone",
    "x::timestamp(3) with time zone", "x::timestamp", "x::timestamp(3)", "x::timestamptz(3)",
    "x::date", "x::interval", "x::interval day", "x::char", "x::char(3)", "x::bpchar",
    "x::text[]", "x::regclass", "x::pg_catalog.text", "x::pg_catalog.int4", "x::\"user\"",
    "x::uuid", "x::jsonb", "x::json", "x::bit(3)", "x::bit varying(3)", "x::time", "x::time(2)",
    "x::timetz", "x::time with time zone", "x::name", "x::\"char\"", "x::mytype(3)",
    "x::s.mytype[]", "x::varchar[]", "x::char(3)[]", "x::numeric(10,2)[]", "x::float4",
    "x::float", "x::float(10)", "x::int2", "x::\"varchar\"", "x::pg_catalog.varchar(3)",
    "'x'::public.t", "x::setof int", "price > 0 AND price < 1000", "email LIKE '%@%'",
    "status IN ('a', 'b', 'c')", "length(name) BETWEEN 1 AND 100", "qty * price >= 0",
    "new.a IS DISTINCT FROM old.a", "new.x > 0", "owner = current_user",
    "tenant_id = current_setting('app.tenant')::int", "lower(email)", "(a > 0) = (b > 0)",
    "NOT (a IS NULL)", "NOT a IS NULL", "a <> ''", "a::text <> ''", "kind = 'x'::text",
    "(kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])",
};

/* The expression of "SELECT <text>", unpacked with protobuf-c's default
 * allocator; NULL when that is not a single plain target. */
static PgQuery__ParseResult *parse_select(const char *text, PgQuery__Node **expr)
{
    char *sql = arena_printf(&A, "SELECT %s", text);
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
    PgQuery__ParseResult *pr = NULL;
    *expr = NULL;
    if (!r.error)
        pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
    pg_query_free_protobuf_parse_result(r);
    if (pr && pr->n_stmts == 1 && pr->stmts[0]->stmt &&
        pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
        PgQuery__SelectStmt *s = pr->stmts[0]->stmt->select_stmt;
        if (s->n_target_list == 1 && s->n_from_clause == 0 &&
            s->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET)
            *expr = s->target_list[0]->res_target->val;
    }
    return pr;
}

static bool same(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* Both paths on one node: identical deparse and normalisation. */
static void check_node(const char *what, const PgQuery__Node *n)
{
    strbuf sb = STRBUF_INIT;
    npg_force_slow = false;
    bool fast = npg_fast_deparse(&sb, n);
    strbuf_release(&sb);
    const char *d_fast = deparse_pg_expr(&A, n);
    const char *n_fast_s = normalize_pg_node_expr(&A, n);
    npg_force_slow = true;
    const char *d_slow = deparse_pg_expr(&A, n);
    const char *n_slow = normalize_pg_node_expr(&A, n);
    npg_force_slow = false;
    n_checked++;
    n_fast += fast;
    if (!same(d_fast, d_slow))
        fail_msg("deparse differs for %s:\n  fast: %s\n  slow: %s", what, d_fast ? d_fast : "(null)",
                 d_slow ? d_slow : "(null)");
    if (!same(n_fast_s, n_slow))
        fail_msg("normalize differs for %s:\n  fast: %s\n  slow: %s", what,
                 n_fast_s ? n_fast_s : "(null)", n_slow ? n_slow : "(null)");
}

static void check_text(const char *text)
{
    PgQuery__Node *e;
    PgQuery__ParseResult *pr = parse_select(text, &e);
    if (e)
        check_node(text, e);
    if (pr)
        pg_query__parse_result__free_unpacked(pr, NULL);
}

static void test_corpus(void **state)
{
    (void)state;
    n_checked = n_fast = 0;
    for (size_t i = 0; i < sizeof CORPUS / sizeof CORPUS[0]; i++)
        check_text(CORPUS[i]);
    assert_true(n_checked > 250);
    assert_true(n_fast > 150); /* the fast path is really taken */
}

/* Typical column defaults and checks must take the fast path. */
static void test_fast_path_taken(void **state)
{
    (void)state;
    const char *common[] = {"0", "'{}'::jsonb", "now()", "CURRENT_DATE", "gen_random_uuid()",
                            "c0 >= 0", "false", "''", "nextval('s'::regclass)",
                            "price > 0 AND price < 1000", "status IN ('a', 'b')", "a IS NOT NULL"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        PgQuery__Node *e;
        PgQuery__ParseResult *pr = parse_select(common[i], &e);
        assert_non_null(e);
        strbuf sb = STRBUF_INIT;
        if (!npg_fast_deparse(&sb, e))
            fail_msg("'%s' did not take the fast path", common[i]);
        strbuf_release(&sb);
        pg_query__parse_result__free_unpacked(pr, NULL);
    }
    /* and anything unknown falls back */
    PgQuery__Node *e;
    PgQuery__ParseResult *pr = parse_select("CASE WHEN a THEN 1 END", &e);
    strbuf sb = STRBUF_INIT;
    assert_false(npg_fast_deparse(&sb, e));
    assert_int_equal(sb.len, 0);
    strbuf_release(&sb);
    pg_query__parse_result__free_unpacked(pr, NULL);
    assert_string_equal(deparse_pg_expr(&A, NULL) ? "x" : "null", "null");
}

static const char *const ATOMS[] = {
    "a", "\"A\"", "t.b", "1", "-1", "1.5", "'x'", "'it''s'", "NULL", "true", "now()", "x::int",
    "'{}'::jsonb", "CURRENT_DATE", "$1", "ARRAY[1, 2]", "(a + b)", "(a AND b)", "(a IS NULL)",
    "(a IS TRUE)", "f(a, b)", "(NOT a)", "(a = 1)", "\"select\"", "count(*)",
};

static const char *const TEMPLATES[] = {
    "%s + %s", "%s = %s", "%s AND %s", "%s OR %s", "NOT %s AND %s", "%s IS NULL OR %s IS NOT NULL",
    "%s IS NOT TRUE AND %s", "%s IN (%s, 1)", "%s NOT IN (%s)", "%s LIKE %s", "%s BETWEEN %s AND 3",
    "%s = ANY(ARRAY[%s])", "%s <> ALL(%s)", "CAST(%s AS int) = %s", "%s::text || %s",
    "f(%s, %s)", "ARRAY[%s, %s]", "- %s * %s", "%s || %s || 'z'", "(%s > 0) = (%s < 0)",
    "%s IS DISTINCT FROM %s", "lower(%s) >= %s::varchar(3)",
};

static void test_generated(void **state)
{
    (void)state;
    n_checked = n_fast = 0;
    size_t na = sizeof ATOMS / sizeof ATOMS[0], nt = sizeof TEMPLATES / sizeof TEMPLATES[0];
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < na; j++) {
                check_text(arena_printf(&A, TEMPLATES[t], ATOMS[i], ATOMS[j]));
                /* one level deeper: the combination inside another template */
                if ((i + j + t) % 7 == 0) {
                    const char *inner = arena_printf(&A, TEMPLATES[t], ATOMS[i], ATOMS[j]);
                    const char *outer = TEMPLATES[(t * 5 + i) % nt];
                    check_text(arena_printf(&A, outer, arena_printf(&A, "(%s)", inner), ATOMS[j]));
                    check_text(arena_printf(&A, outer, ATOMS[i], arena_printf(&A, "(%s)", inner)));
                }
            }
    assert_true(n_checked > 10000);
    assert_true(n_fast > 5000);
}

/* ---- every expression node of the PostgreSQL SQL fixtures --------------------- */

static bool is_expr_kind(PgQuery__Node__NodeCase k)
{
    switch (k) {
    case PG_QUERY__NODE__NODE_A_CONST: case PG_QUERY__NODE__NODE_COLUMN_REF:
    case PG_QUERY__NODE__NODE_TYPE_CAST: case PG_QUERY__NODE__NODE_FUNC_CALL:
    case PG_QUERY__NODE__NODE_A_EXPR: case PG_QUERY__NODE__NODE_BOOL_EXPR:
    case PG_QUERY__NODE__NODE_NULL_TEST: case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return true;
    default:
        return false;
    }
}

static void walk(const ProtobufCMessage *m, const char *file, int depth)
{
    if (!m || depth > 200)
        return;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__node__descriptor && is_expr_kind(((const PgQuery__Node *)m)->node_case))
        check_node(file, (const PgQuery__Node *)m);
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *base = (const char *)m;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + f->quantifier_offset) != f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; arr && k < n; k++)
                walk(arr[k], file, depth + 1);
        } else {
            walk(*(ProtobufCMessage *const *)(base + f->offset), file, depth + 1);
        }
    }
}

static void test_fixture_files(void **state)
{
    (void)state;
    const char *src = getenv("DBSAGE_SOURCE_DIR");
    if (!src)
        skip();
    char *dir = arena_printf(&A, "%s/tests/fixtures/pg", src);
    DIR *dh = opendir(dir);
    if (!dh)
        skip();
    n_checked = n_fast = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
            continue;
        strbuf sb = STRBUF_INIT;
        if (strbuf_read_file(&sb, arena_printf(&A, "%s/%s", dir, de->d_name)) == 0) {
            PgQueryProtobufParseResult r = pg_query_parse_protobuf(strbuf_str(&sb));
            if (!r.error) {
                PgQuery__ParseResult *pr = pg_query__parse_result__unpack(
                    NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
                walk((const ProtobufCMessage *)pr, de->d_name, 0);
                pg_query__parse_result__free_unpacked(pr, NULL);
            }
            pg_query_free_protobuf_parse_result(r);
        }
        strbuf_release(&sb);
    }
    closedir(dh);
    assert_true(n_checked > 50);
    assert_true(n_fast > 0);
}

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
    pg_query_exit();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_fast_path_taken),
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_fixture_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
