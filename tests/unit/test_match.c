/*
 * test_match.c — cross-dialect table matching (src/analysis/match.h): type
 * families and relations of docs/type-mapping.md, domain/enum resolution,
 * per-column and per-constraint differences with their verdicts, and the
 * name similarity / score used for pairing.  Catalogs are read from real
 * SQL through the PostgreSQL and SQLite readers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/match.h"
#include "source/source.h"

typedef struct fx {
    arena mem;
    diag_list diags;
    catalog *pg, *pg2, *lite;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    arena_init(&f->mem);
    diag_list_init(&f->diags, &f->mem);
    f->pg = catalog_new(DIALECT_PG);
    f->pg2 = catalog_new(DIALECT_PG);
    f->lite = catalog_new(DIALECT_SQLITE);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    catalog_free(f->pg);
    catalog_free(f->pg2);
    catalog_free(f->lite);
    arena_free(&f->mem);
    free(f);
    return 0;
}

static void read_pg(fx *f, catalog *c, const char *sql)
{
    assert_int_equal(pg_sql_read(c, "a.sql", sql, strlen(sql), &f->diags), 0);
}

static void read_lite(fx *f, const char *sql)
{
    assert_int_equal(sqlite_sql_read(f->lite, "b.sql", sql, strlen(sql), &f->diags), 0);
    assert_int_equal(sqlite_sql_flush(f->lite, &f->diags), 0);
}

static const col_diff *find_diff(const table_match *m, col_diff_kind k, const char *what)
{
    for (size_t i = 0; i < m->diffs.n; i++)
        if (m->diffs.v[i].kind == k && !strcmp(m->diffs.v[i].column, what))
            return &m->diffs.v[i];
    return NULL;
}

/* ---- families -------------------------------------------------------------- */

static void test_families_pg(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"smallint", "integer"}, {"integer", "integer"}, {"bigint", "integer"},
        {"serial", "integer"}, {"bigserial", "integer"}, {"numeric(10,2)", "decimal"},
        {"numeric", "decimal"}, {"real", "float"}, {"double precision", "float"},
        {"boolean", "boolean"}, {"text", "text"}, {"character varying(20)", "text"},
        {"character(3)", "text"}, {"citext", "text"}, {"public.citext", "text"},
        {"bytea", "binary"}, {"json", "json"}, {"jsonb", "json"}, {"uuid", "uuid"},
        {"date", "date"}, {"time without time zone", "time"}, {"time(3) with time zone", "time"},
        {"timestamp without time zone", "timestamp"}, {"timestamp(3) without time zone", "timestamp"},
        {"timestamp with time zone", "timestamptz"}, {"interval", "interval"},
        {"text[]", "array"}, {"integer[]", "array"}, {"inet", "other"}, {"mood", "other"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(typemap_family(DIALECT_PG, cases[i][0]), cases[i][1]);
}

static void test_families_sqlite(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"INTEGER", "integer"}, {"INT", "integer"}, {"BIGINT", "integer"}, {"TINYINT(1)", "integer"},
        {"REAL", "float"}, {"FLOAT", "float"}, {"DOUBLE", "float"}, {"DOUBLE PRECISION", "float"},
        {"NUMERIC", "decimal"}, {"DECIMAL(10,2)", "decimal"}, {"TEXT", "text"},
        {"VARCHAR(50)", "text"}, {"CLOB", "text"}, {"NCHAR(2)", "text"}, {"BLOB", "binary"},
        {"BOOLEAN", "boolean"}, {"BOOL", "boolean"}, {"DATE", "date"}, {"DATETIME", "timestamp"},
        {"TIMESTAMP", "timestamp"}, {"TIME", "time"}, {"JSON", "json"}, {"UUID", "uuid"},
        {"", "any"}, {"MONEY", "decimal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(typemap_family(DIALECT_SQLITE, cases[i][0]), cases[i][1]);
    assert_string_equal(typemap_family(DIALECT_SQLITE, NULL), "any");
}

