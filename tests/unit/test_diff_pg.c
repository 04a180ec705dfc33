/*
 * test_diff_pg.c — the diff engine and PostgreSQL backend on catalogs read
 * from SQL text: plan contents, hazards, phase order, renames (options and
 * annotations, inverted for the down plan), destructive changes set aside,
 * SQL framing and JSON.  (Applying plans to a real server is the job of
 * tests/cli/pg_diff_roundtrip.sh and pg_diff_property.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "catalog/catalog.h"
#include "diff/diff.h"
#include "source/source.h"
#include "util/strbuf.h"

typedef struct run {
    arena mem;
    diag_list diags;
    catalog *from, *to;
    diff_plan plan;
    strbuf sql;
} run;

static catalog *read_pg(run *r, const char *sql)
{
    catalog *c = catalog_new(DIALECT_PG);
    assert_int_equal(pg_sql_read(c, "t.sql", sql, strlen(sql), &r->diags), 0);
    assert_false(diag_has_errors(&r->diags));
    return c;
}

static void diff_run(run *r, const char *a, const char *b, bool allow, bool down, const diff_opts *extra)
{
    arena_init(&r->mem);
    diag_list_init(&r->diags, &r->mem);
    r->from = read_pg(r, a);
    r->to = read_pg(r, b);
    diff_opts o;
    memset(&o, 0, sizeof o);
    if (extra)
        o = *extra;
    o.allow_destructive = allow;
    diff_plan_init(&r->plan, &r->mem, DIALECT_PG);
    assert_int_equal(diff_catalogs(&r->plan, down ? r->to : r->from, down ? r->from : r->to, &o, &r->diags), 0);
    strbuf_init(&r->sql);
    diff_emit_sql(&r->sql, &r->plan);
}

static void run_free(run *r)
{
    strbuf_release(&r->sql);
    catalog_free(r->from);
    catalog_free(r->to);
    arena_free(&r->mem);
}

static const char *S(run *r)
{
    return strbuf_str(&r->sql);
}

/* position of needle in the script, asserting it is there */
static size_t at(run *r, const char *needle)
{
    const char *p = strstr(S(r), needle);
    if (!p)
        fail_msg("plan lacks '%s':\n%s", needle, S(r));
    return (size_t)(p - S(r));
}

static void test_equal_spellings_give_empty_plan(void **state)
{
    (void)state;
    run r;
    diff_run(&r,
             "CREATE TABLE t (id serial PRIMARY KEY, a int4, b varchar(10) DEFAULT 'x', c timestamptz);",
             "CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'::regclass), a integer,\n"
             "  b character varying(10) DEFAULT 'x'::character varying, c timestamp with time zone,\n"
             "  CONSTRAINT t_pkey PRIMARY KEY (id));\n"
             "CREATE SEQUENCE t_id_seq AS integer; ALTER SEQUENCE t_id_seq OWNED BY t.id;",
             false, false, NULL);
    assert_true(diff_plan_empty(&r.plan));
    assert_string_equal(S(&r), "");
    run_free(&r);
}

static void test_column_changes_and_hazards(void **state)
{
    (void)state;
    run r;
    diff_run(&r, "CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b text, n int, gone int);",
             "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), b integer NOT NULL, n int DEFAULT 3);", false, false,
             NULL);
    at(&r, "ALTER TABLE t ALTER COLUMN a TYPE character varying(20) USING a::character varying(20);");
    at(&r, "ALTER TABLE t ALTER COLUMN b TYPE integer USING b::integer;");
    at(&r, "ALTER TABLE t ALTER COLUMN b SET NOT NULL;");
    at(&r, "ALTER TABLE t ALTER COLUMN n SET DEFAULT 3;");
    /* widening varchar: no rewrite; text -> integer: rewrite + data-dependent */
    size_t a = at(&r, "-- alter_column_type public.t.a\n-- hazard: access-exclusive\n");
    (void)a;
    at(&r, "-- alter_column_type public.t.b\n-- hazard: table-rewrite, access-exclusive, full-scan, data-dependent\n");
    /* the drop is destructive: left out, listed at the end */
    assert_null(strstr(S(&r), "ALTER TABLE t DROP COLUMN gone;\n\n"));
    at(&r, "-- skipped (destructive, use --allow-destructive): ALTER TABLE t DROP COLUMN gone;");
    assert_int_equal(r.plan.skipped.n, 1);
    assert_true(at(&r, "BEGIN;") < at(&r, "ALTER TABLE t ALTER COLUMN a") && at(&r, "COMMIT;") > at(&r, "SET DEFAULT 3"));
    run_free(&r);
}

static void test_allow_destructive_and_order(void **state)
{
    (void)state;
    run r;
    diff_run(&r,
             "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, pid int REFERENCES p(id));\n"
             "CREATE VIEW v AS SELECT id FROM c;",
             "CREATE TABLE c (id bigint, pid int);\nCREATE VIEW v AS SELECT id FROM c;", true, false, NULL);
    assert_int_equal(r.plan.skipped.n, 0);
    /* FK and view out of the way before the table drop and the type change; view recreated after */
    size_t fk = at(&r, "ALTER TABLE c DROP CONSTRAINT c_pid_fkey;");
    size_t dv = at(&r, "DROP VIEW v;");
    size_t dt = at(&r, "DROP TABLE p;");
    size_t ty = at(&r, "ALTER TABLE c ALTER COLUMN id TYPE bigint");
    size_t cv = at(&r, "CREATE VIEW v AS");
    assert_true(fk < dt && dv < ty && ty < cv);
    run_free(&r);
}

