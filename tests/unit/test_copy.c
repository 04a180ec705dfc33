/*
 * test_copy.c — unit tests of the copy engine (src/data/copy*.c, convert.c):
 * catalog conversion both ways (types, identity/serial <-> AUTOINCREMENT,
 * defaults, FKs, what is not carried), value conversions for PostgreSQL
 * COPY text (epoch seconds/milliseconds, booleans, bytea hex, exact floats),
 * and copy_run on real SQLite files with a custom SELECT + parameters, a
 * row hook (injected tenant column, remapped key, skipped rows), chunking
 * and resume from dbsage_copy_progress.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data/copy_int.h"
#include "source/source.h"

static catalog *read_sql(dialect d, const char *sql, diag_list *dl)
{
    catalog *c = catalog_new(d);
    int rc = d == DIALECT_PG ? pg_sql_read(c, "t.sql", sql, strlen(sql), dl)
                             : sqlite_sql_read(c, "t.sql", sql, strlen(sql), dl);
    assert_int_equal(rc, 0);
    return c;
}

static bool has_rule(const diag_list *dl, const char *rule, const char *needle)
{
    for (size_t i = 0; i < dl->items.n; i++)
        if (dl->items.v[i].rule && !strcmp(dl->items.v[i].rule, rule) && strstr(dl->items.v[i].message, needle))
            return true;
    return false;
}

static void test_convert_sqlite_to_pg(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    catalog *src = read_sql(DIALECT_SQLITE,
                            "CREATE TABLE p (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(20) NOT NULL,"
                            " ok BOOLEAN DEFAULT 1, at DATETIME DEFAULT CURRENT_TIMESTAMP, r REAL, b BLOB, j JSON,"
                            " amount DECIMAL(10,2), untyped, CHECK (r > 0));"
                            "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);"
                            "CREATE INDEX c_p ON c (p_id); CREATE INDEX c_expr ON c (p_id + 1);"
                            "CREATE VIEW v AS SELECT * FROM p;",
                            &dl);
    catalog *out = convert_catalog(src, DIALECT_PG, NULL, NULL, NULL, &mem, &dl);
    assert_non_null(out);
    cat_table *p = catalog_table_find(out, "public", "p");
    assert_non_null(p);
    static const char *const want[][2] = {
        {"id", "bigint"}, {"name", "character varying(20)"}, {"ok", "boolean"},
        {"at", "timestamp without time zone"}, {"r", "double precision"}, {"b", "bytea"},
        {"j", "json"}, {"amount", "numeric(10,2)"}, {"untyped", "text"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        cat_column *c = catalog_column_find(p, want[i][0]);
        assert_non_null(c);
        assert_string_equal(c->type, want[i][1]);
    }
    assert_int_equal(catalog_column_find(p, "id")->identity, 'd');
    assert_string_equal(catalog_column_find(p, "ok")->default_expr, "true");
    assert_string_equal(catalog_column_find(p, "at")->default_expr, "now()");
    assert_true(catalog_column_find(p, "name")->not_null);
    cat_table *c = catalog_table_find(out, "public", "c");
    assert_non_null(c);
    bool fk = false;
    for (size_t i = 0; i < c->constraints.n; i++)
        if (c->constraints.v[i]->kind == CON_FOREIGN) {
            fk = true;
            assert_string_equal(c->constraints.v[i]->ref_table, "p");
            assert_int_equal(c->constraints.v[i]->on_delete, 'c');
        }
    assert_true(fk);
    assert_int_equal(c->indexes.n, 1);  /* the expression index is not carried */
    assert_true(has_rule(&dl, "copy-not-carried", "CHECK"));
    assert_true(has_rule(&dl, "copy-not-carried", "c_expr"));
    assert_true(has_rule(&dl, "copy-not-carried", "view"));
    catalog_free(out);
    catalog_free(src);
    arena_free(&mem);
}