/* ---- relations ------------------------------------------------------------- */

typedef struct rel_case {
    dialect da;
    const char *a;
    dialect db;
    const char *b;
    type_relation r;
} rel_case;

static void test_relations(void **state)
{
    (void)state;
    const dialect P = DIALECT_PG, S = DIALECT_SQLITE;
    const rel_case cases[] = {
        {P, "integer", P, "bigint", TYPE_WIDER},
        {P, "bigint", P, "integer", TYPE_NARROWER},
        {P, "smallint", P, "integer", TYPE_WIDER},
        {P, "integer", P, "integer", TYPE_SAME},
        {P, "character varying(50)", P, "character varying(200)", TYPE_WIDER},
        {P, "character varying(200)", P, "text", TYPE_WIDER},
        {P, "text", P, "character varying(50)", TYPE_NARROWER},
        {P, "character(2)", P, "character varying(2)", TYPE_SAME},
        {P, "real", P, "double precision", TYPE_WIDER},
        {P, "json", P, "text", TYPE_WIDER},
        {P, "text", P, "jsonb", TYPE_NARROWER},
        {P, "numeric(10,2)", P, "numeric(12,2)", TYPE_WIDER},
        {P, "numeric(10,2)", P, "numeric", TYPE_WIDER},
        {P, "numeric(10,2)", P, "numeric(10,4)", TYPE_CONFLICT},
        {P, "integer", P, "numeric", TYPE_WIDER},
        {P, "integer", P, "double precision", TYPE_WIDER},
        {P, "bigint", P, "double precision", TYPE_CONFLICT},
        {P, "integer[]", P, "bigint[]", TYPE_WIDER},
        {P, "text[]", P, "jsonb", TYPE_WIDER},
        {P, "date", P, "timestamp with time zone", TYPE_WIDER},
        {P, "timestamp without time zone", P, "timestamp with time zone", TYPE_WIDER},
        {P, "uuid", P, "bytea", TYPE_CONFLICT},
        {P, "integer", P, "text", TYPE_CONFLICT},
        {P, "boolean", P, "integer", TYPE_WIDER},
        {P, "uuid", P, "text", TYPE_WIDER},
        {P, "inet", P, "cidr", TYPE_CONFLICT},
        /* across dialects: same family is the same */
        {P, "bigint", S, "INTEGER", TYPE_SAME},
        {P, "smallint", S, "INT", TYPE_SAME},
        {P, "character varying(20)", S, "TEXT", TYPE_SAME},
        {P, "text", S, "VARCHAR(5)", TYPE_SAME},
        {P, "boolean", S, "BOOLEAN", TYPE_SAME},
        {P, "boolean", S, "INTEGER", TYPE_WIDER},
        {P, "jsonb", S, "JSON", TYPE_SAME},
        {P, "jsonb", S, "TEXT", TYPE_WIDER},
        {P, "timestamp with time zone", S, "TEXT", TYPE_WIDER},
        {P, "timestamp without time zone", S, "DATETIME", TYPE_SAME},
        {P, "timestamp with time zone", S, "DATETIME", TYPE_SAME},
        {S, "TIMESTAMP", P, "timestamp with time zone", TYPE_SAME},
        {P, "date", S, "DATETIME", TYPE_WIDER},
        {P, "double precision", S, "REAL", TYPE_SAME},
        {P, "numeric(10,2)", S, "NUMERIC", TYPE_SAME},
        {P, "bytea", S, "BLOB", TYPE_SAME},
        {P, "uuid", S, "TEXT", TYPE_WIDER},
        {P, "text", S, "", TYPE_WIDER},
        {S, "", P, "bytea", TYPE_NARROWER},
        {S, "BLOB", P, "text", TYPE_CONFLICT},
        {S, "TEXT", P, "integer", TYPE_CONFLICT},
        {S, "INTEGER", S, "BIGINT", TYPE_SAME},
        {S, "INTEGER", S, "TEXT", TYPE_CONFLICT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        type_relation r = typemap_relate(cases[i].da, cases[i].a, cases[i].db, cases[i].b);
        if (r != cases[i].r)
            fail_msg("%s vs %s: %s, expected %s", cases[i].a, cases[i].b, typemap_relation_name(r),
                     typemap_relation_name(cases[i].r));
    }
}

static void test_domains_and_enums(void **state)
{
    fx *f = *state;
    read_pg(f, f->pg,
            "CREATE DOMAIN email AS citext CHECK (VALUE LIKE '%@%');\n"
            "CREATE DOMAIN work_email AS email;\n"
            "CREATE DOMAIN short_code AS varchar(8);\n"
            "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
            "CREATE TYPE mood3 AS ENUM ('sad', 'ok', 'happy');\n"
            "CREATE TYPE colour AS ENUM ('red', 'green');\n");
    assert_string_equal(typemap_resolve(f->pg, "work_email"), "citext");
    assert_string_equal(typemap_family_in(f->pg, "work_email"), "text");
    assert_string_equal(typemap_family_in(f->pg, "mood"), "enum");
    assert_string_equal(typemap_family(DIALECT_PG, "mood"), "other");
    assert_int_equal(typemap_relate_in(f->pg, "short_code", f->pg, "text"), TYPE_WIDER);
    assert_int_equal(typemap_relate_in(f->pg, "mood", f->pg, "mood3"), TYPE_WIDER);
    assert_int_equal(typemap_relate_in(f->pg, "mood3", f->pg, "mood"), TYPE_NARROWER);
    assert_int_equal(typemap_relate_in(f->pg, "mood", f->pg, "colour"), TYPE_CONFLICT);
    assert_int_equal(typemap_relate_in(f->pg, "mood", f->lite, "TEXT"), TYPE_WIDER);
    assert_int_equal(typemap_relate_in(f->pg, "mood", f->pg, "integer"), TYPE_CONFLICT);
}

/* ---- tables ------------------------------------------------------------------ */

static void test_identical_across_dialects(void **state)
{
    fx *f = *state;
    read_pg(f, f->pg,
            "CREATE TABLE users (id serial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE,\n"
            "  active boolean NOT NULL DEFAULT true, prefs jsonb, created_at timestamp NOT NULL DEFAULT now(),\n"
            "  updated_at timestamptz DEFAULT CURRENT_TIMESTAMP, born date DEFAULT CURRENT_DATE);\n"
            "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "  user_id integer NOT NULL REFERENCES users(id), body text CHECK (length(body) > 0));\n");
    read_lite(f,
              "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE,\n"
              "  active BOOLEAN NOT NULL DEFAULT 1, prefs JSON, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
              "  updated_at TIMESTAMPTZ DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')), born DATE DEFAULT (date('now')));\n"
              "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),\n"
              "  body TEXT CHECK (length(body) > 0));\n");
    table_match m;
    match_tables(&f->mem, f->pg, catalog_table_find(f->pg, "public", "users"), f->lite,
                 catalog_table_find(f->lite, "main", "users"), &m);
    for (size_t i = 0; i < m.diffs.n; i++)
        print_message("diff %s %s %s %s\n", match_diff_kind_name(m.diffs.v[i].kind), m.diffs.v[i].column,
                      m.diffs.v[i].a ? m.diffs.v[i].a : "-", m.diffs.v[i].b ? m.diffs.v[i].b : "-");
    assert_int_equal(m.diffs.n, 0);
    assert_int_equal(m.verdict, MATCH_IDENTICAL);
    assert_string_equal(match_verdict_name(m.verdict), "identical");
    assert_int_equal(m.common_columns, 7);
    assert_true(m.score > 0.999);

    match_tables(&f->mem, f->pg, catalog_table_find(f->pg, "public", "posts"), f->lite,
                 catalog_table_find(f->lite, "main", "posts"), &m);
    for (size_t i = 0; i < m.diffs.n; i++)
        print_message("diff %s %s %s %s\n", match_diff_kind_name(m.diffs.v[i].kind), m.diffs.v[i].column,
                      m.diffs.v[i].a ? m.diffs.v[i].a : "-", m.diffs.v[i].b ? m.diffs.v[i].b : "-");
    assert_int_equal(m.verdict, MATCH_IDENTICAL);
}

static void test_compatible_superset(void **state)
{
    fx *f = *state;
    read_pg(f, f->pg, "CREATE TABLE t (id integer PRIMARY KEY, name varchar(50));\n");
    read_pg(f, f->pg2,
            "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, note text,\n"
            "  CONSTRAINT t_name_key UNIQUE (name));\n");
    cat_table *a = catalog_table_find(f->pg, "public", "t"), *b = catalog_table_find(f->pg2, "public", "t");
    table_match m;
    match_tables(&f->mem, f->pg, a, f->pg2, b, &m);
    assert_int_equal(m.verdict, MATCH_COMPATIBLE);
    assert_int_equal(m.superset, 2);
    assert_int_equal(m.common_columns, 2);
    const col_diff *d = find_diff(&m, COLDIFF_TYPE, "id");
    assert_non_null(d);
    assert_int_equal(d->relation, TYPE_WIDER);
    assert_string_equal(d->a, "integer");
    assert_string_equal(d->b, "bigint");
    assert_false(d->conflict);
    d = find_diff(&m, COLDIFF_TYPE, "name");
    assert_non_null(d);
    assert_int_equal(d->relation, TYPE_WIDER);
    d = find_diff(&m, COLDIFF_NULLABLE, "name");
    assert_non_null(d);
    assert_null(d->a);
    assert_string_equal(d->b, "NOT NULL");
    d = find_diff(&m, COLDIFF_ONLY_B, "note");
    assert_non_null(d);
    assert_null(d->a);
    assert_string_equal(d->b, "text");
    assert_non_null(find_diff(&m, COLDIFF_UNIQUE, "UNIQUE (name)"));
    assert_int_equal(m.diffs.n, 5);
    /* 2 common of 3 distinct columns, same table name */
    assert_true(m.column_overlap > 0.66 && m.column_overlap < 0.67);
    assert_true(m.score > 0.66 && m.score < 0.67);

    /* the other way round: a is the superset */
    match_tables(&f->mem, f->pg2, b, f->pg, a, &m);
    assert_int_equal(m.verdict, MATCH_COMPATIBLE);
    assert_int_equal(m.superset, 1);
    assert_int_equal(find_diff(&m, COLDIFF_TYPE, "id")->relation, TYPE_NARROWER);
    assert_non_null(find_diff(&m, COLDIFF_ONLY_A, "note"));
}

static void test_conflicts(void **state)
{
    fx *f = *state;
    read_pg(f, f->pg,
            "CREATE TABLE owners (id int PRIMARY KEY);\n"
            "CREATE TABLE items (id int PRIMARY KEY, code integer, status text DEFAULT 'new',\n"
            "  owner_id int REFERENCES owners(id), qty int DEFAULT 1);\n"
            "CREATE TABLE mixed (id int PRIMARY KEY, a text, b varchar(10));\n");
    read_lite(f,
              "CREATE TABLE people (id INTEGER PRIMARY KEY);\n"
              "CREATE TABLE items (id INTEGER, code BLOB, status TEXT DEFAULT 'open',\n"
              "  owner_id INTEGER REFERENCES people(id), qty INT DEFAULT '1', PRIMARY KEY (id, code));\n"
              "CREATE TABLE mixed (id INTEGER PRIMARY KEY, a TEXT, c TEXT);\n");
    table_match m;
    match_tables(&f->mem, f->pg, catalog_table_find(f->pg, "public", "items"), f->lite,
                 catalog_table_find(f->lite, "main", "items"), &m);
    assert_int_equal(m.verdict, MATCH_CONFLICTING);
    const col_diff *d = find_diff(&m, COLDIFF_TYPE, "code");
    assert_non_null(d);
    assert_int_equal(d->relation, TYPE_CONFLICT);
    assert_true(d->conflict);
    d = find_diff(&m, COLDIFF_DEFAULT, "status");
    assert_non_null(d);
    assert_true(d->conflict);
    assert_null(find_diff(&m, COLDIFF_DEFAULT, "qty"));  /* 1 and '1' */
    d = find_diff(&m, COLDIFF_PRIMARY_KEY, "PRIMARY KEY");
    assert_non_null(d);
    assert_string_equal(d->a, "PRIMARY KEY (id)");
    assert_string_equal(d->b, "PRIMARY KEY (id, code)");
    assert_true(d->conflict);
    d = find_diff(&m, COLDIFF_FOREIGN_KEY, "FOREIGN KEY (owner_id)");
    assert_non_null(d);
    assert_true(d->conflict);
    assert_string_equal(d->a, "REFERENCES owners(id)");
    assert_string_equal(d->b, "REFERENCES people(id)");
    /* 5 common columns, one of them conflicting */
    assert_int_equal(m.common_columns, 5);
    assert_true(m.column_overlap > 0.89 && m.column_overlap < 0.91);

    /* more on both sides, nothing contradicting: still conflicting */
    match_tables(&f->mem, f->pg, catalog_table_find(f->pg, "public", "mixed"), f->lite,
                 catalog_table_find(f->lite, "main", "mixed"), &m);
    assert_int_equal(m.verdict, MATCH_CONFLICTING);
    for (size_t i = 0; i < m.diffs.n; i++)
        assert_false(m.diffs.v[i].conflict);
    assert_non_null(find_diff(&m, COLDIFF_ONLY_A, "b"));
    assert_non_null(find_diff(&m, COLDIFF_ONLY_B, "c"));
}

static void test_same_capacity_respelling(void **state)
{
    fx *f = *state;
    read_pg(f, f->pg, "CREATE TABLE t (id int PRIMARY KEY, s varchar);\n");
    read_pg(f, f->pg2, "CREATE TABLE t (id int PRIMARY KEY, s text);\n");
    table_match m;
    match_tables(&f->mem, f->pg, catalog_table_find(f->pg, "public", "t"), f->pg2,
                 catalog_table_find(f->pg2, "public", "t"), &m);
    assert_int_equal(m.diffs.n, 1);
    assert_int_equal(m.diffs.v[0].relation, TYPE_SAME);
    assert_int_equal(m.verdict, MATCH_COMPATIBLE);
    assert_int_equal(m.superset, 0);
}

/* ---- names ------------------------------------------------------------------- */

static void test_name_similarity(void **state)
{
    (void)state;
    assert_true(match_name_similarity("users", "Users") == 1.0);
    assert_true(match_name_similarity("user", "users") == 1.0);
    assert_true(match_name_similarity("categories", "category") == 1.0);
    assert_true(match_name_similarity("file_uploads", "FileUploads") == 1.0);
    assert_true(match_name_similarity("topic_paths", "topic_path") == 1.0);
    double s = match_name_similarity("participants", "conversation_participants");
    assert_true(s > 0.6 && s < 0.7);
    s = match_name_similarity("groups", "conversation");
    assert_true(s < 0.3);
    s = match_name_similarity("file_uploads", "files");
    assert_true(s >= 0.5 && s < 1.0);
    assert_true(match_name_similarity("abc", "xyz") == 0.0);
    s = match_name_similarity("group_types", "lens_prototypes");
    assert_true(s < 0.3);
    s = match_name_similarity("category", "categry");  /* a typo stays close */
    assert_true(s > 0.75 && s < 0.8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_families_pg),
        cmocka_unit_test(test_families_sqlite),
        cmocka_unit_test(test_relations),
        cmocka_unit_test_setup_teardown(test_domains_and_enums, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_identical_across_dialects, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_compatible_superset, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_conflicts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_same_capacity_respelling, fx_setup, fx_teardown),
        cmocka_unit_test(test_name_similarity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