static void test_enum_add_value_outside_transaction(void **state)
{
    (void)state;
    run r;
    diff_run(&r, "CREATE TYPE m AS ENUM ('a', 'c');", "CREATE TYPE m AS ENUM ('a', 'b', 'c', 'd');", false, false,
             NULL);
    size_t b = at(&r, "ALTER TYPE m ADD VALUE 'b' BEFORE 'c';");
    at(&r, "ALTER TYPE m ADD VALUE 'd' AFTER 'c';");
    assert_null(strstr(S(&r), "BEGIN;")); /* nothing transactional left */
    (void)b;
    run_free(&r);
    /* removing a label recreates the type: destructive */
    diff_run(&r, "CREATE TYPE m AS ENUM ('a', 'b'); CREATE TABLE t (x m);",
             "CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x m);", true, false, NULL);
    at(&r, "ALTER TYPE m RENAME TO m__dbsage_old;");
    at(&r, "ALTER TABLE t ALTER COLUMN x TYPE m USING x::text::m;");
    at(&r, "DROP TYPE m__dbsage_old;");
    at(&r, "-- hazard: destructive");
    run_free(&r);
}

static void test_rename_annotation_up_and_down(void **state)
{
    (void)state;
    const char *a = "CREATE TABLE emp (id int PRIMARY KEY, nm text);";
    const char *b = "-- dbsage:renamed-from emp\nCREATE TABLE employee (id int PRIMARY KEY,\n"
                    "  -- dbsage:renamed-from nm\n  name text);";
    run r;
    diff_run(&r, a, b, false, false, NULL);
    at(&r, "ALTER TABLE emp RENAME TO employee;");
    at(&r, "ALTER TABLE employee RENAME COLUMN nm TO name;");
    at(&r, "ALTER TABLE employee RENAME CONSTRAINT emp_pkey TO employee_pkey;");
    assert_null(strstr(S(&r), "DROP"));
    run_free(&r);
    diff_run(&r, a, b, false, true, NULL);
    at(&r, "ALTER TABLE employee RENAME TO emp;");
    at(&r, "ALTER TABLE emp RENAME COLUMN name TO nm;");
    assert_null(strstr(S(&r), "DROP"));
    run_free(&r);
}

static void test_rename_option_and_json(void **state)
{
    (void)state;
    diff_opts o;
    memset(&o, 0, sizeof o);
    arena m;
    arena_init(&m);
    diff_rename rn = {OBJ_ENUM, NULL, "st", "actv", "active"};
    VEC_PUSH(&m, o.renames, rn);
    run r;
    diff_run(&r, "CREATE TYPE st AS ENUM ('actv', 'gone');", "CREATE TYPE st AS ENUM ('active', 'gone');", false, false,
             &o);
    at(&r, "ALTER TYPE st RENAME VALUE 'actv' TO 'active';");
    strbuf j = STRBUF_INIT;
    diff_emit_json(&j, &r.plan);
    assert_non_null(strstr(strbuf_str(&j), "\"kind\":\"rename_enum_value\""));
    assert_non_null(strstr(strbuf_str(&j), "\"skipped\": []"));
    strbuf_release(&j);
    run_free(&r);
    arena_free(&m);
}

static void test_function_replace_vs_recreate(void **state)
{
    (void)state;
    run r;
    diff_run(&r,
             "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;\n"
             "CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;",
             "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$;\n"
             "CREATE FUNCTION g(a int) RETURNS bigint LANGUAGE sql AS $$ SELECT a $$;",
             false, false, NULL);
    at(&r, "CREATE OR REPLACE FUNCTION f(");
    size_t d = at(&r, "DROP FUNCTION g(integer);");
    size_t c = at(&r, "CREATE FUNCTION g(");
    assert_true(d < c);
    run_free(&r);
}

static void test_dialect_mismatch(void **state)
{
    (void)state;
    arena m;
    arena_init(&m);
    diag_list dl;
    diag_list_init(&dl, &m);
    catalog *a = catalog_new(DIALECT_PG), *b = catalog_new(DIALECT_SQLITE);
    diff_plan p;
    diff_plan_init(&p, &m, DIALECT_PG);
    diff_opts o;
    memset(&o, 0, sizeof o);
    assert_int_equal(diff_catalogs(&p, a, b, &o, &dl), -1);
    assert_true(diag_has_errors(&dl));
    catalog_free(a);
    catalog_free(b);
    arena_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_spellings_give_empty_plan),
        cmocka_unit_test(test_column_changes_and_hazards),
        cmocka_unit_test(test_allow_destructive_and_order),
        cmocka_unit_test(test_enum_add_value_outside_transaction),
        cmocka_unit_test(test_rename_annotation_up_and_down),
        cmocka_unit_test(test_rename_option_and_json),
        cmocka_unit_test(test_function_replace_vs_recreate),
        cmocka_unit_test(test_dialect_mismatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