static void test_convert_pg_to_sqlite(void **state)
{
    (void)state;
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    catalog *src = read_sql(DIALECT_PG,
                            "CREATE TABLE t (id serial PRIMARY KEY, ok boolean DEFAULT true, at timestamptz DEFAULT now(),"
                            " n numeric(12,3), f double precision, b bytea, u uuid, tags text[], v varchar(8) DEFAULT 'x');",
                            &dl);
    catalog *out = convert_catalog(src, DIALECT_SQLITE, NULL, NULL, NULL, &mem, &dl);
    cat_table *t = catalog_table_find(out, "main", "t");
    assert_non_null(t);
    static const char *const want[][2] = {
        {"id", "INTEGER"}, {"ok", "BOOLEAN"}, {"at", "TIMESTAMPTZ"}, {"n", "NUMERIC(12,3)"}, {"f", "REAL"},
        {"b", "BLOB"}, {"u", "TEXT"}, {"tags", "TEXT"}, {"v", "VARCHAR(8)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(catalog_column_find(t, want[i][0])->type, want[i][1]);
    assert_true(catalog_column_find(t, "id")->autoincrement);
    assert_null(catalog_column_find(t, "id")->default_expr);
    assert_string_equal(catalog_column_find(t, "ok")->default_expr, "1");
    assert_string_equal(catalog_column_find(t, "at")->default_expr, "CURRENT_TIMESTAMP");
    assert_string_equal(catalog_column_find(t, "v")->default_expr, "'x'");
    copy_conv conv;
    convert_column_type(DIALECT_PG, src, catalog_column_find(catalog_table_find(src, "public", "t"), "b"),
                        DIALECT_SQLITE, NULL, &conv, &mem);
    assert_int_equal(conv, CONV_BLOB);
    catalog_free(out);
    catalog_free(src);
    arena_free(&mem);
}

static const char *pg_text(copy_value v, copy_conv conv, bool tz, strbuf *sb)
{
    if (!copy_value_pg_text(&v, conv, tz, sb))
        return NULL;
    return strbuf_str(sb);
}

static void test_value_pg_text(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    copy_value i = {COPY_INT, 1700000000, 0, NULL, 0};
    assert_string_equal(pg_text(i, CONV_EPOCH_S, false, &sb), "2023-11-14 22:13:20");
    assert_string_equal(pg_text(i, CONV_EPOCH_S, true, &sb), "2023-11-14 22:13:20+00");
    copy_value ms = {COPY_INT, 1700000000123, 0, NULL, 0};
    assert_string_equal(pg_text(ms, CONV_EPOCH_MS, false, &sb), "2023-11-14 22:13:20.123");
    assert_string_equal(pg_text(ms, CONV_EPOCH_AUTO, false, &sb), "2023-11-14 22:13:20.123");
    assert_string_equal(pg_text(i, CONV_EPOCH_AUTO, false, &sb), "2023-11-14 22:13:20");
    copy_value neg = {COPY_INT, -1, 0, NULL, 0};
    assert_string_equal(pg_text(neg, CONV_EPOCH_MS, false, &sb), "1969-12-31 23:59:59.999");
    copy_value half = {COPY_REAL, 0, 1.5, NULL, 0};
    assert_string_equal(pg_text(half, CONV_EPOCH_S, false, &sb), "1970-01-01 00:00:01.500");
    copy_value one = {COPY_INT, 1, 0, NULL, 0}, zero = {COPY_INT, 0, 0, NULL, 0};
    assert_string_equal(pg_text(one, CONV_BOOL, false, &sb), "t");
    assert_string_equal(pg_text(zero, CONV_BOOL, false, &sb), "f");
    copy_value word = {COPY_TEXT, 0, 0, "true", 4};
    assert_string_equal(pg_text(word, CONV_BOOL, false, &sb), "true");
    copy_value blob = {COPY_BLOB, 0, 0, "\x00\xff\x10", 3};
    assert_string_equal(pg_text(blob, CONV_BLOB, false, &sb), "\\x00ff10");
    copy_value third = {COPY_REAL, 0, 1.0 / 3.0, NULL, 0};
    const char *hex = pg_text(third, CONV_REAL, false, &sb);
    assert_true(strtod(hex, NULL) == 1.0 / 3.0);  /* exact */
    assert_string_equal(pg_text(third, CONV_NONE, false, &sb), "0.33333333333333331");
    copy_value inf = {COPY_REAL, 0, INFINITY, NULL, 0};
    assert_string_equal(pg_text(inf, CONV_REAL, false, &sb), "Infinity");
    copy_value minf = {COPY_REAL, 0, -INFINITY, NULL, 0};
    assert_string_equal(pg_text(minf, CONV_NONE, false, &sb), "-Infinity");
    copy_value big = {COPY_INT, INT64_MIN, 0, NULL, 0};
    assert_string_equal(pg_text(big, CONV_NONE, false, &sb), "-9223372036854775808");
    copy_value null = {COPY_NULL, 0, 0, NULL, 0};
    assert_null(pg_text(null, CONV_NONE, false, &sb));
    strbuf_release(&sb);
}

/* ---- copy_run on SQLite files ------------------------------------------------------------ */

typedef struct hook_ctx {
    int calls;
} hook_ctx;

/* cols: [0] tenant (injected), [1] id (+1000), [2] name; skips name 'skip' */
static int tenant_hook(void *ctx, const copy_job *job, const copy_value *src, int nsrc, copy_value *vals,
                       arena *row_mem, diag_list *diags)
{
    (void)job;
    (void)diags;
    (void)nsrc;
    hook_ctx *h = ctx;
    h->calls++;
    if (src[1].kind == COPY_TEXT && src[1].len == 4 && !memcmp(src[1].s, "skip", 4))
        return 1;
    vals[0].kind = COPY_TEXT;
    vals[0].s = arena_strdup(row_mem, "acme");
    vals[0].len = 4;
    vals[1].kind = COPY_INT;
    vals[1].i = src[0].i + 1000;
    return 0;
}

static char *tmp_path(const char *name)
{
    char *p = malloc(256);
    snprintf(p, 256, "/tmp/dbsage_test_copy_%d_%s", (int)getpid(), name);
    unlink(p);
    return p;
}

static void exec_ok(db_conn *c, const char *sql)
{
    if (db_exec(c, sql) != 0)
        fail_msg("%s: %s", sql, db_last_error(c));
}

static int64_t count(db_conn *c, const char *sql)
{
    int err = 0;
    const char *v = db_query_value(c, sql, &err);
    assert_int_equal(err, 0);
    return v ? strtoll(v, NULL, 10) : -1;
}

static void test_run_hook_and_resume(void **state)
{
    (void)state;
    char *sp = tmp_path("src.db"), *dp = tmp_path("dst.db");
    arena mem;
    arena_init(&mem);
    diag_list dl;
    diag_list_init(&dl, &mem);
    db_open_opts o = {.create = true};
    db_conn *src = db_open(sp, &o, &dl), *dst = db_open(dp, &o, &dl);
    assert_non_null(src);
    assert_non_null(dst);
    exec_ok(src, "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, grp INTEGER)");
    exec_ok(src, "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 25)"
                 " INSERT INTO people SELECT x, CASE WHEN x = 7 THEN 'skip' ELSE 'p' || x END, x % 2 FROM s");
    exec_ok(dst, "CREATE TABLE members (tenant TEXT NOT NULL, id INTEGER PRIMARY KEY, name TEXT)");
    copy_column cols[] = {{"tenant", -1, CONV_NONE, "TEXT"}, {"id", 0, CONV_NONE, NULL}, {"name", 1, CONV_NONE, NULL}};
    copy_value param = {COPY_INT, 1, 0, NULL, 0};
    hook_ctx h = {0};
    copy_job job = {0};
    job.name = "members-odd";
    job.select_sql = "SELECT id, name FROM people WHERE grp = $1";
    job.params = &param;
    job.nparams = 1;
    job.key_column = "id";
    job.key_index = 0;
    job.key_is_int = true;
    job.dst_table = "members";
    job.cols = cols;
    job.ncols = 3;
    job.row_hook = tenant_hook;
    job.hook_ctx = &h;
    copy_opts opts = {0};
    opts.batch = 4;
    opts.run_name = "unit";
    copy_result res;
    if (copy_run(src, dst, &job, 1, &opts, &mem, &res, &dl) != 0)
        fail_msg("copy_run: %s", dl.items.n ? dl.items.v[0].message : "?");
    assert_int_equal(h.calls, 13);               /* odd ids 1..25 */
    assert_int_equal(res.rows, 13);              /* rows read (the skipped one included) */
    assert_int_equal(res.tables.v[0].chunks, 4); /* 4+4+4+1 */
    assert_int_equal(count(dst, "SELECT count(*) FROM members"), 12);
    assert_int_equal(count(dst, "SELECT count(*) FROM members WHERE tenant = 'acme' AND id > 1000"), 12);
    assert_int_equal(count(dst, "SELECT count(*) FROM members WHERE id = 1007"), 0);
    assert_int_equal(count(dst, "SELECT sum(id) FROM members"), 12 * 1000 + (169 - 7));
    assert_int_equal(count(dst, "SELECT done FROM dbsage_copy_progress WHERE job = 'unit' AND table_name = 'members-odd'"), 1);

    /* a second run skips the done job */
    copy_result res2;
    assert_int_equal(copy_run(src, dst, &job, 1, &opts, &mem, &res2, &dl), 0);
    assert_true(res2.tables.v[0].skipped_done);
    assert_int_equal(h.calls, 13);

    /* pretend the run died after its first chunk: it resumes after last_key */
    exec_ok(dst, "DELETE FROM members WHERE id > 1007");
    exec_ok(dst, "UPDATE dbsage_copy_progress SET chunk = 1, last_key = '7', rows = 4, done = 0");
    copy_result res3;
    assert_int_equal(copy_run(src, dst, &job, 1, &opts, &mem, &res3, &dl), 0);
    assert_true(res3.tables.v[0].resumed);
    assert_int_equal(res3.rows, 9);              /* 9..25 odd */
    assert_int_equal(res3.tables.v[0].rows_total, 13);
    assert_int_equal(count(dst, "SELECT count(*) FROM members"), 12);
    assert_int_equal(count(dst, "SELECT sum(id) FROM members"), 12 * 1000 + (169 - 7));

    /* restart: emptied and copied again */
    opts.restart = true;
    copy_result res4;
    assert_int_equal(copy_run(src, dst, &job, 1, &opts, &mem, &res4, &dl), 0);
    assert_int_equal(res4.rows, 13);
    assert_int_equal(count(dst, "SELECT count(*) FROM members"), 12);
    db_close(src);
    db_close(dst);
    unlink(sp);
    unlink(dp);
    free(sp);
    free(dp);
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_convert_sqlite_to_pg),
        cmocka_unit_test(test_convert_pg_to_sqlite),
        cmocka_unit_test(test_value_pg_text),
        cmocka_unit_test(test_run_hook_and_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
